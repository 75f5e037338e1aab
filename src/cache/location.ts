import { dirname, join, resolve } from 'node:path';
import { PackumentIndexCache } from '../registry/index-cache.js';
import { AnalysisCache, DEFAULT_CACHE_MAX_BYTES } from './analysis-cache.js';
import { analyserFingerprint } from './fingerprint.js';

/**
 * Where analyses are cached: `--cache-dir`, else $OCELLUS_CACHE_DIR, else $XDG_CACHE_HOME/ocellus, else
 * `_ocellus` beside npm's own `_cacache` (npm's cache folder, ~/.npm by default, as npx's `_npx` is), so that
 * a run pointed at another npm cache (`npm_config_cache=...`) gets its own analysis cache too.
 */
export function analysisCacheDir(options: {
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** npm's flattened `cache` option: `<npm cache folder>/_cacache`. */
  npmCache: string;
}): string {
  if (options.flag) return resolve(options.cwd, options.flag);
  if (options.env.OCELLUS_CACHE_DIR) return resolve(options.cwd, options.env.OCELLUS_CACHE_DIR);
  if (options.env.XDG_CACHE_HOME) return join(resolve(options.cwd, options.env.XDG_CACHE_HOME), 'ocellus');
  return join(dirname(options.npmCache), '_ocellus');
}

/** The caches a scan uses (spread into its request), or none with --no-cache. */
export function openCaches(options: {
  enabled: boolean;
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  npmCache: string;
}): { cache?: AnalysisCache; packumentCache?: PackumentIndexCache } {
  if (!options.enabled) return {};
  const megabytes = Number(options.env.OCELLUS_CACHE_MAX_MB);
  const dir = analysisCacheDir(options);
  const fingerprint = analyserFingerprint();
  return {
    cache: new AnalysisCache(
      dir,
      fingerprint,
      Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : DEFAULT_CACHE_MAX_BYTES,
    ),
    packumentCache: new PackumentIndexCache(dir, fingerprint),
  };
}

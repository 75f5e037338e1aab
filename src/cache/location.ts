import { dirname, join, resolve } from 'node:path';
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

/** The analysis cache a command uses, or none with --no-cache. */
export function openAnalysisCache(options: {
  enabled: boolean;
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  npmCache: string;
}): AnalysisCache | undefined {
  if (!options.enabled) return undefined;
  const megabytes = Number(options.env.OCELLUS_CACHE_MAX_MB);
  return new AnalysisCache(
    analysisCacheDir(options),
    analyserFingerprint(),
    Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : DEFAULT_CACHE_MAX_BYTES,
  );
}

import { dirname, join, resolve } from 'node:path';
import { PackumentIndexCache } from '../registry/index-cache.js';
import { AnalysisCache, DEFAULT_CACHE_MAX_BYTES } from './analysis-cache.js';
import { analyserFingerprint } from './fingerprint.js';
import { unsafeFolder } from './private-folder.js';
import { SuspectCache } from './suspect-cache.js';
import { TreeNamesCache } from './tree-names.js';

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

/** The caches a scan uses (spread into its request), or none with --no-cache or an unsafe folder. */
export function openCaches(options: {
  enabled: boolean;
  flag?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  npmCache: string;
}): {
  cache?: AnalysisCache;
  packumentCache?: PackumentIndexCache;
  suspects?: SuspectCache;
  treeNames?: TreeNamesCache;
  warning?: string;
} {
  if (!options.enabled) return {};
  const megabytes = Number(options.env.OCELLUS_CACHE_MAX_MB);
  const dir = analysisCacheDir(options);
  const unsafe = unsafeFolder(dir);
  if (unsafe) return { warning: `not using the analysis cache in ${dir}: ${unsafe}` };
  const fingerprint = analyserFingerprint();
  return {
    cache: new AnalysisCache(
      dir,
      fingerprint,
      Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : DEFAULT_CACHE_MAX_BYTES,
    ),
    packumentCache: new PackumentIndexCache(dir, fingerprint),
    suspects: new SuspectCache(dir, fingerprint),
    treeNames: new TreeNamesCache(dir),
  };
}

/** A command's caches: openCaches for its folder and environment, with any warning written to its stderr. */
export function commandCaches(
  io: { env: NodeJS.ProcessEnv; cwd: string; stderr: NodeJS.WritableStream },
  npmCache: string,
  options: { enabled?: boolean; flag?: string | undefined } = {},
): {
  cache?: AnalysisCache;
  packumentCache?: PackumentIndexCache;
  suspects?: SuspectCache;
  treeNames?: TreeNamesCache;
} {
  const { warning, ...caches } = openCaches({
    enabled: options.enabled ?? true,
    flag: options.flag,
    env: io.env,
    cwd: io.cwd,
    npmCache,
  });
  if (warning) io.stderr.write(`ocellus: ${warning}\n`);
  return caches;
}

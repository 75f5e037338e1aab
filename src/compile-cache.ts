import { chmodSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { constants, enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unsafeFolder } from './cache/private-folder.js';

/**
 * Where V8's compiled code for Ocellus and its dependencies is kept: `compiled` in the analysis cache folder as
 * the environment names it ($OCELLUS_CACHE_DIR, $XDG_CACHE_HOME/ocellus, else `_ocellus` in npm's cache folder
 * from $npm_config_cache or ~/.npm). It is chosen before npm's configuration is read (reading it loads the code
 * this cache is for), so an npm cache set only in an .npmrc is not followed here; nor is --cache-dir, and
 * --no-cache does not turn it off (it holds no scan results).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, cwd: string, home = homedir()): string {
  if (env.OCELLUS_CACHE_DIR) return join(resolve(cwd, env.OCELLUS_CACHE_DIR), 'compiled');
  if (env.XDG_CACHE_HOME) return join(resolve(cwd, env.XDG_CACHE_HOME), 'ocellus', 'compiled');
  const npmCache = env.npm_config_cache ? resolve(cwd, env.npm_config_cache) : join(home, '.npm');
  return join(npmCache, '_ocellus', 'compiled');
}

/**
 * Why compiled code must not be read from `dir`, or undefined. Cached code is run as it is read, so more is asked
 * than of the analysis cache: the folder is the user's and only the user's (0700; made so when it is the
 * user's), and no folder above it can be changed by another user (else the folder could be swapped for theirs
 * between this check and Node's reads), unless that folder has the sticky bit, as /tmp does.
 */
export function unsafeCompileFolder(dir: string): string | undefined {
  const unsafe = unsafeFolder(dir);
  if (unsafe) return unsafe;
  try {
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
    if ((statSync(dir).mode & 0o077) !== 0) return 'other users can enter it';
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    for (let parent = dirname(dir); ; parent = dirname(parent)) {
      const info = statSync(parent);
      if (uid !== undefined && info.uid !== uid && info.uid !== 0) return `${parent} belongs to another user`;
      if ((info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0)
        return `${parent} can be changed by other users`;
      if (dirname(parent) === parent) return undefined;
    }
  } catch (error) {
    return `it cannot be checked (${(error as Error).message})`;
  }
}

/** Another Node version's compiled code (about 5 MB) is removed once that version has not run for this long. */
const UNUSED_VERSION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Turns on Node's compile cache in that folder when it is safe (see unsafeCompileFolder). Each Node version keeps
 * a folder of its own (about 5 MB), marked as used on every run; other versions' folders unused for 30 days are
 * removed. Removing them at once made a machine that runs two versions (a CI matrix sharing a cache, a version
 * manager) compile everything again at every switch: a warm Node 24 scan after a Node 22 run found 13 of 862
 * entries and took 1.08–1.14 s against 0.77–0.88 s. Loading the CLI took 336 ms of a 1.19 s warm scan; read from
 * the cache, 245 ms. Returns what happened, for the tests; a failure only costs speed.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node program.
 */
export function useCompileCache(dir: string): 'enabled' | 'off' | string {
  const unsafe = unsafeCompileFolder(dir);
  if (unsafe) return `not used: ${unsafe}`;
  const result = enableCompileCache(dir);
  if (result.status === constants.compileCacheStatus.DISABLED) return 'off';
  if (
    result.status !== constants.compileCacheStatus.ENABLED &&
    result.status !== constants.compileCacheStatus.ALREADY_ENABLED
  )
    return `not used: ${result.message ?? 'failed'}`;
  try {
    // Node writes a folder only when code changed, so its time says nothing of reads: it is set on every run.
    const now = Date.now();
    const used = new Date(now);
    if (result.directory) utimesSync(result.directory, used, used);
    for (const entry of readdirSync(dir)) {
      const folder = join(dir, entry);
      if (!entry.startsWith(`${process.version}-`) && now - statSync(folder).mtimeMs > UNUSED_VERSION_MS)
        rmSync(folder, { recursive: true, force: true });
    }
  } catch {
    // Old versions' code left behind costs disk space only.
  }
  return 'enabled';
}

import { constants, enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { unsafeFolder } from './cache/private-folder.js';

/**
 * Where V8's compiled code for Ocellus and its dependencies is kept: `compiled` in the analysis cache folder as
 * the environment names it ($OCELLUS_CACHE_DIR, $XDG_CACHE_HOME/ocellus, else `_ocellus` in npm's cache folder
 * from $npm_config_cache or ~/.npm). It is chosen before npm's configuration is read (reading it loads the code
 * this cache is for), so an npm cache set only in an .npmrc is not followed here.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, cwd: string, home = homedir()): string {
  if (env.OCELLUS_CACHE_DIR) return join(resolve(cwd, env.OCELLUS_CACHE_DIR), 'compiled');
  if (env.XDG_CACHE_HOME) return join(resolve(cwd, env.XDG_CACHE_HOME), 'ocellus', 'compiled');
  const npmCache = env.npm_config_cache ? resolve(cwd, env.npm_config_cache) : join(home, '.npm');
  return join(npmCache, '_ocellus', 'compiled');
}

/**
 * Turns on Node's compile cache in that folder when it is the user's own (cached code is run as it is read, so a
 * folder someone else can write is never used). Loading the CLI took 336 ms of a 1.19 s warm scan; read from the
 * cache, 245 ms. Returns what happened, for the tests; a failure only costs speed. NODE_DISABLE_COMPILE_CACHE=1
 * turns it off, as for any Node program.
 */
export function useCompileCache(dir: string): 'enabled' | 'off' | string {
  const unsafe = unsafeFolder(dir);
  if (unsafe) return `not used: ${unsafe}`;
  const result = enableCompileCache(dir);
  if (result.status === constants.compileCacheStatus.ENABLED) return 'enabled';
  if (result.status === constants.compileCacheStatus.ALREADY_ENABLED) return 'enabled';
  if (result.status === constants.compileCacheStatus.DISABLED) return 'off';
  return `not used: ${result.message ?? 'failed'}`;
}

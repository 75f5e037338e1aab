import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A home folder of its own, so the developer's ~/.npmrc and npm cache never leak into a test. */
export function isolatedHome(npmrc = ''): { home: string; cache: string } {
  const home = mkdtempSync(join(tmpdir(), 'ocellus-home-'));
  writeFileSync(join(home, '.npmrc'), npmrc);
  return { home, cache: join(home, '.npm') };
}

// Tests name their registry with --registry or an .npmrc of their own; anything else hits a closed port,
// so no test can reach the public registry by accident.
const sharedHome = isolatedHome('registry=http://127.0.0.1:9/\n');

/** Runs the built CLI as a user would, with npm's environment variables from `npm test` removed. */
export function runCli(
  args: string[],
  options: { cwd?: string; home?: { home: string; cache: string }; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const home = options.home ?? sharedHome;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_(config|package|lifecycle)_/i.test(key)) env[key] = value;
  }
  Object.assign(env, {
    HOME: home.home,
    npm_config_userconfig: join(home.home, '.npmrc'),
    npm_config_cache: home.cache,
    // Beside the npm cache, never in the developer's own $XDG_CACHE_HOME.
    OCELLUS_CACHE_DIR: join(home.home, 'ocellus-cache'),
    NO_COLOR: '1',
    ...options.env,
  });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd ?? home.home, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

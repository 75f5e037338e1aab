import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir, useCompileCache } from '../src/compile-cache.js';
import { isolatedHome, runCli } from './integration/cli.js';

describe('the compile cache', () => {
  it('lives in the analysis cache folder the environment names, else beside npm’s cache', () => {
    const cwd = '/work';
    expect(compileCacheDir({ OCELLUS_CACHE_DIR: 'cache', XDG_CACHE_HOME: '/x' }, cwd, '/home/u')).toBe(
      '/work/cache/compiled',
    );
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x' }, cwd, '/home/u')).toBe('/x/ocellus/compiled');
    expect(compileCacheDir({ npm_config_cache: '/n' }, cwd, '/home/u')).toBe('/n/_ocellus/compiled');
    expect(compileCacheDir({}, cwd, '/home/u')).toBe('/home/u/.npm/_ocellus/compiled');
  });

  it.skipIf(process.platform === 'win32')(
    'is never read from a folder every user can write (cached code runs as read)',
    () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'ocellus-compiled-')), 'compiled');
      mkdirSync(dir);
      chmodSync(dir, 0o777);
      expect(useCompileCache(dir)).toMatch(/^not used: every user can write/);
    },
  );

  it('is filled by a run of the CLI, in a folder only the user can enter', async () => {
    const home = isolatedHome();
    const cacheDir = join(home.home, 'analyses');
    const result = await runCli(['--version'], { home, env: { OCELLUS_CACHE_DIR: cacheDir } });
    expect(result.code).toBe(0);
    const compiled = join(cacheDir, 'compiled');
    expect(readdirSync(compiled, { recursive: true }).length).toBeGreaterThan(1);
    if (process.platform !== 'win32') expect(statSync(compiled).mode & 0o077).toBe(0);
  });
});

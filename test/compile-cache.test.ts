import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir, unsafeCompileFolder, useCompileCache } from '../src/compile-cache.js';
import { isolatedHome, runCli } from './integration/cli.js';

const posix = process.platform !== 'win32';

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

  it.skipIf(!posix)('is never read from a folder every user can write (cached code runs as read)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ocellus-compiled-')), 'compiled');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(useCompileCache(dir)).toMatch(/^not used: every user can write/);
  });

  it.skipIf(!posix)(
    'nor below a folder another user could change, and closes its own folder to others',
    () => {
      const shared = mkdtempSync(join(tmpdir(), 'ocellus-compiled-'));
      const dir = join(shared, 'compiled');
      mkdirSync(dir, { mode: 0o750 });
      chmodSync(dir, 0o750);
      expect(unsafeCompileFolder(dir)).toBeUndefined();
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      // A group-writable folder above it, without the sticky bit /tmp has: the folder could be swapped.
      chmodSync(shared, 0o770);
      expect(unsafeCompileFolder(dir)).toMatch(/can be changed by other users/);
      chmodSync(shared, 0o1770);
      expect(unsafeCompileFolder(dir)).toBeUndefined();
    },
  );

  it('is filled by a run of the CLI, in a folder only the user can enter, and keeps only this Node’s code', async () => {
    const home = isolatedHome();
    const cacheDir = join(home.home, 'analyses');
    const stale = join(cacheDir, 'compiled', 'v0.0.1-x64-00000000-0');
    mkdirSync(stale, { recursive: true });
    const result = await runCli(['--version'], { home, env: { OCELLUS_CACHE_DIR: cacheDir } });
    expect(result.code).toBe(0);
    const compiled = join(cacheDir, 'compiled');
    expect(readdirSync(compiled, { recursive: true }).length).toBeGreaterThan(1);
    expect(readdirSync(compiled).every((entry) => entry.startsWith(`${process.version}-`))).toBe(true);
    expect(existsSync(stale)).toBe(false);
    if (posix) expect(statSync(compiled).mode & 0o077).toBe(0);
  });
});

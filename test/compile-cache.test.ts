import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync } from 'node:fs';
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

  it('is filled by a run of the CLI, in a folder only the user can enter; another Node’s code is kept while that Node runs', async () => {
    const home = isolatedHome();
    const cacheDir = join(home.home, 'analyses');
    const compiled = join(cacheDir, 'compiled');
    // Another version that ran 40 days ago, and one that ran yesterday (a CI matrix, a version manager).
    const stale = join(compiled, 'v0.0.1-x64-00000000-0');
    const recent = join(compiled, 'v0.0.2-x64-00000000-0');
    mkdirSync(stale, { recursive: true });
    mkdirSync(recent, { recursive: true });
    const day = 24 * 60 * 60 * 1000;
    utimesSync(stale, new Date(Date.now() - 40 * day), new Date(Date.now() - 40 * day));
    utimesSync(recent, new Date(Date.now() - day), new Date(Date.now() - day));
    const result = await runCli(['--version'], { home, env: { OCELLUS_CACHE_DIR: cacheDir } });
    expect(result.code).toBe(0);
    const own = readdirSync(compiled).filter((entry) => entry.startsWith(`${process.version}-`));
    expect(own).toHaveLength(1);
    expect(readdirSync(join(compiled, own[0] as string)).length).toBeGreaterThan(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    if (posix) expect(statSync(compiled).mode & 0o077).toBe(0);
  });

  it('marks this Node’s folder as used on every run, so another version never takes it for abandoned', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ocellus-compiled-')), 'compiled');
    mkdirSync(dir, { mode: 0o700 });
    expect(useCompileCache(dir)).toBe('enabled');
    const own = readdirSync(dir).find((entry) => entry.startsWith(`${process.version}-`));
    expect(own).toBeDefined();
    const folder = join(dir, own as string);
    const longAgo = new Date(Date.now() - 90 * 24 * 60 * 60 * 1000);
    utimesSync(folder, longAgo, longAgo);
    expect(useCompileCache(dir)).toBe('enabled');
    expect(Date.now() - statSync(folder).mtimeMs).toBeLessThan(60_000);
  });
});

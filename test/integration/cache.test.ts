import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../src/cache/analysis-cache.js';
import { decodeEntry as decodeAny, encodeEntry as encodeAny } from '../../src/cache/entry-store.js';
import type { Report } from '../../src/report/build.js';
import { filesUnder } from '../helpers/files.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../hostile/fault-proxy.js';
import { type CliResult, isolatedHome, runCli } from './cli.js';
import { lockedMonorepo } from './monorepo.js';

const registry = inject('registryUrl');
const POSTMARK = 'postmark-mcp-bcc-backdoor@1.0.16';
const TARBALL = /\/-\/.*\.tgz$/;

/** A user with their own npm cache and analysis cache, scanning through a proxy that records every request. */
function user() {
  const home = isolatedHome();
  const cacheDir = join(home.home, 'analyses');
  async function scan(spec: string, options: { faults?: Fault[]; args?: string[]; cwd?: string } = {}) {
    const proxy = await startFaultProxy(registry, options.faults ?? []);
    try {
      const result = await runCli(
        ['scan', spec, '--registry', proxy.url, '--format', 'json', ...(options.args ?? [])],
        { home, env: { OCELLUS_CACHE_DIR: cacheDir }, ...(options.cwd ? { cwd: options.cwd } : {}) },
      );
      return {
        ...result,
        report: JSON.parse(result.stdout) as Report,
        tarballs: proxy.seen.filter((path) => TARBALL.test(path)),
      };
    } finally {
      await proxy.stop();
    }
  }
  /**
   * Several scans through one proxy, so through one registry address (npm's cache and the stored reductions are
   * kept per registry); `faults` can be changed between them.
   */
  async function throughOneRegistry(
    faults: Fault[],
    work: (session: {
      proxy: FaultProxy;
      run: (spec: string, options?: { args?: string[]; cwd?: string }) => Promise<CliResult>;
    }) => Promise<void>,
  ): Promise<void> {
    const proxy = await startFaultProxy(registry, faults);
    const run = (spec: string, options: { args?: string[]; cwd?: string } = {}) =>
      runCli(['scan', spec, '--registry', proxy.url, '--format', 'json', ...(options.args ?? [])], {
        home,
        env: { OCELLUS_CACHE_DIR: cacheDir },
        ...(options.cwd ? { cwd: options.cwd } : {}),
      });
    try {
      await work({ proxy, run });
    } finally {
      await proxy.stop();
    }
  }
  return { home, cacheDir, scan, throughOneRegistry };
}

function entries(cacheDir: string): string[] {
  const root = join(cacheDir, 'analysis-v1');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(root, name));
}

interface StoredEntry {
  digest?: string;
  releases: Array<{ deprecated?: string }>;
}
const isStoredEntry = (value: unknown): value is StoredEntry =>
  typeof value === 'object' && value !== null && Array.isArray((value as StoredEntry).releases);

/** Reports differ only by the proxy's port in nothing they print; compare what a user reads. */
const essence = (report: Report) =>
  report.packages.map(({ name, version, findings, capabilities, tools }) => ({
    name,
    version,
    findings,
    capabilities,
    tools,
  }));

describe('the analysis cache', () => {
  it('a warm re-scan downloads no tarball and reports exactly what the cold scan did', async () => {
    const alice = user();
    const cold = await alice.scan(POSTMARK);
    expect(cold.code).toBe(1);
    expect(cold.tarballs.length).toBeGreaterThan(0);
    const warm = await alice.scan(POSTMARK);
    expect(warm.tarballs).toEqual([]);
    expect(warm.code).toBe(1);
    expect(essence(warm.report)).toEqual(essence(cold.report));
    // The version diff is part of what was cached: the added Bcc line is still quoted.
    const postmark = warm.report.packages.find((pkg) => pkg.name === 'postmark-mcp-bcc-backdoor');
    expect(postmark?.findings[0]?.severity).toBe('critical');
    expect(postmark?.findings[0]?.message).toContain('New in 1.0.16');
  });

  it('a warm re-scan judges a typosquat from the names judged before, with the same finding', async () => {
    const bob = user();
    const cold = await bob.scan('mcp-server-filesysterm');
    const warm = await bob.scan('mcp-server-filesysterm');
    expect(readdirSync(join(bob.cacheDir, 'names-v1'), { recursive: true }).length).toBeGreaterThan(0);
    expect(essence(warm.report)).toEqual(essence(cold.report));
    const finding = warm.report.packages[0]?.findings.find((f) => f.checkId === 'typosquat');
    expect(finding?.severity).toBe('high');
    expect(finding?.message).toContain('@modelcontextprotocol/server-filesystem');
    expect(warm.code).toBe(1);
  });

  it('a re-scan asks the registry for every document again, all at once from the names of the last resolution, and a stale list changes nothing', async () => {
    const carol = user();
    const proxy = await startFaultProxy(registry, []);
    const scan = async () => {
      const from = proxy.seen.length;
      const result = await runCli(['scan', POSTMARK, '--registry', proxy.url, '--format', 'json'], {
        home: carol.home,
        env: { OCELLUS_CACHE_DIR: carol.cacheDir },
      });
      const documents = proxy.seen.slice(from).filter((path) => !TARBALL.test(path));
      return { ...result, report: JSON.parse(result.stdout) as Report, documents };
    };
    try {
      const cold = await scan();
      // The list is only a hint: one name that no longer exists and one the tree does not use.
      const [stored] = filesUnder(join(carol.cacheDir, 'tree-names-v1'));
      const names = decodeAny(readFileSync(stored as string, 'utf8'), (value): value is string[] =>
        Array.isArray(value),
      );
      expect(names).toContain('postmark-mcp-bcc-backdoor');
      writeFileSync(
        stored as string,
        encodeAny([...(names ?? []), 'no-such-package-anywhere', 'docs-mcp-server']),
      );
      const warm = await scan();
      expect(warm.code).toBe(cold.code);
      expect(essence(warm.report)).toEqual(essence(cold.report));
      // Every document of the tree is asked for again (revalidated), and the hinted names were requested too.
      for (const path of new Set(cold.documents)) expect(warm.documents).toContain(path);
      expect(warm.documents).toContain('/docs-mcp-server');
    } finally {
      await proxy.stop();
    }
  });

  it('what the registry says is judged afresh over a cached analysis', async () => {
    const bob = user();
    await bob.scan(POSTMARK);
    const deprecate: Fault = {
      path: /^\/postmark-mcp-bcc-backdoor$/,
      rewrite: (doc) => {
        const versions = doc.versions as Record<string, Record<string, unknown>>;
        if (versions['1.0.16']) versions['1.0.16'].deprecated = 'this version sends your mail to a stranger';
        return doc;
      },
    };
    const warm = await bob.scan(POSTMARK, { faults: [deprecate] });
    expect(warm.tarballs).toEqual([]);
    const findings = warm.report.packages.find((pkg) => pkg.name === 'postmark-mcp-bcc-backdoor')?.findings;
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          checkId: 'registry-metadata',
          message: expect.stringContaining('deprecated'),
        }),
        expect.objectContaining({ checkId: 'hardcoded-recipient', severity: 'critical' }),
      ]),
    );
  });

  it('a damaged entry is recomputed, never trusted, and replaced', async () => {
    const carol = user();
    const cold = await carol.scan(POSTMARK);
    const files = entries(carol.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const [index, file] of files.entries()) {
      const text = readFileSync(file, 'utf8');
      // Half lose their tail (a crash mid-write on a filesystem without atomic rename); half are altered so
      // the findings are gone but the JSON still parses.
      writeFileSync(
        file,
        index % 2 === 0 ? text.slice(0, text.length / 2) : text.replaceAll('"critical"', '"info"'),
      );
    }
    const warm = await carol.scan(POSTMARK);
    expect(essence(warm.report)).toEqual(essence(cold.report));
    for (const file of entries(carol.cacheDir)) expect(decodeEntry(readFileSync(file, 'utf8'))).toBeDefined();
  });

  it('--no-cache neither reads nor writes the cache', async () => {
    const dave = user();
    const uncached = await dave.scan(POSTMARK, { args: ['--no-cache'] });
    expect(uncached.code).toBe(1);
    expect(() => statSync(join(dave.cacheDir, 'analysis-v1'))).toThrow();
    await dave.scan(POSTMARK);
    // Whole entries are believed (their checksum holds): empty their findings to see who reads them.
    for (const file of entries(dave.cacheDir)) {
      const entry = decodeEntry(readFileSync(file, 'utf8'));
      if (entry) writeFileSync(file, encodeEntry({ ...entry, findings: [] }));
    }
    expect((await dave.scan(POSTMARK)).code).toBe(0);
    const bypassed = await dave.scan(POSTMARK, { args: ['--no-cache'] });
    expect(bypassed.code).toBe(1);
    expect(essence(bypassed.report)).toEqual(essence(uncached.report));
  });

  it('concurrent runs share one cache folder without damaging it', async () => {
    const erin = user();
    const runs = await Promise.all([erin.scan(POSTMARK), erin.scan(POSTMARK), erin.scan(POSTMARK)]);
    for (const run of runs) expect(essence(run.report)).toEqual(essence(runs[0]?.report as Report));
    const files = entries(erin.cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(decodeEntry(readFileSync(file, 'utf8'))).toBeDefined();
    expect(
      readdirSync(join(erin.cacheDir, 'analysis-v1'), { recursive: true, encoding: 'utf8' }),
    ).not.toEqual(expect.arrayContaining([expect.stringMatching(/\.tmp$/)]));
  });

  it('a project audit still catches a registry that now lists other bytes than the lockfile, with nothing downloaded', async () => {
    const frank = user();
    const dir = await lockedMonorepo(registry, frank.home.cache);
    await frank.scan('.', { cwd: dir });
    const relist: Fault = {
      path: /^\/tiny-units$/,
      rewrite: (doc) => {
        const versions = doc.versions as Record<string, { dist: Record<string, unknown> }>;
        for (const manifest of Object.values(versions))
          manifest.dist.integrity = `sha512-${Buffer.alloc(64, 9).toString('base64')}`;
        return doc;
      },
    };
    const warm = await frank.scan('.', { cwd: dir, faults: [relist] });
    expect(warm.tarballs).toEqual([]);
    expect(warm.code).toBe(1);
    expect(warm.report.packages.find((pkg) => pkg.name === 'tiny-units')?.findings).toEqual([
      expect.objectContaining({ checkId: 'lockfile-integrity', severity: 'critical' }),
    ]);
  });

  it('--prefer-offline scans from cached registry documents without asking the registry again', async () => {
    const faults: Fault[] = [];
    await user().throughOneRegistry(faults, async ({ proxy, run }) => {
      expect((await run(POSTMARK)).code).toBe(1);
      // From now on the registry answers every request with an error.
      faults.push({ path: /./, status: 500 });
      const before = proxy.seen.length;
      const offline = await run(POSTMARK, { args: ['--prefer-offline'] });
      expect(offline.code).toBe(1);
      expect(proxy.seen.length).toBe(before);
      expect(JSON.parse(offline.stdout).summary.highestSeverity).toBe('critical');
      // Without it, the registry is asked, and its failure leaves the scan incomplete (exit 3), never passed.
      const online = await run(POSTMARK);
      expect(online.code).toBe(3);
    });
  });
  it('npm’s offline setting resolves and scans a package scanned before from what that scan stored, though npm’s cache holds no document', async () => {
    const dana = user();
    const faults: Fault[] = [];
    const proxy = await startFaultProxy(registry, faults);
    const run = (env: Record<string, string> = {}) =>
      runCli(['scan', POSTMARK, '--registry', proxy.url, '--format', 'json'], {
        home: dana.home,
        env: { OCELLUS_CACHE_DIR: dana.cacheDir, ...env },
      });
    try {
      const online = await run();
      expect(online.code).toBe(1);
      faults.push({ path: /./, status: 500 });
      const before = proxy.seen.length;
      const offline = await run({ npm_config_offline: 'true' });
      expect(offline.code).toBe(1);
      expect(proxy.seen.length).toBe(before);
      expect(essence(JSON.parse(offline.stdout))).toEqual(essence(JSON.parse(online.stdout)));
    } finally {
      await proxy.stop();
    }
  });

  it('--prefer-offline audits a project from reduced registry documents, asking the registry nothing', async () => {
    const heidi = user();
    const dir = await lockedMonorepo(registry, heidi.home.cache);
    const faults: Fault[] = [];
    await heidi.throughOneRegistry(faults, async ({ proxy, run }) => {
      const online = await run('.', { cwd: dir });
      expect(online.code).toBe(1);
      faults.push({ path: /./, status: 500 });
      const before = proxy.seen.length;
      const offline = await run('.', { cwd: dir, args: ['--prefer-offline'] });
      expect(proxy.seen.length).toBe(before);
      expect(offline.code).toBe(1);
      expect(essence(JSON.parse(offline.stdout))).toEqual(essence(JSON.parse(online.stdout)));
    });
  });
  it('a warm audit reuses the reduction of a registry document whose bytes did not change, and re-reads one that did', async () => {
    const judy = user();
    const dir = await lockedMonorepo(registry, judy.home.cache);
    const faults: Fault[] = [];
    await judy.throughOneRegistry(faults, async ({ run }) => {
      const audit = async () => JSON.parse((await run('.', { cwd: dir })).stdout) as Report;
      const first = await audit();
      const stored = filesUnder(join(judy.cacheDir, 'packuments-v1')).find((path) =>
        readFileSync(path, 'utf8').includes('"name":"tiny-units"'),
      );
      if (!stored) throw new Error('no stored document for tiny-units');
      const entry = decodeAny(readFileSync(stored, 'utf8'), isStoredEntry);
      // A digest of the bytes it was reduced from.
      expect(entry?.digest).toMatch(/^sha256-/);
      // A mark only the stored reduction carries: seen only when the document is not parsed again.
      for (const release of entry?.releases ?? []) release.deprecated = 'mark of the stored reduction';
      writeFileSync(stored, encodeAny(entry));
      const marked = (report: Report) =>
        report.packages
          .find((pkg) => pkg.name === 'tiny-units')
          ?.findings.filter((finding) => finding.message.includes('mark of the stored reduction'));
      expect(marked(await audit())).toHaveLength(1);
      // New bytes from the registry (a deprecation published since) are parsed again, whatever was stored, and
      // whatever the server claims: a cache header it sends with them is not npm's cache speaking.
      faults.push({
        path: /\/tiny-units$/,
        headers: {
          'x-local-cache-hash': encodeURIComponent(entry?.digest ?? ''),
          'x-local-cache-status': 'hit',
        },
        rewrite: (doc) => {
          const versions = doc.versions as Record<string, Record<string, unknown>>;
          for (const manifest of Object.values(versions))
            manifest.deprecated = 'deprecated since the last run';
          return doc;
        },
      });
      const reread = await audit();
      expect(marked(reread)).toEqual([]);
      const deprecations = reread.packages
        .find((pkg) => pkg.name === 'tiny-units')
        ?.findings.filter((finding) => finding.message.includes('deprecated since the last run'));
      expect(deprecations).toHaveLength(1);
      expect(first.packages.length).toBe(reread.packages.length);
    });
  });
  it('a lockfile integrity that is not a hash is refused, not verified against nothing or cached', async () => {
    const ivan = user();
    const dir = await lockedMonorepo(registry, ivan.home.cache);
    const path = join(dir, 'package-lock.json');
    const lockfile = JSON.parse(readFileSync(path, 'utf8'));
    lockfile.packages['node_modules/tiny-units'].integrity = 'x';
    writeFileSync(path, JSON.stringify(lockfile, null, 2));
    for (const run of [1, 2]) {
      const result = await ivan.scan('.', { cwd: dir });
      expect(result.code, `run ${run}`).not.toBe(0);
      const mark = result.report.summary.incomplete.find((entry) => entry.name === 'tiny-units');
      expect(mark?.reason).toContain('not a hash');
    }
  });
});

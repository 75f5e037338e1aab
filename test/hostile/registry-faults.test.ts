import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { isolatedHome, runCli } from '../integration/cli.js';
import { type Fault, startFaultProxy } from './fault-proxy.js';

const registry = inject('registryUrl');

/** Scans through a fault proxy, with a fresh npm cache so every request reaches it. */
async function scanThrough(faults: Fault[], spec: string, ...extra: string[]) {
  const proxy = await startFaultProxy(registry, faults);
  try {
    const result = await runCli(['scan', spec, '--registry', proxy.url, '--format', 'json', ...extra], {
      home: isolatedHome(),
    });
    const report = result.stdout ? (JSON.parse(result.stdout) as Report) : undefined;
    return { ...result, report, seen: proxy.seen };
  } finally {
    await proxy.stop();
  }
}

const TARBALL = /\/tiny-units\/-\/tiny-units-1\.0\.0\.tgz$/;
const PACKUMENT = /^\/tiny-units$/;

describe('registry faults: retried where sensible, then exit 3 naming what could not be analysed', () => {
  it('a clean tree passes through the proxy (the faults below are the only difference)', async () => {
    const result = await scanThrough([], 'weather-mcp-server');
    expect(result.code).toBe(0);
    expect(result.seen.some((path) => TARBALL.test(path))).toBe(true);
  });

  it('a transient 500 on a tarball is retried, and the scan completes', async () => {
    const result = await scanThrough([{ path: TARBALL, status: 500, times: 1 }], 'weather-mcp-server');
    expect(result.code).toBe(0);
    expect(result.seen.filter((path) => TARBALL.test(path)).length).toBeGreaterThan(1);
  });

  it('a tarball that keeps failing (500) leaves the scan incomplete: exit 3, the package named', async () => {
    const result = await scanThrough([{ path: TARBALL, status: 500 }], 'weather-mcp-server');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('tiny-units@1.0.0');
    expect(result.report?.summary.verdict).not.toBe('pass');
  });

  it('a tarball the registry no longer has (404) is named, and --allow-incomplete still lists it', async () => {
    const failed = await scanThrough([{ path: TARBALL, status: 404 }], 'weather-mcp-server');
    expect(failed.code).toBe(3);
    const allowed = await scanThrough(
      [{ path: TARBALL, status: 404 }],
      'weather-mcp-server',
      '--allow-incomplete',
    );
    expect(allowed.code).toBe(0);
    expect(allowed.report?.summary.incomplete.map((mark) => mark.name)).toEqual(['tiny-units']);
    expect(allowed.report?.summary.verdict).toBe('warn');
  });

  it('a connection dropped mid-tarball is retried; dropped every time, the scan is incomplete', async () => {
    const once = await scanThrough([{ path: TARBALL, dropAfterBytes: 40, times: 1 }], 'weather-mcp-server');
    expect(once.code).toBe(0);
    const always = await scanThrough([{ path: TARBALL, dropAfterBytes: 40 }], 'weather-mcp-server');
    expect(always.code).toBe(3);
    expect(always.stderr).toContain('tiny-units@1.0.0');
  });

  it('a slow registry is waited for', async () => {
    const result = await scanThrough([{ path: PACKUMENT, delayMs: 1_500 }], 'weather-mcp-server');
    expect(result.code).toBe(0);
  });

  it('a packument that lies about integrity: the tarball is refused, exit 3', async () => {
    const lie: Fault['rewrite'] = (doc) => {
      const versions = doc.versions as Record<string, { dist: { integrity: string; shasum?: string } }>;
      for (const manifest of Object.values(versions)) {
        manifest.dist.integrity = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
        delete manifest.dist.shasum;
      }
      return doc;
    };
    const result = await scanThrough([{ path: PACKUMENT, rewrite: lie }], 'weather-mcp-server');
    expect(result.code).toBe(3);
    expect(result.report?.summary.incomplete).toEqual([
      expect.objectContaining({ name: 'tiny-units', code: 'EINTEGRITY' }),
    ]);
  });

  it('a packument missing the version a dependency needs: the tree cannot be resolved, exit 3, named', async () => {
    const hide: Fault['rewrite'] = (doc) => ({ ...doc, versions: {}, 'dist-tags': {} });
    const result = await scanThrough([{ path: PACKUMENT, rewrite: hide }], 'weather-mcp-server');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('tiny-units');
  });

  it('a registry that is down from the start: exit 3 with a message, no report', async () => {
    const result = await scanThrough([{ path: /./, status: 503 }], 'weather-mcp-server');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/ocellus: .*(?:registry|503)/i);
  });

  it('offline with an empty cache: exit 3, not a pass', async () => {
    const result = await runCli(['scan', 'weather-mcp-server', '--registry', registry], {
      home: isolatedHome('offline=true\n'),
    });
    expect(result.code).toBe(3);
  });
});

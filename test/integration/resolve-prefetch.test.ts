import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NpmOptions } from '../../src/npm-config.js';
import { PackumentStore } from '../../src/registry/packument.js';
import { type ResolvedTree, resolveIdealTree } from '../../src/resolve/ideal-tree.js';
import { parseScanSpec } from '../../src/targets/spec.js';
import { type FaultProxy, startFaultProxy } from '../hostile/fault-proxy.js';
import { isolatedHome } from './cli.js';
import { publishFixtures } from './registry.js';

const registry = inject('registryUrl');
/** Every registry document of the family below answers this late, as a distant registry does. */
const DELAY_MS = 300;

/**
 * A tree four wide: root → a, b, c, d → one leaf each. c's latest release (2.0.0) is outside the root's range
 * and depends on something else; b has an optional peer npm does not install; d's latest 1.x is deprecated
 * (by the registry, below), so npm keeps the release before it. None of those may be fetched. The root's
 * optional dependency is for another operating system: npm leaves it out.
 */
const FAMILY: Record<string, Record<string, Record<string, unknown>>> = {
  'prefetch-fanout-root': {
    '1.0.0': {
      dependencies: Object.fromEntries(['a', 'b', 'c', 'd'].map((x) => [`prefetch-fanout-${x}`, '^1.0.0'])),
      optionalDependencies: { 'prefetch-fanout-elsewhere': '^1.0.0' },
    },
  },
  'prefetch-fanout-elsewhere': { '1.0.0': { os: ['aix'] } },
  'prefetch-fanout-a': { '1.0.0': { dependencies: { 'prefetch-fanout-a-leaf': '^1.0.0' } } },
  'prefetch-fanout-b': {
    '1.0.0': {
      dependencies: { 'prefetch-fanout-b-leaf': '^1.0.0' },
      peerDependencies: { 'prefetch-fanout-never-peer': '^1.0.0' },
      peerDependenciesMeta: { 'prefetch-fanout-never-peer': { optional: true } },
    },
  },
  'prefetch-fanout-c': {
    '1.0.0': { dependencies: { 'prefetch-fanout-c-leaf': '^1.0.0' } },
    '2.0.0': { dependencies: { 'prefetch-fanout-never-v2': '^1.0.0' } },
  },
  'prefetch-fanout-d': {
    '1.0.0': { dependencies: { 'prefetch-fanout-d-leaf': '^1.0.0' } },
    '1.1.0': { dependencies: { 'prefetch-fanout-never-deprecated': '^1.0.0' } },
  },
  ...Object.fromEntries(['a', 'b', 'c', 'd'].map((x) => [`prefetch-fanout-${x}-leaf`, { '1.0.0': {} }])),
};

const ids = (tree: ResolvedTree) => tree.packages.map((node) => `${node.name}@${node.version}`).sort();

describe('resolving a tree cold', () => {
  let proxy: FaultProxy;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-fanout-'));
    for (const [name, versions] of Object.entries(FAMILY)) {
      for (const [version, fields] of Object.entries(versions)) {
        mkdirSync(join(dir, name, version), { recursive: true });
        writeFileSync(join(dir, name, version, 'package.json'), JSON.stringify({ name, version, ...fields }));
        writeFileSync(join(dir, name, version, 'index.js'), 'module.exports = 1;\n');
      }
    }
    await publishFixtures(registry, dir);
    const deprecate = (doc: Record<string, unknown>) => {
      const versions = doc.versions as Record<string, Record<string, unknown>>;
      return {
        ...doc,
        versions: { ...versions, '1.1.0': { ...versions['1.1.0'], deprecated: 'use 1.0.0' } },
      };
    };
    proxy = await startFaultProxy(registry, [
      { path: /^\/prefetch-fanout-d$/, delayMs: DELAY_MS, rewrite: deprecate },
      { path: /^\/prefetch-fanout-[^/]*$/, delayMs: DELAY_MS },
    ]);
  });
  afterAll(() => proxy.stop());

  /** A resolution through the slow registry with an empty npm cache, and the times its documents were asked. */
  async function resolveCold(routed: boolean) {
    const npmOptions: NpmOptions = { registry: proxy.url, cache: join(isolatedHome().cache, '_cacache') };
    const start = proxy.arrivals.length;
    const tree = await resolveIdealTree(
      [parseScanSpec('prefetch-fanout-root', tmpdir())],
      npmOptions,
      routed ? new PackumentStore(npmOptions) : undefined,
    );
    const asked = proxy.arrivals.slice(start);
    const leaves = asked.filter((arrival) => arrival.path.endsWith('-leaf')).map((arrival) => arrival.at);
    return {
      tree,
      asked: asked.map((arrival) => arrival.path),
      leafSpread: Math.max(...leaves) - Math.min(...leaves),
    };
  }

  it('asks for the next level of documents at once instead of one node at a time, and builds the same tree', async () => {
    // Arborist alone fetches a node's dependencies only when it reaches that node: the leaves come one
    // round trip apart.
    const alone = await resolveCold(false);
    expect(alone.leafSpread).toBeGreaterThanOrEqual(DELAY_MS * 2);

    const ahead = await resolveCold(true);
    expect(ahead.leafSpread).toBeLessThan(DELAY_MS);
    expect(ids(ahead.tree)).toEqual(ids(alone.tree));
    expect(ids(ahead.tree)).toContain('prefetch-fanout-c@1.0.0');
    expect(ids(ahead.tree)).toContain('prefetch-fanout-d@1.0.0');
    expect(ahead.tree.skippedForPlatform).toEqual(alone.tree.skippedForPlatform);
    expect(ahead.tree.skippedForPlatform).toEqual([{ name: 'prefetch-fanout-elsewhere', version: '1.0.0' }]);
    // Followed by npm's own choice of version: nothing of c@2.0.0, nor the optional peer npm leaves out.
    expect(ahead.asked.filter((path) => path.includes('-never-'))).toEqual([]);
  });
});

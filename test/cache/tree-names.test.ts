import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEntry } from '../../src/cache/entry-store.js';
import { TreeNamesCache } from '../../src/cache/tree-names.js';
import { isRegistryPackageName, PackumentStore } from '../../src/registry/packument.js';
import { filesUnder } from '../helpers/files.js';

const REGISTRY = 'http://127.0.0.1:9/';

describe('tree names: a hint that can never name anything but a registry package', () => {
  it('tells plain registry names from specs that would fetch something else', () => {
    for (const name of ['lodash', '@scope/pkg', 'mcp-server-filesystem'])
      expect(isRegistryPackageName(name), name).toBe(true);
    for (const name of [
      'github:evil/x#0123456789abcdef0123456789abcdef01234567',
      'git+https://evil.example/x.git',
      'https://evil.example/x.tgz',
      'file:../x',
      './x',
      'lodash@4.17.21',
      'npm:lodash@4',
      '',
    ])
      expect(isRegistryPackageName(name), name).toBe(false);
  });

  it('stores only registry names, and refuses a stored list that holds anything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-tree-'));
    const cache = new TreeNamesCache(dir);
    await cache.put(REGISTRY, ['a'], ['lodash', 'github:evil/x#main', '@scope/pkg']);
    expect(await cache.get(REGISTRY, ['a'])).toEqual(['lodash', '@scope/pkg']);
    // A list planted with a git spec (valid checksum) is not believed at all.
    const [file] = filesUnder(join(dir, 'tree-names-v1'));
    writeFileSync(file as string, encodeEntry(['lodash', 'github:evil/x#main']));
    expect(await cache.get(REGISTRY, ['a'])).toEqual([]);
  });

  it('the registry-document store refuses such a name before any request', async () => {
    const store = new PackumentStore({
      registry: REGISTRY,
      cache: mkdtempSync(join(tmpdir(), 'ocellus-npm-')),
    });
    const outcome = await store.get('github:evil/x#main');
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toContain('not a registry package name');
  });
});

import { join } from 'node:path';
import type { Packument } from 'pacote';
import { describe, expect, inject, it } from 'vitest';
import type { NpmOptions } from '../../src/npm-config.js';
import { PackumentStore } from '../../src/registry/packument.js';
import { isolatedHome } from './cli.js';

const registry = inject('registryUrl');

describe('PackumentStore', () => {
  it('never leaves a document it fetched in the map of documents Arborist handed over', async () => {
    const home = isolatedHome();
    const npmOptions: NpmOptions = { registry, cache: join(home.cache, '_cacache') };
    // pacote stores each document it fetches in the cache it is given: a 1,359-package audit kept all 1,163 of
    // its full documents alive until the end of the scan.
    const handed = { name: 'handed-over', versions: {}, 'dist-tags': {} } as unknown as Packument;
    const documents = new Map<string, Packument>([['full:elsewhere/handed-over', handed]]);
    const store = new PackumentStore(npmOptions, { documents });
    const outcome = await store.get('postmark-mcp-bcc-backdoor');
    expect(outcome.ok && outcome.index.releases.has('1.0.16')).toBe(true);
    expect([...documents.keys()]).toEqual(['full:elsewhere/handed-over']);
  });
});

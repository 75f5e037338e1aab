import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { NpmOptions } from '../../src/npm-config.js';
import { PackumentIndexCache } from '../../src/registry/index-cache.js';
import { PackumentStore } from '../../src/registry/packument.js';
import { resolveIdealTree } from '../../src/resolve/ideal-tree.js';
import { parseScanSpec } from '../../src/targets/spec.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../hostile/fault-proxy.js';
import { isolatedHome } from './cli.js';

const registry = inject('registryUrl');

describe('PackumentStore online, with stored reductions', () => {
  const NAME = 'postmark-mcp-bcc-backdoor';
  /** One run's store (a scan), reading and writing the reductions in `dir`, through a proxy. */
  function storeFor(proxyUrl: string, dir: string, cacheFolder: string) {
    const npmOptions: NpmOptions = { registry: proxyUrl, cache: cacheFolder };
    return new PackumentStore(npmOptions, {
      indexes: new PackumentIndexCache(dir, 'fingerprint'),
    });
  }
  /** A user's own npm cache folder and analysis cache folder (neither exists yet). */
  function folders() {
    const home = isolatedHome();
    return { npmCache: join(home.cache, '_cacache'), dir: join(home.home, 'analyses') };
  }
  /** A store that refuses any document over `maxDocumentBytes`. */
  const storeBoundedAt = (maxDocumentBytes: number, npmOptions: NpmOptions, dir: string) =>
    new PackumentStore(npmOptions, {
      indexes: new PackumentIndexCache(dir, 'fingerprint'),
      maxDocumentBytes,
    });
  const documentAnswers = (proxy: FaultProxy) =>
    proxy.answers.filter((answer) => answer.path === `/${NAME}`).map((answer) => answer.status);

  it('asks the registry to confirm the stored copy: an unchanged document is a 304, and npm’s cache is left alone', async () => {
    const { npmCache, dir } = folders();
    const proxy = await startFaultProxy(registry, []);
    try {
      const first = await storeFor(proxy.url, dir, npmCache).get(NAME);
      const second = await storeFor(proxy.url, dir, npmCache).get(NAME);
      expect(documentAnswers(proxy)).toEqual([200, 304]);
      expect(second).toEqual(first);
      expect(second.ok && second.index.releases.get('1.0.16')?.integrity).toMatch(/^sha512-/);
      // The full document is this scan's to reduce, not npm's to keep: nothing was written under its cache.
      expect(existsSync(npmCache)).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it('from a registry without validators, re-reads a document only when its bytes changed', async () => {
    const { npmCache, dir } = folders();
    const noValidators: Fault = { path: /./, dropHeaders: ['etag', 'last-modified'] };
    const faults: Fault[] = [noValidators];
    const proxy = await startFaultProxy(registry, faults);
    try {
      await storeFor(proxy.url, dir, npmCache).get(NAME);
      // A mark only the stored reduction carries, seen only if the document is not reduced again.
      const stored = new PackumentIndexCache(dir, 'fingerprint');
      const entry = await stored.get(proxy.url, NAME);
      if (!entry) throw new Error('nothing stored');
      for (const release of entry.index.releases.values())
        release.deprecated = 'mark of the stored reduction';
      await stored.put(proxy.url, entry.index, entry);
      const same = await storeFor(proxy.url, dir, npmCache).get(NAME);
      expect(same.ok && same.index.releases.get('1.0.16')?.deprecated).toBe('mark of the stored reduction');
      faults.unshift({
        path: /./,
        dropHeaders: ['etag', 'last-modified'],
        rewrite: (doc) => ({ ...doc, description: 'new bytes' }),
      });
      const changed = await storeFor(proxy.url, dir, npmCache).get(NAME);
      expect(changed.ok && changed.index.releases.get('1.0.16')?.deprecated).toBeUndefined();
      expect(documentAnswers(proxy)).toEqual([200, 200, 200]);
    } finally {
      await proxy.stop();
    }
  });

  it('refuses a document over the size bound instead of reading it whole', async () => {
    const { npmCache, dir } = folders();
    const npmOptions: NpmOptions = { registry, cache: npmCache };
    const small = storeBoundedAt(1024, npmOptions, dir);
    const refused = await small.get(NAME);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(
      /registry document of postmark-mcp-bcc-backdoor: .*over 1024 bytes/,
    );
    // The same document under the real bound is read.
    const read = await new PackumentStore(npmOptions, {
      indexes: new PackumentIndexCache(dir, 'fingerprint'),
    }).get(NAME);
    expect(read.ok).toBe(true);
  });

  it('a compressed document streamed past the bound fails that document only, and the scan goes on', async () => {
    const { npmCache, dir } = folders();
    // Random padding: megabytes on the wire even compressed, arriving in many pieces after the bound.
    const padding = randomBytes(2 * 1024 * 1024).toString('hex');
    const proxy = await startFaultProxy(registry, [
      { path: new RegExp(`^/${NAME}$`), gzip: true, rewrite: (doc) => ({ ...doc, readme: padding }) },
    ]);
    try {
      const store = new PackumentStore(
        { registry: proxy.url, cache: npmCache },
        { indexes: new PackumentIndexCache(dir, 'fingerprint'), maxDocumentBytes: 1024 * 1024 },
      );
      const refused = await store.get(NAME);
      expect(!refused.ok && refused.reason).toMatch(/over 1048576 bytes/);
      // Whatever the connection still delivers must not end the process: another document is read after it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const other = await store.get('tiny-units');
      expect(other.ok).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('takes no 304 as a document when it named no copy, and with --prefer-offline asks the registry, not npm’s cache, for what it has not stored', async () => {
    const { npmCache, dir } = folders();
    const faults: Fault[] = [{ path: new RegExp(`^/${NAME}$`), status: 304 }];
    const proxy = await startFaultProxy(registry, faults);
    try {
      const unasked = await storeFor(proxy.url, dir, npmCache).get(NAME);
      expect(!unasked.ok && unasked.reason).toMatch(/answered 304 .* without being asked to/);
      faults.length = 0;
      const preferOffline = new PackumentStore(
        { registry: proxy.url, cache: npmCache, preferOffline: true },
        { indexes: new PackumentIndexCache(dir, 'fingerprint') },
      );
      expect((await preferOffline.get(NAME)).ok).toBe(true);
      expect(documentAnswers(proxy)).toEqual([304, 200]);
      expect(existsSync(npmCache)).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it('bounds the documents being read at once together, not only each one', async () => {
    const { npmCache, dir } = folders();
    // Two documents of about 4 MB each, streamed side by side: each is under its own bound, not both together.
    const padding = randomBytes(2 * 1024 * 1024).toString('hex');
    const proxy = await startFaultProxy(registry, [
      {
        path: new RegExp(`^/(?:${NAME}|tiny-units)$`),
        gzip: true,
        rewrite: (doc) => ({ ...doc, readme: padding }),
      },
    ]);
    const both = (limits: { maxInFlightBytes?: number }) => {
      const store = new PackumentStore(
        { registry: proxy.url, cache: npmCache },
        {
          indexes: new PackumentIndexCache(dir, 'fingerprint'),
          maxDocumentBytes: 8 * 1024 * 1024,
          ...limits,
        },
      );
      return Promise.all([store.get(NAME), store.get('tiny-units')]);
    };
    try {
      const capped = await both({ maxInFlightBytes: 6 * 1024 * 1024 });
      const reasons = capped.flatMap((outcome) => (outcome.ok ? [] : [outcome.reason]));
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons)
        expect(reason).toMatch(/being read at once are over 6291456 bytes together/);
      expect((await both({})).every((outcome) => outcome.ok)).toBe(true);
    } finally {
      await proxy.stop();
    }
  });

  it('serves a scan’s resolution and its registry checks with one request per document, and the next resolution from the stored copy', async () => {
    const { npmCache, dir } = folders();
    const proxy = await startFaultProxy(registry, []);
    try {
      const first = storeFor(proxy.url, dir, npmCache);
      const resolvedFrom = structuredClone(await first.installDocument(NAME));
      // Arborist writes into the manifests it is given; neither a later reader nor the stored copy sees it.
      const given = await first.installDocument(NAME);
      (given.versions['1.0.16'] as unknown as Record<string, unknown>)._from = 'written by a reader';
      expect(await first.installDocument(NAME)).toEqual(resolvedFrom);
      const index = await first.get(NAME);
      expect(documentAnswers(proxy)).toEqual([200]);
      // What the resolution reads: every version's dependencies and tarball, none of the publishers or scripts.
      const release = resolvedFrom.versions['1.0.16'] as unknown as Record<string, unknown>;
      expect(release.dist).toEqual(expect.objectContaining({ integrity: expect.stringMatching(/^sha512-/) }));
      expect(release).not.toHaveProperty('_npmUser');
      expect(release).not.toHaveProperty('maintainers');
      expect(index.ok && index.index.releases.get('1.0.16')?.publisher).toBeTruthy();

      const second = storeFor(proxy.url, dir, npmCache);
      expect(await second.installDocument(NAME)).toEqual(resolvedFrom);
      expect(await second.get(NAME)).toEqual(index);
      expect(documentAnswers(proxy)).toEqual([200, 304]);
      expect(existsSync(npmCache)).toBe(false);
    } finally {
      await proxy.stop();
    }
  });

  it('never pairs a stored install view with an index of other bytes', async () => {
    const { dir } = folders();
    const cache = new PackumentIndexCache(dir, 'fingerprint');
    const index = { name: 'x', releases: new Map(), unpublished: [], distTags: {}, timesTrusted: true };
    const install = { name: 'x', versions: {} } as never;
    await cache.put('r', index, { digest: 'sha256-old', install });
    const scanned = await cache.get('r', 'x');
    expect(scanned && (await cache.getInstall('r', scanned))).toEqual(install);
    // An audit then stores the index of newer bytes, without a view: the older view is no longer offered.
    await cache.put('r', index, { digest: 'sha256-new' });
    const audited = await cache.get('r', 'x');
    expect(audited && (await cache.getInstall('r', audited))).toBeUndefined();
  });

  it('asks again for a document whose read failed, instead of keeping the failure for the rest of the scan', async () => {
    const { npmCache, dir } = folders();
    const proxy = await startFaultProxy(registry, [
      { path: new RegExp(`^/${NAME}$`), status: 404, times: 1 },
    ]);
    try {
      const store = storeFor(proxy.url, dir, npmCache);
      await expect(store.installDocument(NAME)).rejects.toMatchObject({ code: 'E404' });
      expect(Object.keys((await store.installDocument(NAME)).versions)).toContain('1.0.16');
      expect(documentAnswers(proxy)).toEqual([404, 200]);
    } finally {
      await proxy.stop();
    }
  });

  it('asks again, whole, for a document whose stored copy lacks the versions the resolution picked', async () => {
    const { npmCache, dir } = folders();
    const proxy = await startFaultProxy(registry, []);
    const store = (wanted: string) =>
      new PackumentStore(
        { registry: proxy.url, cache: npmCache },
        { indexes: new PackumentIndexCache(dir, 'fingerprint'), wanted: () => new Set([wanted]) },
      );
    try {
      const first = store('1.0.16');
      await first.installDocument(NAME);
      await first.get(NAME);
      // The next scan resolves to a version the stored reduction kept thin: the 304 serves the resolution, and
      // the whole document is read again for the scan.
      const second = store('1.0.14');
      await second.installDocument(NAME);
      const outcome = await second.get(NAME);
      expect(outcome.ok && outcome.index.releases.get('1.0.14')?.integrity).toMatch(/^sha512-/);
      expect(documentAnswers(proxy)).toEqual([200, 304, 200]);
    } finally {
      await proxy.stop();
    }
  });

  it('bounds the documents Arborist reads: one over the bound stops the resolution with the reason', async () => {
    const { npmCache, dir } = folders();
    const npmOptions: NpmOptions = { registry, cache: npmCache };
    const small = storeBoundedAt(1024, npmOptions, dir);
    const resolving = resolveIdealTree([parseScanSpec(NAME, tmpdir())], npmOptions, small);
    await expect(resolving).rejects.toThrow(/over 1024 bytes/);
    expect(existsSync(npmCache)).toBe(false);
  });
});

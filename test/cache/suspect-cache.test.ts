import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEntry } from '../../src/cache/entry-store.js';
import { SuspectCache } from '../../src/cache/suspect-cache.js';
import { bundledNameIndex } from '../../src/typosquat/bundled.js';
import { findSuspects } from '../../src/typosquat/matcher.js';
import { filesUnder } from '../helpers/files.js';

const NAMES = ['mcp-server-filesysterm', 'expresss', 'lodash', '__proto__', 'constructor'];

describe('SuspectCache', () => {
  it('answers a later scan with what an earlier one computed, the same as computing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-names-'));
    const first = new SuspectCache(dir, 'fingerprint-1');
    await first.load();
    for (const name of NAMES) first.suspectsOf(name);
    await first.save();

    const second = new SuspectCache(dir, 'fingerprint-1');
    await second.load();
    for (const name of NAMES) {
      expect(second.suspectsOf(name), name).toEqual(
        JSON.parse(JSON.stringify(findSuspects(name, bundledNameIndex()))),
      );
    }
    expect(second.suspectsOf('mcp-server-filesysterm')[0]?.target).toBe(
      '@modelcontextprotocol/server-filesystem',
    );
  });

  it('reads the stored answer instead of computing, and never one stored by another analyser version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-names-'));
    const old = new SuspectCache(dir, 'fingerprint-1');
    await old.load();
    old.suspectsOf('expresss');
    await old.save();
    // Rewrite the stored answer (with a valid checksum): a cache of the same version reads it as it is...
    const [file] = filesUnder(join(dir, 'names-v1'));
    writeFileSync(file as string, encodeEntry({ expresss: [] }));
    const same = new SuspectCache(dir, 'fingerprint-1');
    await same.load();
    expect(same.suspectsOf('expresss')).toEqual([]);
    // ...and another analyser version computes its own.
    const current = new SuspectCache(dir, 'fingerprint-2');
    await current.load();
    expect(current.suspectsOf('expresss')[0]?.target).toBe('express');
  });

  it('recomputes every name when the stored answers are damaged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-names-'));
    const cache = new SuspectCache(dir, 'fingerprint-1');
    await cache.load();
    cache.suspectsOf('expresss');
    await cache.save();
    const [file] = filesUnder(join(dir, 'names-v1'));
    writeFileSync(file as string, readFileSync(file as string, 'utf8').replace('express', 'expresz'));
    const reread = new SuspectCache(dir, 'fingerprint-1');
    await reread.load();
    expect(reread.suspectsOf('expresss')[0]?.target).toBe('express');
  });
});

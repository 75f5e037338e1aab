import { describe, expect, it } from 'vitest';
import {
  DeletionIndex,
  deletionHashes,
  isDeletionOf,
  stringHash,
} from '../../src/typosquat/deletion-index.js';
import { singleDeletions } from '../../src/typosquat/edits.js';

const withoutAt = (text: string, at: number) => text.slice(0, at) + text.slice(at + 1);

describe('deletionHashes', () => {
  it.each([
    'a',
    'ab',
    'aab',
    'express',
    '@modelcontextprotocol/server-filesystem',
    'reаct', // Cyrillic а
    'ｅxpress', // fullwidth
    '\u{1d41e}moji-🙂',
  ])('is the hash of each one-code-unit deletion of %j', (text) => {
    expect(deletionHashes(text)).toEqual(
      [...text.split('').keys()].map((at) => stringHash(withoutAt(text, at))),
    );
  });

  it('tells strings apart that differ only in order or in one character', () => {
    expect(stringHash('ab')).not.toBe(stringHash('ba'));
    expect(stringHash('lodash')).not.toBe(stringHash('lodasg'));
    expect(stringHash('')).toBe(0);
  });
});

describe('isDeletionOf', () => {
  it('is true exactly for the strings made by removing one code unit', () => {
    for (const form of ['express', 'aab', 'reаct', 'x']) {
      for (const deletion of singleDeletions(form)) expect(isDeletionOf(deletion, form)).toBe(true);
    }
    expect(isDeletionOf('expres', 'express')).toBe(true);
    expect(isDeletionOf('exprss', 'express')).toBe(true);
    expect(isDeletionOf('xpress', 'express')).toBe(true);
    // Same length, two removed, one changed, or the other way round: not a deletion.
    expect(isDeletionOf('express', 'express')).toBe(false);
    expect(isDeletionOf('expre', 'express')).toBe(false);
    expect(isDeletionOf('exprez', 'express')).toBe(false);
    expect(isDeletionOf('express', 'expres')).toBe(false);
    expect(isDeletionOf('sxpress', 'express')).toBe(false);
  });
});

describe('DeletionIndex', () => {
  const forms = ['express', 'lodash', 'mongoose', 'electron', 'aab', '@scope/name', 'reаct'];
  const index = new DeletionIndex(forms);

  it('finds every form from every one of its deletions', () => {
    forms.forEach((form, position) => {
      for (const deletion of singleDeletions(form)) expect(index.candidates(deletion)).toContain(position);
    });
  });

  it('meets two names one substitution or one swap apart at a shared deletion', () => {
    // `lodasj` and `lodash` share `lodas`; `elcetron` and `electron` share `elcton`... any deletion at the edit.
    const shared = (suspect: string) =>
      singleDeletions(suspect).some((deletion) =>
        index.candidates(deletion).includes(forms.indexOf('lodash')),
      );
    expect(shared('lodasj')).toBe(true);
    expect(shared('lodahs')).toBe(true);
    expect(shared('react')).toBe(false);
  });

  it('returns nothing for a string no form reduces to, and each position once', () => {
    expect(index.candidates('zzzzzz')).toEqual([]);
    // `aab` gives `ab` twice (deleting either a): still one candidate.
    expect(index.candidates('ab')).toEqual([forms.indexOf('aab')]);
  });

  it('answers the same as a map of the deletion strings over the bundled names', async () => {
    const { POPULAR_PACKAGES } = await import('../../src/typosquat/bundled.js');
    const names = POPULAR_PACKAGES.slice(0, 2000).map(([name]) => name);
    const big = new DeletionIndex(names);
    const exact = new Map<string, Set<number>>();
    names.forEach((name, position) => {
      for (const deletion of singleDeletions(name)) {
        if (!exact.has(deletion)) exact.set(deletion, new Set());
        exact.get(deletion)?.add(position);
      }
    });
    let extra = 0;
    for (const [deletion, positions] of exact) {
      const found = new Set(big.candidates(deletion));
      for (const position of positions) expect(found.has(position)).toBe(true);
      extra += found.size - positions.size;
    }
    // Collisions only add candidates (each is checked by the caller); with 32 bits they are rare.
    expect(extra).toBeLessThan(exact.size / 1000 + 5);
  });
});

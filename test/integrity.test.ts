import { describe, expect, it } from 'vitest';
import { compareIntegrity, isVerifiable, strongIntegrity } from '../src/integrity.js';

const sha512 = (fill: number) => `sha512-${Buffer.alloc(64, fill).toString('base64')}`;
const sha1 = (fill: number) => `sha1-${Buffer.alloc(20, fill).toString('base64')}`;

describe('integrity strings', () => {
  it('a string pacote cannot verify against is not an integrity', () => {
    for (const bad of ['x', '', 'sha512-', 'md5-abc', 'sha512-c2hvcnQ=', 'sha512 foo'])
      expect(isVerifiable(bad)).toBe(false);
    expect(isVerifiable(sha512(1))).toBe(true);
    expect(isVerifiable(sha1(1))).toBe(true);
  });

  it('a cache is keyed by the strongest sha256+ digest only, never by sha1 alone', () => {
    expect(strongIntegrity(`${sha1(1)} ${sha512(2)}`)).toBe(sha512(2));
    expect(strongIntegrity(sha1(1))).toBeUndefined();
    expect(strongIntegrity('x')).toBeUndefined();
  });

  it('compares only what both sides can say', () => {
    expect(compareIntegrity(sha512(1), sha512(1))).toBe('same');
    expect(compareIntegrity(sha512(1), sha512(2))).toBe('different');
    expect(compareIntegrity(sha1(1), sha512(1))).toBe('incomparable');
    expect(compareIntegrity('x', sha512(1))).toBe('incomparable');
  });
});

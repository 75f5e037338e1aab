import { describe, expect, it } from 'vitest';
import { toolsHash } from '../../src/policy/approvals.js';
import { indexPackument } from '../../src/registry/packument.js';
import { resolveVersion } from '../../src/registry/resolve-version.js';

describe('toolsHash', () => {
  const add = { kind: 'tool' as const, name: 'add', description: 'Add two numbers' };
  const sub = { kind: 'tool' as const, name: 'sub', description: 'Subtract' };
  it('does not depend on declaration order', () => {
    expect(toolsHash([add, sub])).toBe(toolsHash([sub, add]));
  });
  it('changes when a description changes by one character, or a tool appears', () => {
    expect(toolsHash([add])).not.toBe(toolsHash([{ ...add, description: 'Add two numbers.' }]));
    expect(toolsHash([add])).not.toBe(toolsHash([add, sub]));
  });
});

describe('resolveVersion: what a floating config starts today', () => {
  const index = indexPackument({
    name: 'p',
    'dist-tags': { latest: '1.4.1', next: '2.0.0-rc.1' },
    versions: Object.fromEntries(
      ['1.3.0', '1.4.0', '1.4.1', '1.5.0-beta.1', '2.0.0-rc.1'].map((v) => [v, {}]),
    ),
  });
  it.each([
    [undefined, '1.4.1'],
    ['latest', '1.4.1'],
    ['next', '2.0.0-rc.1'],
    ['^1.3.0', '1.4.1'],
    ['~1.3.0', '1.3.0'],
    ['1.4.0', '1.4.0'],
    ['^3', undefined],
  ])('%s → %s', (requested, expected) => {
    expect(resolveVersion(index, requested)).toBe(expected);
  });
});

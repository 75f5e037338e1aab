import { describe, expect, it } from 'vitest';
import { codeFacts } from '../../src/facts/package-facts.js';
import { contentsOf } from '../helpers/package-builder.js';

const loader = "const parts = require('./data');\nrequire('child_process').exec(parts.join(' '));\n";

describe('codeFacts reuse between releases', () => {
  const next = contentsOf({
    'index.js': loader,
    'data.js': "module.exports = ['curl', 'https://x.example.net/a'];\n",
    'util.js': 'exports.a = 1;\n',
  });
  const nextFacts = codeFacts(next);

  it('reuses the facts of files that did not change, and recomputes the rest', () => {
    const previous = contentsOf({
      'index.js': loader,
      'data.js': "module.exports = ['curl', 'https://x.example.net/a'];\n",
      'util.js': 'exports.a = 2;\n',
    });
    const facts = codeFacts(previous, { contents: next, code: nextFacts });
    const byPath = (code: typeof facts, path: string) => code.js.find((file) => file.path === path);
    expect(byPath(facts, 'index.js')).toBe(byPath(nextFacts, 'index.js'));
    expect(byPath(facts, 'util.js')).not.toBe(byPath(nextFacts, 'util.js'));
    expect(facts).toEqual(codeFacts(previous));
  });

  it('an unchanged file whose required data module changed is read again', () => {
    const previous = contentsOf({
      'index.js': loader,
      'data.js': "module.exports = ['ls', '-la'];\n",
      'util.js': 'exports.a = 1;\n',
    });
    const facts = codeFacts(previous, { contents: next, code: nextFacts });
    const exec = facts.js
      .find((file) => file.path === 'index.js')
      ?.calls.find((call) => call.callee === 'child_process.exec');
    expect(exec?.args[0]?.value).toBe('ls -la');
    expect(facts).toEqual(codeFacts(previous));
  });

  it('an unchanged file is read again when a path it tried to resolve appears', () => {
    const bare = contentsOf({ 'index.js': loader });
    const bareFacts = codeFacts(bare);
    const facts = codeFacts(next, { contents: bare, code: bareFacts });
    expect(facts.js.find((file) => file.path === 'index.js')).not.toBe(bareFacts.js[0]);
    expect(facts).toEqual(codeFacts(next));
  });
});

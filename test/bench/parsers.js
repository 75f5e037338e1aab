#!/usr/bin/env node
// Measures the candidate JavaScript parsers (acorn, acorn-loose, meriyah, oxc-parser, @babel/parser) on the
// files of real npm packages, fetched in memory with Ocellus's own resolver and tarball reader, then runs a
// table of odd and hostile snippets through each. Prints tables and writes the numbers to
// .bench/parsers.json. Timings are reported, never asserted.
// Usage: npm run build && node test/bench/parsers.js [--runs 2] [--no-depth-search] [spec ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse as babelParse } from '@babel/parser';
import * as acorn from 'acorn';
import * as acornLoose from 'acorn-loose';
import * as meriyah from 'meriyah';
import * as oxc from 'oxc-parser';

const root = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const DEFAULT_SUBJECTS = ['@modelcontextprotocol/server-filesystem', 'typescript@5', 'openai', 'rxjs', 'zod'];
const NESTING_DEPTH = 50_000;

// ---------------------------------------------------------------------------------------------------------
// Parsers. Each `attempt` parses once in one mode and returns { ast, errors: string[] }: `ast` is null when
// the parser threw; `errors` lists what it reported (a throw counts as one error). A RangeError (stack
// overflow) is caught like any other throw.

const lang = (file) => {
  if (/\.(?:[cm]?ts)$/.test(file)) return 'ts';
  if (file.endsWith('.tsx')) return 'tsx';
  if (file.endsWith('.jsx')) return 'jsx';
  return 'js';
};
const threw = (error) => ({
  ast: null,
  errors: [`${error?.name ?? 'Error'}: ${String(error?.message ?? error)}`],
});

function oxcAttempt(text, { sourceType, jsx, filename, language }, extra) {
  try {
    const result = oxc.parseSync(filename, text, {
      sourceType,
      lang: jsx && language === 'js' ? 'jsx' : language,
      preserveParens: false,
      ...extra,
    });
    // .program is deserialized lazily from JSON: read it so the cost is measured.
    const ast = result.program;
    const errors = result.errors.filter((e) => e.severity === 'Error').map((e) => e.message);
    return { ast, errors };
  } catch (error) {
    return threw(error);
  }
}

const PARSERS = [
  {
    name: 'acorn',
    jsx: false,
    ts: false,
    options: "acorn.parse(text, { ecmaVersion: 'latest', sourceType, locations: true, allowHashBang: true })",
    attempt(text, { sourceType }) {
      try {
        return {
          ast: acorn.parse(text, { ecmaVersion: 'latest', sourceType, locations: true, allowHashBang: true }),
          errors: [],
        };
      } catch (error) {
        return threw(error);
      }
    },
  },
  {
    name: 'acorn-loose',
    jsx: false,
    ts: false,
    loose: true,
    options:
      "acornLoose.parse(text, { ecmaVersion: 'latest', sourceType, locations: true, allowHashBang: true }) (never reports errors)",
    attempt(text, { sourceType }) {
      try {
        return {
          ast: acornLoose.parse(text, {
            ecmaVersion: 'latest',
            sourceType,
            locations: true,
            allowHashBang: true,
          }),
          errors: [],
        };
      } catch (error) {
        return threw(error);
      }
    },
  },
  {
    name: 'meriyah',
    jsx: true,
    ts: false,
    options:
      'meriyah.parse(text, { sourceType, next: true, webcompat: true, loc: true, ranges: { start: true, end: true }, jsx })',
    attempt(text, { sourceType, jsx }) {
      try {
        const ast = meriyah.parse(text, {
          sourceType,
          next: true,
          webcompat: true,
          loc: true,
          ranges: { start: true, end: true },
          jsx,
        });
        return { ast, errors: [] };
      } catch (error) {
        return threw(error);
      }
    },
  },
  {
    name: 'oxc-parser',
    jsx: true,
    ts: true,
    options:
      "oxc.parseSync(filename, text, { sourceType, lang: 'js'|'jsx'|'ts'|'tsx', preserveParens: false }), then .program and .errors",
    attempt: (text, context) => oxcAttempt(text, context, {}),
  },
  {
    name: 'oxc-parser (raw transfer)',
    jsx: true,
    ts: true,
    variant: true,
    options: 'as oxc-parser, plus experimentalRawTransfer: true',
    attempt: (text, context) => oxcAttempt(text, context, { experimentalRawTransfer: true }),
  },
  {
    name: '@babel/parser',
    jsx: true,
    ts: true,
    options:
      "babel.parse(text, { sourceType, errorRecovery: true, attachComment: false, plugins: ['estree', 'decorators', +'jsx' on .jsx/.tsx, +'typescript' on .ts/.tsx] })",
    attempt(text, { sourceType, jsx, language }) {
      const plugins = ['estree', 'decorators'];
      if (jsx) plugins.push('jsx');
      if (language === 'ts' || language === 'tsx') plugins.push('typescript');
      try {
        const file = babelParse(text, { sourceType, errorRecovery: true, attachComment: false, plugins });
        return { ast: file.program, errors: (file.errors ?? []).map((e) => e.message) };
      } catch (error) {
        return threw(error);
      }
    },
  },
];
const parserByName = new Map(PARSERS.map((parser) => [parser.name, parser]));

/**
 * What a scanner would do: module first (CommonJS first for .cjs/.cts), then the other mode; CommonJS mode
 * is script plus a top-level `return`. A .js file that fails both is tried once more with JSX, where the
 * parser has it. The first attempt with no errors wins; otherwise the attempt whose AST kept most statements.
 */
function parseFile(parser, filename, text) {
  const language = lang(filename);
  const modes = /\.c[jt]s$/.test(filename) ? ['commonjs', 'module'] : ['module', 'commonjs'];
  const jsxFile = language === 'jsx' || language === 'tsx';
  const attempts = modes.map((sourceType) => ({ sourceType, jsx: jsxFile && parser.jsx }));
  if (language === 'js' && parser.jsx) attempts.push({ sourceType: modes[0], jsx: true });
  let best;
  for (const options of attempts) {
    const result = parser.attempt(text, { ...options, filename, language });
    const mode = `${options.sourceType === 'module' ? 'm' : 'c'}${options.jsx && !jsxFile ? '+jsx' : ''}`;
    if (result.ast && result.errors.length === 0) return { ...result, ok: true, mode };
    const size = result.ast?.body?.length ?? -1;
    if (!best || size > best.size) best = { ...result, size, mode };
  }
  return { ...best, ok: false };
}

// ---------------------------------------------------------------------------------------------------------
// Child-process probe for deep nesting: a native stack overflow (SIGSEGV) cannot be caught in-process.

const nestedSource = (kind, depth) =>
  kind === 'parens'
    ? `x = ${'('.repeat(depth)}1${')'.repeat(depth)};\n`
    : `x = ${'['.repeat(depth)}1${']'.repeat(depth)};\n`;

if (process.argv[2] === '--probe') {
  const [, , , name, kind, depth] = process.argv;
  const result = parseFile(parserByName.get(name), 'deep.js', nestedSource(kind, Number(depth)));
  const status = result.ok ? 'ok' : result.ast ? 'recovered' : 'error';
  process.stdout.write(JSON.stringify({ status, error: result.errors[0]?.slice(0, 120) }));
  process.exit(0);
}

function probe(name, kind, depth) {
  const child = spawnSync(process.execPath, [self, '--probe', name, kind, String(depth)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.signal || child.status !== 0) {
    return { status: 'crash', error: child.signal ?? `exit ${child.status}` };
  }
  try {
    return JSON.parse(child.stdout);
  } catch {
    return { status: 'crash', error: `unreadable output: ${child.stdout.slice(0, 80)}` };
  }
}

/** Largest depth (to within 2%) at which the parser still gives a clean AST. Assumes monotone behaviour. */
function deepestOk(name, kind) {
  let low = 0;
  let high = NESTING_DEPTH;
  let failure;
  while (high - low > Math.max(50, low * 0.02)) {
    const mid = Math.floor((low + high) / 2);
    const result = probe(name, kind, mid);
    if (result.status === 'ok') low = mid;
    else {
      high = mid;
      failure = result;
    }
  }
  return { deepestOk: low, firstFailingDepth: high, failure };
}

// ---------------------------------------------------------------------------------------------------------
// Tolerance snippets. `marker` names an identifier that appears after the awkward part: if the AST holds it,
// the parser kept the rest of the file.

const SNIPPETS = [
  { id: 'hashbang', file: 'a.js', text: '#!/usr/bin/env node\nafter();\n' },
  { id: 'html-comment (script)', file: 'a.js', text: '<!-- x -->\nvar a = 1;\n--> trailing\nafter();\n' },
  { id: 'with (sloppy script)', file: 'a.js', text: 'with (obj) { after(); }\n' },
  { id: 'top-level await (.mjs)', file: 'a.mjs', text: "const m = await import('./x.js');\nafter(m);\n" },
  { id: 'class static block', file: 'a.js', text: 'class A { static { after(); } }\n' },
  {
    id: 'import attributes',
    file: 'a.mjs',
    text: "import data from './a.json' with { type: 'json' };\nafter(data);\n",
  },
  { id: 'regex /v flag', file: 'a.js', text: 'const r = /[\\p{L}--[a-z]]/v;\nafter(r);\n' },
  {
    id: '.ts types + enum',
    file: 'a.ts',
    text: 'enum Color { Red, Green }\nfunction f(x: number): string { return String(x); }\nafter(f(Color.Red));\n',
  },
  { id: 'decorator', file: 'a.js', text: '@dec class A { @dec m() {} }\nafter(A);\n' },
  { id: 'JSX in .js', file: 'a.js', text: 'const el = <div className="a">{x}</div>;\nafter(el);\n' },
  {
    id: 'unterminated string mid-file',
    file: 'a.js',
    text: 'var a = 1;\nvar s = "abc\nvar b = 2;\nfunction after() { return 3; }\n',
  },
  { id: 'bad call `f(;` mid-file', file: 'a.js', text: 'var a = 1;\nf(;\nfunction after() { return 3; }\n' },
  { id: 'octal 010 (sloppy)', file: 'a.js', text: 'var n = 010;\nafter(n);\n' },
  { id: 'let as identifier (sloppy)', file: 'a.js', text: 'var let = 1;\nlet = 2;\nafter(let);\n' },
  { id: 'escaped ident \\u0065val', file: 'a.js', text: "\\u0065val('1');\nafter();\n" },
];

function containsIdentifier(node, name, budget = { left: 100_000 }) {
  if (!node || typeof node !== 'object' || budget.left-- <= 0) return false;
  if (Array.isArray(node)) return node.some((child) => containsIdentifier(child, name, budget));
  if (node.type === 'Identifier' && node.name === name) return true;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'range' || key === 'parent') continue;
    const value = node[key];
    if (value && typeof value === 'object' && containsIdentifier(value, name, budget)) return true;
  }
  return false;
}

function countIdentifiers(node, name) {
  let count = 0;
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!current || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      stack.push(...current);
      continue;
    }
    if (current.type === 'Identifier' && current.name === name) count++;
    for (const key of Object.keys(current)) if (key !== 'loc') stack.push(current[key]);
  }
  return count;
}

function tolerance(parser, snippet) {
  const language = lang(snippet.file);
  if ((language === 'ts' || language === 'tsx') && !parser.ts)
    return { cell: 'n/a', detail: 'no TypeScript' };
  const result = parseFile(parser, snippet.file, snippet.text);
  const kept = result.ast ? containsIdentifier(result.ast, 'after') : false;
  if (result.ok) {
    const cell = `ok(${result.mode})${kept ? '' : ' lost-rest'}`;
    return {
      cell: parser.loose && countIdentifiers(result.ast, '✖') > 0 ? `${cell} ✖` : cell,
      mode: result.mode,
    };
  }
  if (result.ast)
    return { cell: kept ? 'recovered' : 'partial', detail: result.errors[0], mode: result.mode };
  return { cell: 'REJECT', detail: result.errors[0] };
}

// ---------------------------------------------------------------------------------------------------------
// Corpus

const CODE_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
const DECLARATION_FILE = /\.d\.(?:[cm]?ts|tsx)$/;

async function buildCorpus(subjects) {
  const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
  const [{ loadNpmOptions }, { parseScanSpec }, { resolveIdealTree }, { fetchPackage }, { DEFAULT_LIMITS }] =
    await Promise.all([
      dist('npm-config.js'),
      dist('targets/spec.js'),
      dist('resolve/ideal-tree.js'),
      dist('fetch/tarball.js'),
      dist('fetch/limits.js'),
    ]);
  const npmOptions = await loadNpmOptions({ cwd: root, env: process.env });
  const trees = await Promise.all(
    subjects.map((subject) => resolveIdealTree([parseScanSpec(subject, root)], npmOptions)),
  );
  const nodes = new Map();
  for (const tree of trees) for (const node of tree.packages) nodes.set(`${node.name}@${node.version}`, node);

  const files = [];
  const failed = [];
  const queue = [...nodes.values()];
  const worker = async () => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      const outcome = await fetchPackage(node, npmOptions, DEFAULT_LIMITS);
      if (!outcome.ok) {
        failed.push(`${node.name}@${node.version}: ${outcome.code} ${outcome.reason}`);
        continue;
      }
      for (const [path, file] of outcome.contents.files) {
        if (!CODE_FILE.test(path) || DECLARATION_FILE.test(path)) continue;
        const text = file.bytes.toString('utf8');
        files.push({
          name: `${node.name}@${node.version}/${path}`,
          path,
          text,
          bytes: file.bytes.byteLength,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  files.sort((a, b) => a.name.localeCompare(b.name));
  return { packages: nodes.size, failed, files };
}

// ---------------------------------------------------------------------------------------------------------
// Measurement

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
};
const mb = (bytes) => bytes / 1024 / 1024;

function runOnce(parser, files) {
  const times = [];
  const rejected = [];
  let recovered = 0;
  let bytes = 0;
  const started = performance.now();
  for (const file of files) {
    const t0 = performance.now();
    const result = parseFile(parser, file.path, file.text);
    times.push(performance.now() - t0);
    bytes += file.bytes;
    if (!result.ok) {
      rejected.push({ file: file.name, error: result.errors[0]?.slice(0, 160) });
      if ((result.ast?.body?.length ?? 0) > 0) recovered++;
    }
  }
  const wallMs = performance.now() - started;
  let slowest = 0;
  for (let i = 1; i < times.length; i++) if (times[i] > times[slowest]) slowest = i;
  return {
    parser: parser.name,
    files: files.length,
    mb: mb(bytes),
    wallMs,
    mbPerSecond: mb(bytes) / (wallMs / 1000),
    rejected: rejected.length,
    rejectedWithNonEmptyAst: recovered,
    medianMs: median(times),
    maxMs: times[slowest] ?? 0,
    slowestFile: files[slowest]?.name,
    rejectedFiles: rejected.slice(0, 50),
  };
}

function bench(parsers, files, runs) {
  const best = new Map();
  const allRuns = new Map();
  for (let run = 0; run < runs; run++) {
    for (const parser of parsers) {
      collectGarbage();
      const result = runOnce(parser, files);
      allRuns.set(parser.name, [...(allRuns.get(parser.name) ?? []), Math.round(result.wallMs)]);
      if (!best.has(parser.name) || result.wallMs < best.get(parser.name).wallMs)
        best.set(parser.name, result);
    }
  }
  return parsers.map((parser) => ({ ...best.get(parser.name), runsWallMs: allRuns.get(parser.name) }));
}

/** What acorn-loose makes of the files acorn rejects: every one should give an AST; ✖ marks a made-up node. */
function looseOnRejects(acornResult, files) {
  const byName = new Map(files.map((file) => [file.name, file]));
  const loose = parserByName.get('acorn-loose');
  return acornResult.rejectedFiles.map(({ file: name, error }) => {
    const file = byName.get(name);
    const t0 = performance.now();
    const result = parseFile(loose, file.path, file.text);
    const ms = performance.now() - t0;
    return {
      file: name,
      acornError: error,
      looseAst: Boolean(result.ast),
      statements: result.ast?.body?.length ?? 0,
      placeholders: result.ast ? countIdentifiers(result.ast, '✖') : 0,
      ms,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Output

function table(headers, rows) {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const resultRows = (results) =>
  results.map((r) => [
    r.parser,
    r.files,
    r.mb.toFixed(2),
    Math.round(r.wallMs),
    r.mbPerSecond.toFixed(1),
    r.rejected,
    r.rejectedWithNonEmptyAst,
    r.medianMs.toFixed(3),
    r.maxMs.toFixed(1),
  ]);
const RESULT_HEADERS = [
  'parser',
  'files',
  'MB',
  'wall ms',
  'MB/s',
  'rejected',
  'of which partial AST',
  'median ms',
  'max ms',
];

async function main() {
  const args = process.argv.slice(2);
  const runsFlag = args.indexOf('--runs');
  const runs = Math.max(2, runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 2);
  const depthFlag = args.indexOf('--no-depth-search');
  const depthSearch = depthFlag < 0;
  if (!depthSearch) args.splice(depthFlag, 1);
  const subjects = args.length > 0 ? args : DEFAULT_SUBJECTS;

  console.log(`Resolving and fetching ${subjects.join(', ')} ...`);
  const corpus = await buildCorpus(subjects);
  const jsFiles = corpus.files.filter((file) => lang(file.path) === 'js' || lang(file.path) === 'jsx');
  const tsFiles = corpus.files.filter((file) => lang(file.path) === 'ts' || lang(file.path) === 'tsx');
  const byExtension = {};
  for (const file of corpus.files) {
    const ext = file.path.match(/\.[^.]+$/)[0];
    byExtension[ext] ??= { files: 0, mb: 0 };
    byExtension[ext].files++;
    byExtension[ext].mb += mb(file.bytes);
  }
  const largest = [...corpus.files].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  console.log(
    `Corpus: ${corpus.packages} packages, ${corpus.files.length} files, ${mb(corpus.files.reduce((n, f) => n + f.bytes, 0)).toFixed(2)} MB ` +
      `(JS ${jsFiles.length} files, TS ${tsFiles.length} files)`,
  );
  for (const [ext, stats] of Object.entries(byExtension)) {
    console.log(
      `  ${ext.padEnd(5)} ${String(stats.files).padStart(6)} files ${stats.mb.toFixed(2).padStart(8)} MB`,
    );
  }
  console.log(`  largest: ${largest.map((f) => `${f.name} (${mb(f.bytes).toFixed(1)} MB)`).join(', ')}`);
  if (corpus.failed.length > 0) console.log(`  not fetched: ${corpus.failed.join('; ')}`);

  console.log(`\nParsing the JS files (.js .cjs .mjs .jsx), best of ${runs} runs per parser ...`);
  const jsResults = bench(PARSERS, jsFiles, runs);
  console.log(table(RESULT_HEADERS, resultRows(jsResults)));
  const acornResult = jsResults.find((r) => r.parser === 'acorn');
  const loose = looseOnRejects(acornResult, jsFiles);
  if (loose.length > 0) {
    console.log(`\nacorn-loose on the ${loose.length} files acorn rejects:`);
    for (const entry of loose) {
      console.log(
        `  ${entry.file}: AST ${entry.looseAst ? 'yes' : 'no'}, ${entry.statements} top-level statements, ` +
          `${entry.placeholders} ✖ placeholders, ${entry.ms.toFixed(1)} ms (acorn: ${entry.acornError})`,
      );
    }
  }
  for (const r of jsResults) {
    if (r.rejected === 0) continue;
    console.log(`\n${r.parser} rejected ${r.rejected}:`);
    for (const entry of r.rejectedFiles.slice(0, 8)) console.log(`  ${entry.file}: ${entry.error}`);
  }

  let tsResults = [];
  if (tsFiles.length > 0) {
    console.log(`\nParsing the TS files (.ts .mts .cts .tsx, no .d.ts), best of ${runs} runs ...`);
    tsResults = bench(
      PARSERS.filter((parser) => parser.ts),
      tsFiles,
      runs,
    );
    console.log(table(RESULT_HEADERS, resultRows(tsResults)));
    console.log('  acorn, acorn-loose and meriyah cannot parse TypeScript.');
  }

  console.log(
    '\nTolerance (m = parsed as module, c = CommonJS/script, +jsx = JSX retry; lost-rest = no `after`):',
  );
  const toleranceRows = SNIPPETS.map((snippet) => {
    const cells = PARSERS.map((parser) => ({ parser: parser.name, ...tolerance(parser, snippet) }));
    return { snippet: snippet.id, file: snippet.file, cells };
  });
  const nesting = [];
  for (const kind of ['parens', 'arrays']) {
    const cells = PARSERS.map((parser) => {
      const result = probe(parser.name, kind, NESTING_DEPTH);
      const cell =
        result.status === 'crash'
          ? `CRASH ${result.error}`
          : result.status === 'error'
            ? (result.error ?? '').split(':')[0]
            : result.status;
      return { parser: parser.name, cell, detail: result.error };
    });
    toleranceRows.push({ snippet: `${NESTING_DEPTH} nested ${kind}`, file: 'deep.js', cells });
    nesting.push({ kind, depth: NESTING_DEPTH, cells });
  }
  const short = (name) =>
    name.replace('oxc-parser (raw transfer)', 'oxc raw').replace('@babel/parser', 'babel');
  console.log(
    table(
      ['snippet', ...PARSERS.map((parser) => short(parser.name))],
      toleranceRows.map((row) => [row.snippet, ...row.cells.map((cell) => cell.cell)]),
    ),
  );

  const depthLimits = [];
  if (depthSearch) {
    console.log('\nDeepest nesting that still parses (child process per probe; beyond it: what happens):');
    for (const parser of PARSERS) {
      for (const kind of ['parens', 'arrays']) {
        const limit = deepestOk(parser.name, kind);
        depthLimits.push({ parser: parser.name, kind, ...limit });
        const beyond = limit.failure
          ? `${limit.failure.status}${limit.failure.error ? ` (${limit.failure.error.slice(0, 70)})` : ''}`
          : 'none';
        console.log(
          `  ${parser.name.padEnd(26)} ${kind.padEnd(6)} ok to ~${limit.deepestOk}, then ${beyond}`,
        );
      }
    }
  }

  const versions = Object.fromEntries(
    ['acorn', 'acorn-loose', 'meriyah', 'oxc-parser', '@babel/parser'].map((name) => [
      name,
      JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version,
    ]),
  );
  const output = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    versions,
    subjects,
    runs,
    strategy:
      'module then CommonJS (CommonJS then module for .cjs/.cts); a .js file failing both is retried with JSX where supported; first attempt without errors wins',
    options: Object.fromEntries(PARSERS.map((parser) => [parser.name, parser.options])),
    corpus: {
      packages: corpus.packages,
      notFetched: corpus.failed,
      files: corpus.files.length,
      mb: mb(corpus.files.reduce((n, f) => n + f.bytes, 0)),
      jsFiles: jsFiles.length,
      tsFiles: tsFiles.length,
      byExtension,
      largest: largest.map((f) => ({ file: f.name, mb: mb(f.bytes) })),
    },
    js: jsResults,
    ts: tsResults,
    acornLooseOnAcornRejects: loose,
    tolerance: toleranceRows,
    nesting,
    depthLimits,
  };
  mkdirSync(join(root, '.bench'), { recursive: true });
  writeFileSync(join(root, '.bench', 'parsers.json'), `${JSON.stringify(output, null, 2)}\n`);
  console.log('\nWrote .bench/parsers.json');
}

await main();

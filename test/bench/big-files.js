#!/usr/bin/env node
// Memory and time of code facts on packages made of very large single-file bundles (typescript's 9 MB
// lib/typescript.js, prettier's plugins, ...). Each package is measured in its own process, so peak RSS is
// that package's alone: fetched, collected, then codeFacts timed with the process's peak RSS before and
// after. Prints one row per package and writes .bench/big-files.json; with --dump, also writes each
// package's facts to .bench/big-files/<name>.json to compare two builds.
// Usage: node test/bench/big-files.js [--dump] [spec ...]   (needs `npm run build` first)
// BIG_FILES_NODE_FLAGS="--max-semi-space-size=16" passes V8 flags to the measuring processes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pacote from 'pacote';
import { codeFacts } from '../../dist/facts/package-facts.js';
import { DEFAULT_LIMITS } from '../../dist/fetch/limits.js';
import { fetchPackage } from '../../dist/fetch/tarball.js';
import { loadNpmOptions } from '../../dist/npm-config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const DEFAULT_SPECS = [
  'typescript@5.9.3',
  'prettier@3.10.1',
  '@angular/compiler@22.2.6',
  'terser@5.51.4',
  'pdfjs-dist@5.5.207',
];
const MB = 1024 * 1024;

async function measureOne(spec, dump) {
  const npmOptions = await loadNpmOptions({ cwd: process.cwd(), env: process.env });
  const manifest = await pacote.manifest(spec, npmOptions);
  const node = {
    name: manifest.name,
    version: manifest.version,
    integrity: manifest._integrity ?? null,
    resolved: manifest._resolved ?? null,
    paths: [],
    pathsTruncated: false,
    optional: false,
  };
  const outcome = await fetchPackage(node, npmOptions, DEFAULT_LIMITS);
  if (!outcome.ok) throw new Error(`${spec}: ${outcome.reason}`);
  let jsBytes = 0;
  let largest = 0;
  for (const file of outcome.contents.files.values()) {
    if (!/\.(?:[cm]?js|jsx)$/i.test(file.path)) continue;
    jsBytes += file.size;
    largest = Math.max(largest, file.size);
  }
  globalThis.gc?.();
  globalThis.gc?.();
  const baseline = process.memoryUsage();
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const facts = codeFacts(outcome.contents);
  const ms = performance.now() - started;
  // CPU time of the process (GC helper threads included): steadier than wall time on a busy machine.
  const cpu = process.cpuUsage(cpuStarted);
  const peakAfter = process.resourceUsage().maxRSS * 1024;
  globalThis.gc?.();
  globalThis.gc?.();
  const retained = process.memoryUsage().heapUsed - baseline.heapUsed;
  const count = (key) => facts.js.reduce((sum, file) => sum + file[key].length, 0);
  const json = JSON.stringify({ js: facts.js, others: facts.others, failures: facts.failures });
  if (dump) {
    mkdirSync(join(root, '.bench', 'big-files'), { recursive: true });
    writeFileSync(join(root, '.bench', 'big-files', `${manifest.name.replace('/', '__')}.json`), json);
  }
  return {
    name: `${manifest.name}@${manifest.version}`,
    jsBytes,
    largest,
    files: facts.js.length,
    notParsed: facts.js.filter((file) => file.parse !== 'parsed').map((file) => `${file.path}:${file.parse}`),
    failures: facts.failures.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRss: baseline.rss,
    peakBefore,
    peakAfter,
    // The package's own cost: how far codeFacts pushed the peak above the settled process.
    peakAboveBaseline: peakAfter > peakBefore ? peakAfter - baseline.rss : 0,
    retainedHeap: retained,
    calls: count('calls'),
    strings: count('strings'),
    accesses: count('accesses'),
    assignments: count('assignments'),
    imports: count('imports'),
    factsJson: json.length,
  };
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  const result = await measureOne(args[1], args[2] === '--dump');
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const dump = args.includes('--dump');
  const specs = args.filter((arg) => arg !== '--dump');
  const rows = [];
  for (const spec of specs.length > 0 ? specs : DEFAULT_SPECS) {
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        ...(process.env.BIG_FILES_NODE_FLAGS ?? '').split(' ').filter(Boolean),
        self,
        '--one',
        spec,
        ...(dump ? ['--dump'] : []),
      ],
      { encoding: 'utf8', maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const row = JSON.parse(output.trim().split('\n').pop());
    rows.push(row);
    const mb = (bytes) => `${(bytes / MB).toFixed(0)} MB`;
    console.log(
      `${row.name.padEnd(28)} ${(row.jsBytes / MB).toFixed(1).padStart(5)} MB js (largest ${(row.largest / MB).toFixed(1)})` +
        `  ${(row.ms / 1000).toFixed(2).padStart(5)} s (cpu ${(row.cpuMs / 1000).toFixed(2)} s)  peak +${mb(row.peakAboveBaseline)} (rss ${mb(row.peakAfter)}, base ${mb(row.baselineRss)})` +
        `  retained ${mb(row.retainedHeap)}  facts ${mb(row.factsJson)} json` +
        `  calls ${row.calls} strings ${row.strings} accesses ${row.accesses}` +
        (row.notParsed.length > 0 ? `  not parsed: ${row.notParsed.join(', ')}` : ''),
    );
  }
  mkdirSync(join(root, '.bench'), { recursive: true });
  writeFileSync(
    join(root, '.bench', 'big-files.json'),
    `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}

#!/usr/bin/env node
// `npm run bench`: times `ocellus scan` of real packages from the public registry, cold (empty npm cache)
// and warm (same cache again), next to `npm install --ignore-scripts` of the same package on the same
// machine. Prints medians and writes them to .bench/results.json. Timings are reported, never asserted.
// Usage: npm run bench [-- --runs 3 package ...]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const args = process.argv.slice(2);
const runsFlag = args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 3;
const subjects = args.length > 0 ? args : ['@modelcontextprotocol/server-filesystem'];

function timed(command, commandArgs, options) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    execFile(command, commandArgs, { maxBuffer: 256 * 1024 * 1024, ...options }, (error, stdout) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, code: error ? (error.code ?? 1) : 0, stdout });
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(label, run) {
  const cold = [];
  const warm = [];
  let detail;
  for (let i = 0; i < runs; i++) {
    const cache = mkdtempSync(join(tmpdir(), 'ocellus-bench-cache-'));
    try {
      const first = await run(cache);
      const second = await run(cache);
      cold.push(first.seconds);
      warm.push(second.seconds);
      detail = second.detail ?? first.detail;
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  return { label, cold: median(cold), warm: median(warm), coldRuns: cold, warmRuns: warm, detail };
}

function scanRun(subject, extra = []) {
  return async (cache) => {
    const result = await timed(
      process.execPath,
      [cli, 'scan', subject, '--format', 'json', '--fail-on', 'none', ...extra],
      {
        env: { ...process.env, npm_config_cache: cache },
      },
    );
    let detail;
    try {
      const report = JSON.parse(result.stdout);
      detail = `${report.summary.packages} packages, highest ${report.summary.highestSeverity}, exit ${result.code}`;
    } catch {
      detail = `exit ${result.code}`;
    }
    return { seconds: result.seconds, detail };
  };
}

function installRun(subject) {
  return async (cache) => {
    const project = mkdtempSync(join(tmpdir(), 'ocellus-bench-install-'));
    try {
      writeFileSync(join(project, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}');
      const result = await timed(
        'npm',
        ['install', subject, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'],
        { cwd: project, env: { ...process.env, npm_config_cache: cache } },
      );
      return { seconds: result.seconds, detail: `exit ${result.code}` };
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  };
}

const results = [];
for (const subject of subjects) {
  const scanResult = await measure(`ocellus scan ${subject}`, scanRun(subject));
  // The same scan without the version diff: what comparing with previous releases costs.
  const noDiff = await measure(`ocellus scan --no-diff ${subject}`, scanRun(subject, ['--no-diff']));
  const installResult = await measure(`npm install --ignore-scripts ${subject}`, installRun(subject));
  results.push({ subject, scan: scanResult, noDiff, install: installResult });
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
console.log(
  `machine: ${machine}; median of ${runs} runs, each with a fresh npm cache (cold) then the same cache (warm)\n`,
);
for (const { subject, scan, noDiff, install } of results) {
  console.log(subject);
  for (const row of [scan, noDiff, install]) {
    console.log(
      `  ${row.label.padEnd(70)} cold ${row.cold.toFixed(2)} s  warm ${row.warm.toFixed(2)} s  (${row.detail})`,
    );
  }
  console.log(
    `  ratio scan/install: cold ${(scan.cold / install.cold).toFixed(2)}, warm ${(scan.warm / install.warm).toFixed(2)}; the diff adds cold ${(scan.cold - noDiff.cold).toFixed(2)} s, warm ${(scan.warm - noDiff.warm).toFixed(2)} s\n`,
  );
}
mkdirSync(join(root, '.bench'), { recursive: true });
writeFileSync(
  join(root, '.bench', 'results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, runs, results }, null, 2)}\n`,
);
console.log('written to .bench/results.json');

#!/usr/bin/env node
// `npm run bench`: times `ocellus scan` of real subjects from the public registry (three MCP servers of
// different sizes, a framework CLI, and the lockfile audit of two real projects under test/bench/projects),
// next to, on the same machine and in the same run, `npm install --ignore-scripts` of the same subject (`npm ci`
// for a project) and the floor: fetching and unpacking every tarball of the resolved tree, nothing else.
// Each tool runs cold (a fresh empty npm cache and a fresh empty Ocellus analysis cache, OCELLUS_CACHE_DIR)
// then warm (the same caches again); scans also run warm with --prefer-offline when the CLI has that flag, and
// last with the analyses and typosquat answers removed but npm's cache, the stored registry documents and the
// compiled code kept ("analysis"): a cold scan's CPU without its downloads, which compares across days when the
// registry's speed does not.
// Prints medians, the ratios scan/install and scan/floor, packages per second, each scan's peak memory (max RSS)
// and CPU time (all threads: on a machine with few cores the CPU is what a cold scan waits for), and writes
// every run to .bench/results.json. Timings are reported, never asserted.
// Usage: node test/bench/run.js [--runs 3] [--only label,...] [--skip-install]   (progress goes to stderr)
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';
import { DEFAULT_LIMITS } from '../../dist/fetch/limits.js';
import { fetchPackage } from '../../dist/fetch/tarball.js';
import { loadNpmOptions } from '../../dist/npm-config.js';
import { resolveIdealTree } from '../../dist/resolve/ideal-tree.js';
import { resolveLockfile } from '../../dist/resolve/lockfile.js';
import { parseScanSpec } from '../../dist/targets/spec.js';
import {
  calibrate,
  describeMachine,
  medianOf,
  progress,
  readUsage,
  root,
  SUBJECTS,
  timed,
  writePeakPreload,
} from './common.js';

const cli = join(root, 'dist', 'cli.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The floor fetches at the scanner's own default concurrency (`ocellus scan --concurrency`, 16).
const FLOOR_CONCURRENCY = 16;

if (process.argv[2] === '--floor-child') await floorChild(process.argv[3]);
else await main();

/**
 * The floor, in a child process of its own like the scan: every package of a tree resolved beforehand, fetched
 * through pacote (npm's cache and configuration), verified against its integrity and unpacked in memory, which
 * is what the scanner must at least do. Prints the seconds taken once the modules are loaded.
 */
async function floorChild(treeFile) {
  const nodes = JSON.parse(readFileSync(treeFile, 'utf8'));
  const npmOptions = await loadNpmOptions({ cwd: process.cwd(), env: process.env });
  const limit = pLimit(FLOOR_CONCURRENCY);
  const started = performance.now();
  const failed = [];
  await Promise.all(
    nodes.map((node) =>
      limit(async () => {
        const outcome = await fetchPackage(node, npmOptions, DEFAULT_LIMITS);
        // The contents are dropped at once: the floor keeps nothing, as a scan keeps only its findings.
        if (!outcome.ok) failed.push(`${node.name}@${node.version}: ${outcome.code}`);
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ seconds, packages: nodes.length, failed }));
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      only: { type: 'string' },
      'skip-install': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs wants a positive integer, not ${values.runs}`);
  const only = values.only?.split(',').map((label) => label.trim());
  const unknown = only?.filter((label) => !SUBJECTS.some((subject) => subject.label === label)) ?? [];
  if (unknown.length > 0) {
    throw new Error(
      `unknown subject ${unknown.join(', ')}; known: ${SUBJECTS.map((s) => s.label).join(', ')}`,
    );
  }
  const subjects = only ? SUBJECTS.filter((subject) => only.includes(subject.label)) : SUBJECTS;
  const skipInstall = values['skip-install'];

  const work = mkdtempSync(join(tmpdir(), 'ocellus-bench-'));
  const cleanUp = () => rmSync(work, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    const peakPreload = writePeakPreload(work);
    const bench = { work, peakPreload, runs, skipInstall };
    const help = await timed(process.execPath, [cli, 'scan', '--help'], {});
    bench.preferOffline = help.stdout.includes('--prefer-offline');
    const machine = await describeMachine();
    progress(
      `${subjects.length} subjects, ${runs} run(s) each; --prefer-offline ${bench.preferOffline ? 'supported' : 'not supported: warm only'}`,
    );

    const calibration = { before: await calibrate() };
    progress(`calibration: ${calibration.before.toFixed(2)} s`);
    const started = performance.now();
    const results = [];
    for (const subject of subjects) results.push(await benchSubject(subject, bench));
    const totalSeconds = (performance.now() - started) / 1000;
    calibration.after = await calibrate();

    printTables(results, machine, bench, totalSeconds);
    console.log(
      `calibration (the same fixed work, no Ocellus code: compare it across runs before comparing their times): ${calibration.before.toFixed(2)} s before, ${calibration.after.toFixed(2)} s after`,
    );
    mkdirSync(join(root, '.bench'), { recursive: true });
    writeFileSync(
      join(root, '.bench', 'results.json'),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine,
          runs,
          preferOfflineSupported: bench.preferOffline,
          skipInstall,
          floorConcurrency: FLOOR_CONCURRENCY,
          totalSeconds,
          calibration,
          results,
        },
        null,
        2,
      )}\n`,
    );
    console.log('\nwritten to .bench/results.json');
  } finally {
    cleanUp();
  }
}

async function benchSubject(subject, bench) {
  // The tree the floor fetches, resolved once and outside any timing, with a cache of its own.
  progress(`${subject.label}: resolving the tree for the floor`);
  const npmOptions = await loadNpmOptions({
    cwd: bench.work,
    env: process.env,
    overrides: { cache: join(bench.work, 'resolve-cache') },
  });
  const tree =
    subject.kind === 'project'
      ? await resolveLockfile(subject.spec, npmOptions)
      : await resolveIdealTree([parseScanSpec(subject.spec, root)], npmOptions);
  const treeFile = join(bench.work, `${subject.label}-tree.json`);
  writeFileSync(
    treeFile,
    JSON.stringify(
      tree.packages.map(({ name, version, integrity, resolved }) => ({ name, version, integrity, resolved })),
    ),
  );
  progress(`${subject.label}: ${tree.packages.length} packages`);

  const scanModes = ['cold', 'warm', ...(bench.preferOffline ? ['warm-offline'] : []), 'analysis'];
  const scan = await measure(subject, 'scan', scanModes, bench, (mode, caches) =>
    scanRun(subject, mode, caches, bench),
  );
  const install = bench.skipInstall
    ? undefined
    : await measure(subject, 'install', ['cold', 'warm'], bench, (_mode, caches) =>
        installRun(subject, caches),
      );
  const floor = await measure(subject, 'floor', ['cold', 'warm'], bench, (_mode, caches) =>
    floorRun(treeFile, caches, bench),
  );

  const packages =
    scan.runs.find((run) => typeof run.packages === 'number')?.packages ?? tree.packages.length;
  const ratio = (a, b) => (a && b ? a / b : null);
  return {
    label: subject.label,
    spec: subject.kind === 'project' ? relative(root, subject.spec) : subject.spec,
    kind: subject.kind,
    about: subject.about,
    packages,
    treePackages: tree.packages.length,
    scan,
    install,
    floor,
    ratios: {
      scanOverInstall: {
        cold: ratio(scan.median.cold, install?.median.cold),
        warm: ratio(scan.median.warm, install?.median.warm),
      },
      scanOverFloor: {
        cold: ratio(scan.median.cold, floor.median.cold),
        warm: ratio(scan.median.warm, floor.median.warm),
      },
    },
    packagesPerSecond: Object.fromEntries(
      scanModes.map((mode) => [mode, ratio(packages, scan.median[mode])]),
    ),
    peakRssMB: scan.medianPeakRssMB,
    cpuSeconds: scan.medianCpuSeconds,
  };
}

/** Runs one tool `runs` times, each time cold then warm (and any further modes) on the same fresh caches. */
async function measure(subject, tool, modes, bench, run) {
  const runs = [];
  for (let i = 1; i <= bench.runs; i++) {
    const pair = mkdtempSync(join(bench.work, 'caches-'));
    const caches = { npm: join(pair, 'npm'), ocellus: join(pair, 'ocellus') };
    mkdirSync(caches.npm);
    mkdirSync(caches.ocellus);
    try {
      for (const mode of modes) {
        const result = await run(mode, caches);
        runs.push({ run: i, mode, ...result });
        progress(
          `${subject.label}: ${tool} ${mode} run ${i}/${bench.runs}: ${result.seconds.toFixed(2)} s (${describe(result)})`,
        );
      }
    } finally {
      rmSync(pair, { recursive: true, force: true });
    }
  }
  // A run that failed (no report, a non-zero npm exit) says nothing about speed: it stays out of the medians.
  const of = (mode, key) =>
    runs.filter((r) => r.mode === mode && !r.error && typeof r[key] === 'number').map((r) => r[key]);
  const median = Object.fromEntries(modes.map((mode) => [mode, medianOf(of(mode, 'seconds'))]));
  const medianPeakRssMB = Object.fromEntries(modes.map((mode) => [mode, medianOf(of(mode, 'peakRssMB'))]));
  const medianCpuSeconds = Object.fromEntries(modes.map((mode) => [mode, medianOf(of(mode, 'cpuSeconds'))]));
  return { median, medianPeakRssMB, medianCpuSeconds, runs };
}

function cacheEnv(caches) {
  const env = { ...process.env, npm_config_cache: caches.npm, OCELLUS_CACHE_DIR: caches.ocellus };
  delete env.NPM_CONFIG_CACHE;
  return env;
}

async function scanRun(subject, mode, caches, bench) {
  const peakFile = join(bench.work, 'peak-rss');
  rmSync(peakFile, { force: true });
  if (mode === 'analysis') {
    // Every package analysed and every name judged again; npm's cache and the stored registry documents stay.
    for (const folder of ['analysis-v1', 'names-v1'])
      rmSync(join(caches.ocellus, folder), { recursive: true, force: true });
  }
  const result = await timed(
    process.execPath,
    [
      '--import',
      bench.peakPreload,
      cli,
      'scan',
      subject.spec,
      '--format',
      'json',
      '--fail-on',
      'none',
      ...(mode === 'warm-offline' ? ['--prefer-offline'] : []),
    ],
    { cwd: bench.work, env: { ...cacheEnv(caches), OCELLUS_BENCH_PEAK_FILE: peakFile } },
  );
  const entry = { seconds: result.seconds, code: result.code, ...readUsage(peakFile) };
  try {
    const report = JSON.parse(result.stdout);
    entry.packages = report.summary.packages;
    entry.highestSeverity = report.summary.highestSeverity;
    entry.incomplete = report.summary.incomplete.length;
  } catch {
    entry.error = result.stderr.trim().split('\n').slice(-3).join('\n');
  }
  return entry;
}

async function installRun(subject, caches) {
  const project = mkdtempSync(join(tmpdir(), 'ocellus-bench-install-'));
  try {
    const quiet = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
    let args;
    if (subject.kind === 'project') {
      for (const file of ['package.json', 'package-lock.json']) {
        cpSync(join(subject.spec, file), join(project, file));
      }
      args = ['ci', ...quiet];
    } else {
      writeFileSync(join(project, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}');
      args = ['install', subject.spec, '--no-save', ...quiet];
    }
    const result = await timed(npm, args, { cwd: project, env: cacheEnv(caches) });
    const entry = { seconds: result.seconds, code: result.code };
    // What npm put in node_modules, from its hidden lockfile.
    const hidden = join(project, 'node_modules', '.package-lock.json');
    if (existsSync(hidden)) {
      entry.packages = Object.keys(JSON.parse(readFileSync(hidden, 'utf8')).packages ?? {}).length;
    }
    if (result.code !== 0) entry.error = result.stderr.trim().split('\n').slice(-3).join('\n');
    return entry;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

async function floorRun(treeFile, caches, bench) {
  const peakFile = join(bench.work, 'peak-rss');
  rmSync(peakFile, { force: true });
  const result = await timed(
    process.execPath,
    ['--import', bench.peakPreload, fileURLToPath(import.meta.url), '--floor-child', treeFile],
    { cwd: bench.work, env: { ...cacheEnv(caches), OCELLUS_BENCH_PEAK_FILE: peakFile } },
  );
  try {
    const floor = JSON.parse(result.stdout);
    // The child's own clock: the floor leaves out Node's start-up and module loading.
    return {
      seconds: floor.seconds,
      processSeconds: result.seconds,
      code: result.code,
      packages: floor.packages,
      failed: floor.failed,
      ...readUsage(peakFile),
      ...(floor.failed.length > 0
        ? { error: `${floor.failed.length} failed, first ${floor.failed[0]}` }
        : {}),
    };
  } catch {
    return { seconds: result.seconds, code: result.code ?? 1, error: result.stderr.trim().split('\n').pop() };
  }
}

function describe(result) {
  const parts = [];
  if (typeof result.packages === 'number') parts.push(`${result.packages} packages`);
  if (result.highestSeverity) parts.push(`highest ${result.highestSeverity}`);
  if (result.incomplete) parts.push(`${result.incomplete} incomplete`);
  if (result.failed?.length) parts.push(`${result.failed.length} failed`);
  if (typeof result.peakRssMB === 'number') parts.push(`${result.peakRssMB} MB`);
  if (typeof result.cpuSeconds === 'number') parts.push(`${result.cpuSeconds.toFixed(1)} s CPU`);
  parts.push(`exit ${result.code ?? 'killed'}`);
  if (result.error) parts.push(result.error.replace(/\s+/g, ' ').slice(0, 200));
  return parts.join(', ');
}

function printTables(results, machine, bench, totalSeconds) {
  const seconds = (value) => (typeof value === 'number' ? value.toFixed(2) : '-');
  const times = (value) => (typeof value === 'number' ? `${value.toFixed(1)}x` : '-');
  const whole = (value) => (typeof value === 'number' ? value.toFixed(value < 10 ? 1 : 0) : '-');
  const tenths = (value) => (typeof value === 'number' ? value.toFixed(1) : '-');
  // Text columns (the indexes in `left`) are aligned left, numbers right.
  const table = (left, header, rows) => {
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)));
    for (const row of [header, ...rows]) {
      const cells = row.map((cell, i) =>
        left.includes(i) ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]),
      );
      console.log(cells.join('  ').trimEnd());
    }
  };
  const offline = bench.preferOffline;
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, node ${machine.node}, npm ${machine.npm}`,
  );
  console.log(
    `median of ${bench.runs} run(s); cold = fresh npm cache and fresh Ocellus cache, warm = the same caches again, analysis = warm but every package analysed and every name judged again; floor = fetch + verify + unpack every tarball (concurrency ${FLOOR_CONCURRENCY})\n`,
  );
  const timeRows = [];
  for (const result of results) {
    const tools = [
      ['scan', result.scan],
      ...(result.install ? [['install', result.install]] : []),
      ['floor', result.floor],
    ];
    const toolNames = {
      scan: 'scan',
      install: result.kind === 'project' ? 'npm ci' : 'npm install',
      floor: 'floor',
    };
    for (const [name, tool] of tools) {
      timeRows.push([
        tool === result.scan ? result.label : '',
        tool === result.scan ? result.packages : '',
        toolNames[name],
        seconds(tool.median.cold),
        seconds(tool.median.warm),
        ...(offline ? [name === 'scan' ? seconds(tool.median['warm-offline']) : ''] : []),
        name === 'scan' ? seconds(tool.median.analysis) : '',
      ]);
    }
  }
  table(
    [0, 2],
    [
      'subject',
      'packages',
      'tool',
      'cold s',
      'warm s',
      ...(offline ? ['warm --prefer-offline s'] : []),
      'analysis s',
    ],
    timeRows,
  );
  console.log('');
  console.log(
    'scan: ratio to npm install / npm ci, ratio to the floor, packages per second, peak memory (max RSS), CPU seconds (all threads)',
  );
  table(
    [0],
    [
      'subject',
      'packages',
      'scan/install cold',
      'warm',
      'scan/floor cold',
      'warm',
      'pkg/s cold',
      'warm',
      ...(offline ? ['offline'] : []),
      'peak MB cold',
      'warm',
      ...(offline ? ['offline'] : []),
      'analysis',
      'CPU s cold',
      'analysis',
    ],
    results.map((result) => [
      result.label,
      result.packages,
      times(result.ratios.scanOverInstall.cold),
      times(result.ratios.scanOverInstall.warm),
      times(result.ratios.scanOverFloor.cold),
      times(result.ratios.scanOverFloor.warm),
      whole(result.packagesPerSecond.cold),
      whole(result.packagesPerSecond.warm),
      ...(offline ? [whole(result.packagesPerSecond['warm-offline'])] : []),
      whole(result.peakRssMB.cold),
      whole(result.peakRssMB.warm),
      ...(offline ? [whole(result.peakRssMB['warm-offline'])] : []),
      whole(result.peakRssMB.analysis),
      tenths(result.cpuSeconds?.cold),
      tenths(result.cpuSeconds?.analysis),
    ]),
  );
  const failed = results.flatMap((result) =>
    [result.scan, result.install, result.floor].flatMap(
      (tool) => tool?.runs.filter((run) => run.error) ?? [],
    ),
  );
  if (failed.length > 0)
    console.log(`\n${failed.length} failed run(s) left out of the medians: see the progress lines`);
  console.log(`\nwhole bench: ${(totalSeconds / 60).toFixed(1)} min`);
}

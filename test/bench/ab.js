#!/usr/bin/env node
// `npm run bench:ab -- A B`: one subject scanned by two builds (or one build under two environments) in
// alternation, A B then B A, round after round, so that the drift of a shared machine over the minutes of a
// comparison falls on both alike. One-off runs of different builds an hour apart differed by 25% on this
// project's VM with no change to the code; alternating runs are what each figure in the README's performance
// section rests on.
//
// A and B are git revisions (each built once in a worktree under .bench/ab/, with `npm ci` and `npm run build`)
// or `.` for this checkout as built by `npm run build`. `--env-a` / `--env-b` (repeatable, KEY=VALUE) add to
// one side's environment: `npm run bench:ab -- . . --env-b MALLOC_ARENA_MAX=2`.
//
// Modes: `analysis` (default: npm's cache, the stored registry documents and the compiled code warm, every
// package analysed and every name judged again), `warm` (every cache warm) and `cold` (empty caches, every
// download made again). Prints, for each side, the median and range of the wall time, the CPU time (all the
// process's threads) and the peak memory (max RSS), and B against A; writes every run to .bench/ab.json.
// Usage: node test/bench/ab.js A B [--only filesystem-mcp] [--runs 4] [--mode analysis|warm|cold]
//        [--env-a KEY=VALUE]... [--env-b KEY=VALUE]...
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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

const MODES = ['analysis', 'warm', 'cold'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string', default: 'filesystem-mcp' },
    runs: { type: 'string', default: '4' },
    mode: { type: 'string', default: 'analysis' },
    'env-a': { type: 'string', multiple: true, default: [] },
    'env-b': { type: 'string', multiple: true, default: [] },
  },
});
const runs = Number(values.runs);
const subject = SUBJECTS.find((candidate) => candidate.label === values.only);
const usage =
  'usage: node test/bench/ab.js A B [--only label] [--runs N] [--mode analysis|warm|cold] [--env-a K=V] [--env-b K=V]';
const wrong =
  positionals.length !== 2
    ? 'two builds to compare, A and B (git revisions, or . for this checkout)'
    : !Number.isInteger(runs) || runs < 1
      ? `--runs wants a positive integer, not ${values.runs}`
      : !subject
        ? `unknown subject ${values.only}; known: ${SUBJECTS.map((s) => s.label).join(', ')}`
        : !MODES.includes(values.mode)
          ? `--mode is one of ${MODES.join(', ')}`
          : undefined;
if (wrong) {
  console.error(`${wrong}\n${usage}`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ocellus-ab-'));
process.once('SIGINT', () => {
  rmSync(work, { recursive: true, force: true });
  process.exit(130);
});
try {
  const sides = positionals.map((revision, index) => {
    const label = index === 0 ? 'A' : 'B';
    const extra = environment(values[index === 0 ? 'env-a' : 'env-b']);
    return { label, revision, cli: join(built(revision), 'dist', 'cli.js'), extra, runs: [] };
  });
  const peakPreload = writePeakPreload(work);
  // Each side keeps its own Ocellus cache (its analyses are keyed by its own code) and shares npm's cache.
  const npmCache = join(work, 'npm');
  for (const side of sides) side.cache = join(work, `ocellus-${side.label}`);
  if (values.mode !== 'cold') {
    progress(`${subject.label}: filling the caches (not timed)`);
    for (const side of sides) await scan(side, { npm: npmCache, ocellus: side.cache }, peakPreload);
  }
  const calibration = { before: await calibrate() };
  progress(`calibration: ${calibration.before.toFixed(2)} s`);
  for (let round = 1; round <= runs; round++) {
    // A B, then B A: neither side always runs first, after the other's memory and caches.
    for (const side of round % 2 ? sides : [...sides].reverse()) {
      const caches = prepare(side, values.mode, npmCache);
      const result = await scan(side, caches, peakPreload);
      side.runs.push(result);
      progress(
        `${side.label} round ${round}/${runs}: ${result.seconds.toFixed(2)} s, ${result.cpuSeconds?.toFixed(1) ?? '-'} s CPU, ${result.peakRssMB ?? '-'} MB, exit ${result.code ?? 'killed'}`,
      );
    }
  }
  calibration.after = await calibrate();
  report(sides, calibration);
  mkdirSync(join(root, '.bench'), { recursive: true });
  writeFileSync(
    join(root, '.bench', 'ab.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: await describeMachine(),
        subject: subject.label,
        mode: values.mode,
        calibration,
        sides: sides.map(({ label, revision, extra, runs: sideRuns }) => ({
          label,
          revision,
          env: extra,
          runs: sideRuns,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log('\nwritten to .bench/ab.json');
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** `KEY=VALUE` options as an environment. */
function environment(pairs) {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--env-a and --env-b take KEY=VALUE, not ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

/** The folder holding a built CLI for a revision: this checkout for `.`, else a worktree built once. */
function built(revision) {
  if (revision === '.') {
    if (!existsSync(join(root, 'dist', 'cli.js')))
      throw new Error('this checkout is not built: npm run build');
    return root;
  }
  const commit = git(['rev-parse', '--verify', `${revision}^{commit}`]);
  const folder = join(root, '.bench', 'ab', commit);
  if (existsSync(join(folder, 'dist', 'cli.js'))) return folder;
  progress(`${revision}: building ${commit.slice(0, 10)} in ${folder}`);
  if (!existsSync(folder)) git(['worktree', 'add', '--detach', folder, commit]);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: folder,
    stdio: 'inherit',
  });
  execFileSync('npm', ['run', 'build'], { cwd: folder, stdio: 'inherit' });
  return folder;
}

function git(args) {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
}

/** The caches one timed run starts from. */
function prepare(side, mode, npmCache) {
  if (mode === 'cold') {
    const fresh = mkdtempSync(join(work, `cold-${side.label}-`));
    return { npm: join(fresh, 'npm'), ocellus: join(fresh, 'ocellus') };
  }
  if (mode === 'analysis') {
    // What `npm run bench` calls analysis: the analyses and the typosquat answers removed, the rest kept.
    for (const folder of ['analysis-v1', 'names-v1'])
      rmSync(join(side.cache, folder), { recursive: true, force: true });
  }
  return { npm: npmCache, ocellus: side.cache };
}

async function scan(side, caches, peakPreload) {
  const peakFile = join(work, 'peak');
  rmSync(peakFile, { force: true });
  const env = {
    ...process.env,
    ...side.extra,
    npm_config_cache: caches.npm,
    OCELLUS_CACHE_DIR: caches.ocellus,
  };
  delete env.NPM_CONFIG_CACHE;
  const result = await timed(
    process.execPath,
    ['--import', peakPreload, side.cli, 'scan', subject.spec, '--format', 'json', '--fail-on', 'none'],
    { cwd: work, env: { ...env, OCELLUS_BENCH_PEAK_FILE: peakFile } },
  );
  let packages = null;
  try {
    packages = JSON.parse(result.stdout).summary.packages;
  } catch {
    // No report: the run failed, and is shown as such.
  }
  return { seconds: result.seconds, code: result.code, packages, ...readUsage(peakFile) };
}

function report(sides, calibration) {
  const ok = (side) => side.runs.filter((run) => run.code === 0 && run.packages !== null);
  const stats = (side, key) => {
    const numbers = ok(side)
      .map((run) => run[key])
      .filter((value) => typeof value === 'number');
    return numbers.length === 0
      ? undefined
      : { median: medianOf(numbers), min: Math.min(...numbers), max: Math.max(...numbers) };
  };
  const measures = [
    ['wall s', 'seconds', 2],
    ['CPU s', 'cpuSeconds', 1],
    ['peak MB', 'peakRssMB', 0],
  ];
  console.log(`\n${subject.label}, ${values.mode}, ${runs} alternating round(s)`);
  for (const side of sides) {
    const env = Object.entries(side.extra).map(([key, value]) => ` ${key}=${value}`);
    const failed = side.runs.length - ok(side).length;
    console.log(
      `${side.label}: ${side.revision}${env.join('')}${failed ? ` (${failed} failed run(s) left out)` : ''}`,
    );
  }
  const rows = [['', 'A median', 'A range', 'B median', 'B range', 'B - A']];
  for (const [name, key, digits] of measures) {
    const [a, b] = sides.map((side) => stats(side, key));
    const fixed = (value) => value.toFixed(digits);
    const range = (s) => (s ? `${fixed(s.min)}-${fixed(s.max)}` : '-');
    // Ranges that overlap: the difference is within what the runs themselves vary by.
    const note = (x, y) =>
      runs < 2
        ? ' (one run each: no spread to compare)'
        : y.min > x.max || y.max < x.min
          ? ''
          : ' (ranges overlap)';
    const change =
      a && b
        ? `${b.median >= a.median ? '+' : ''}${(((b.median - a.median) / a.median) * 100).toFixed(1)}%${note(a, b)}`
        : '-';
    rows.push([name, a ? fixed(a.median) : '-', range(a), b ? fixed(b.median) : '-', range(b), change]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => String(cell).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
  console.log(
    `calibration (fixed work, no Ocellus code): ${calibration.before.toFixed(2)} s before, ${calibration.after.toFixed(2)} s after`,
  );
}

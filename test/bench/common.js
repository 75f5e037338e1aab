// What the benchmarks share: the real subjects, running a command with its time, peak memory and CPU, the
// machine's description and its speed at the moment (the calibration).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// A command that hangs must not hang the bench: it is stopped and recorded as failed.
const COMMAND_TIMEOUT_MS = 30 * 60 * 1000;

export const SUBJECTS = [
  {
    label: 'supabase-mcp',
    kind: 'package',
    spec: '@supabase/mcp-server-supabase',
    about: 'small MCP server',
  },
  {
    label: 'filesystem-mcp',
    kind: 'package',
    spec: '@modelcontextprotocol/server-filesystem',
    about: 'MCP server on the MCP SDK',
  },
  { label: 'kubernetes-mcp', kind: 'package', spec: 'mcp-server-kubernetes', about: 'big MCP server' },
  { label: 'vue-cli', kind: 'package', spec: '@vue/cli', about: 'framework CLI' },
  {
    label: 'api-service',
    kind: 'project',
    spec: join(root, 'test/bench/projects/api-service'),
    about: 'lockfile audit, medium project',
  },
  {
    label: 'web-platform',
    kind: 'project',
    spec: join(root, 'test/bench/projects/web-platform'),
    about: 'lockfile audit, large project',
  },
];

/**
 * Peak memory and CPU: a preload that writes the process's own max RSS (KB) and CPU time (all its threads, V8's
 * compiler and garbage-collector threads included) to $OCELLUS_BENCH_PEAK_FILE when it exits, whatever the exit
 * path. Returns the URL to give `--import`.
 */
export function writePeakPreload(dir) {
  const file = join(dir, 'peak.mjs');
  writeFileSync(
    file,
    [
      "import { writeFileSync } from 'node:fs';",
      'const file = process.env.OCELLUS_BENCH_PEAK_FILE;',
      'delete process.env.OCELLUS_BENCH_PEAK_FILE;',
      "if (file) process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime })); });",
      '',
    ].join('\n'),
  );
  return pathToFileURL(file).href;
}

/** What the preload wrote: peak RSS in MB and CPU seconds of the whole process, null when it wrote nothing. */
export function readUsage(file) {
  try {
    const { maxRSS, cpuMicros } = JSON.parse(readFileSync(file, 'utf8'));
    return {
      peakRssMB: Number.isFinite(maxRSS) && maxRSS > 0 ? Math.round(maxRSS / 1024) : null,
      cpuSeconds: Number.isFinite(cpuMicros) && cpuMicros > 0 ? cpuMicros / 1e6 : null,
    };
  } catch {
    return { peakRssMB: null, cpuSeconds: null };
  }
}

export function timed(command, commandArgs, options) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    execFile(
      command,
      commandArgs,
      { maxBuffer: 512 * 1024 * 1024, timeout: COMMAND_TIMEOUT_MS, ...options },
      (error, stdout, stderr) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ seconds, code, signal: error?.signal ?? null, stdout, stderr });
      },
    );
  });
}

export function medianOf(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The machine's speed at the moment, apart from any build: a VM's speed drifts (a --no-cache server-filesystem
 * scan took 4.2-4.6 s, then 5.1-5.6 s an hour later, with the same build). A fixed single-thread workload of
 * the kinds a scan does (hashing, allocating small objects, JSON), in a child process, median of three.
 */
export async function calibrate() {
  const script = [
    "const { createHash } = require('node:crypto');",
    'const start = performance.now();',
    'const data = Buffer.alloc(64 * 1024 * 1024, 7);',
    "for (let i = 0; i < 4; i++) createHash('sha256').update(data).digest();",
    "const rows = Array.from({ length: 200000 }, (_, i) => ({ i, name: 'name' + i, pair: [i, i + 1] }));",
    'for (let i = 0; i < 5; i++) JSON.parse(JSON.stringify(rows));',
    'console.log((performance.now() - start) / 1000);',
  ].join('\n');
  const seconds = [];
  for (let run = 0; run < 3; run++) {
    const result = await timed(process.execPath, ['-e', script], {});
    seconds.push(Number(result.stdout.trim()));
  }
  return medianOf(seconds);
}

export async function describeMachine() {
  const npmVersion = await timed(npm, ['--version'], {});
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    npm: npmVersion.stdout.trim() || null,
    os: `${process.platform} ${release()} ${process.arch}`,
  };
}

export function progress(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

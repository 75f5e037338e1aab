#!/usr/bin/env node
// Facts throughput on a real tree: every package of the tree fetched once, then each package's files parsed
// and turned into facts (what `ocellus scan` does per package), timed per package. Prints MB/s and the slowest
// packages, writes .bench/facts.json. Usage: node test/bench/facts.js [spec] (default: the filesystem server).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeFacts } from '../../dist/facts/package-facts.js';
import { DEFAULT_LIMITS } from '../../dist/fetch/limits.js';
import { fetchPackage } from '../../dist/fetch/tarball.js';
import { loadNpmOptions } from '../../dist/npm-config.js';
import { resolveIdealTree } from '../../dist/resolve/ideal-tree.js';
import { parseScanSpec } from '../../dist/targets/spec.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const spec = process.argv[2] ?? '@modelcontextprotocol/server-filesystem';
const npmOptions = await loadNpmOptions({ cwd: process.cwd(), env: process.env });
const tree = await resolveIdealTree([parseScanSpec(spec, process.cwd())], npmOptions);
const contents = [];
for (const node of tree.packages) {
  const outcome = await fetchPackage(node, npmOptions, DEFAULT_LIMITS);
  if (outcome.ok) contents.push({ name: `${node.name}@${node.version}`, contents: outcome.contents });
}
/** Seconds of CPU in a process.cpuUsage()-style reading (user and system: page faults of a growing heap count). */
function cpuSeconds({ user, system }) {
  return (user + system) / 1e6;
}
const rows = [];
// CPU of this thread and of the whole process: the difference is V8's helper threads (optimising compiler,
// garbage collector), which the facts keep busy too (nothing else runs during this loop).
const threadCpu = () =>
  typeof process.threadCpuUsage === 'function' ? cpuSeconds(process.threadCpuUsage()) : Number.NaN;
const cpuBefore = { thread: threadCpu(), process: cpuSeconds(process.cpuUsage()) };
for (const { name, contents: files } of contents) {
  let bytes = 0;
  for (const file of files.files.values()) if (/\.(?:[cm]?js|jsx)$/i.test(file.path)) bytes += file.size;
  const started = performance.now();
  const facts = codeFacts(files);
  rows.push({
    name,
    ms: performance.now() - started,
    bytes,
    files: facts.js.length,
    recovered: facts.js.filter((f) => f.parse !== 'parsed').length,
  });
}
const cpuThread = threadCpu() - cpuBefore.thread;
const cpuHelpers = cpuSeconds(process.cpuUsage()) - cpuBefore.process - cpuThread;
const totalMs = rows.reduce((sum, row) => sum + row.ms, 0);
const totalBytes = rows.reduce((sum, row) => sum + row.bytes, 0);
const sorted = [...rows].sort((a, b) => a.ms - b.ms);
const median = sorted[Math.floor(sorted.length / 2)]?.ms ?? 0;
console.log(
  `${spec}: ${rows.length} packages, ${rows.reduce((s, r) => s + r.files, 0)} code files, ${(totalBytes / 1e6).toFixed(1)} MB of JavaScript`,
);
console.log(
  `facts: ${(totalMs / 1000).toFixed(2)} s, ${(totalBytes / 1e6 / (totalMs / 1000)).toFixed(2)} MB/s, median ${median.toFixed(1)} ms per package`,
);
console.log(
  `CPU: ${cpuThread.toFixed(2)} s on this thread, ${cpuHelpers.toFixed(2)} s in V8's helper threads (optimising compiler, garbage collector)`,
);
for (const row of sorted.slice(-5).reverse())
  console.log(`  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name} (${(row.bytes / 1e6).toFixed(2)} MB)`);
mkdirSync(join(root, '.bench'), { recursive: true });
writeFileSync(
  join(root, '.bench', 'facts.json'),
  `${JSON.stringify({ date: new Date().toISOString(), spec, totalMs, totalBytes, median, cpuThread, cpuHelpers, rows }, null, 2)}\n`,
);

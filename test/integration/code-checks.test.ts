import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { atLeast, type Severity } from '../../src/severity.js';
import { validateReport } from '../helpers/report-schema.js';
import { runCli } from './cli.js';
import { attackFixtures, benignFixtures } from './code-fixtures.js';

const registry = inject('registryUrl');

async function scanAll(specs: string[]): Promise<Report> {
  const { stdout, stderr } = await runCli([
    'scan',
    ...specs,
    '--registry',
    registry,
    '--format',
    'json',
    '--fail-on',
    'none',
  ]);
  expect(stderr).toBe('');
  return JSON.parse(stdout) as Report;
}

const worst = (report: Report, name: string): Severity | 'none' => {
  const pkg = report.packages.find((candidate) => candidate.name === name);
  if (!pkg) throw new Error(`${name} is not in the scanned tree`);
  return pkg.findings.reduce<Severity | 'none'>(
    (highest, finding) =>
      highest === 'none' || atLeast(finding.severity, highest) ? finding.severity : highest,
    'none',
  );
};

// Every incident reproduction is scanned through the real registry in one tree, as a user would.
describe('incident reproductions are rated high or critical on the package that carries them', async () => {
  const report = await scanAll(attackFixtures.map((fixture) => fixture.spec));

  it('the report is valid against the schema', () => {
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.summary.incomplete).toEqual([]);
  });

  it.each(attackFixtures.map((fixture) => [fixture.carrier, fixture] as const))('%s', (_name, fixture) => {
    const severity = worst(report, fixture.carrier);
    expect(severity === 'critical' || severity === 'high', `${fixture.incident}: got ${severity}`).toBe(true);
  });
});

describe('benign look-alikes stay below high', async () => {
  const report = await scanAll(benignFixtures.map((fixture) => fixture.spec));

  it.each(benignFixtures.map((fixture) => [fixture.carrier, fixture] as const))('%s', (_name, fixture) => {
    const pkg = report.packages.find((candidate) => candidate.name === fixture.carrier);
    const loud = (pkg?.findings ?? []).filter((finding) => atLeast(finding.severity, 'high'));
    expect(loud, fixture.incident).toEqual([]);
  });

  it('nothing in the benign trees reaches high', () => {
    expect(report.summary.highestSeverity === 'high' || report.summary.highestSeverity === 'critical').toBe(
      false,
    );
  });
});

describe('capabilities read from code', async () => {
  const report = await scanAll(['files-mcp-helpful-trojan', 'git-exec-helper', 'tiny-template-engine']);
  const capabilities = (name: string) => report.packages.find((pkg) => pkg.name === name)?.capabilities;

  it('lists what each package actually uses', () => {
    expect(capabilities('files-mcp-helpful-trojan')).toEqual(expect.arrayContaining(['network', 'fs-read']));
    expect(capabilities('git-exec-helper')).toContain('child-process');
    expect(capabilities('git-exec-helper')).not.toContain('network');
    expect(capabilities('tiny-template-engine')).toContain('dynamic-code');
  });
});

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { atLeast } from '../../src/severity.js';
import { validateReport } from '../helpers/report-schema.js';
import { isolatedHome, runCli } from './cli.js';

const registry = inject('registryUrl');
const storage = inject('registryStorage');

async function scanJson(...args: string[]) {
  const result = await runCli(['scan', ...args, '--registry', registry, '--format', 'json']);
  return { ...result, report: JSON.parse(result.stdout) as Report };
}
const findingsOf = (report: Report, name: string) =>
  report.packages.find((pkg) => pkg.name === name)?.findings ?? [];

describe('version diff against the release before', () => {
  it('Postmark 1.0.15 → 1.0.16: critical, quoting the one added Bcc line and naming both versions', async () => {
    const { code, report } = await scanJson('postmark-mcp-bcc-backdoor');
    expect(code).toBe(1);
    const [worst] = findingsOf(report, 'postmark-mcp-bcc-backdoor');
    expect(worst).toMatchObject({
      checkId: 'hardcoded-recipient',
      severity: 'critical',
      evidence: "Bcc: 'phan@giftshop.club',",
      location: { file: 'index.js', line: 39 },
    });
    expect(worst?.message).toMatch(
      /New in 1\.0\.16: it added `Bcc: 'phan@giftshop\.club',` \(index\.js:39\); 1\.0\.15 did not have this/,
    );
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('a slow-burn takeover (postinstall, a brand-new dependency and network code in a patch) is high or worse', async () => {
    const { code, report } = await scanJson('tidy-json-mcp');
    expect(code).toBe(1);
    const diff = findingsOf(report, 'tidy-json-mcp').filter((finding) => finding.checkId === 'version-diff');
    expect(diff.map((finding) => [finding.title, finding.severity])).toEqual(
      expect.arrayContaining([
        ['Install script added', 'high'],
        ['Brand-new dependency added', 'high'],
        ['New capability', 'high'],
      ]),
    );
    expect(diff.find((finding) => finding.title === 'Brand-new dependency added')?.message).toMatch(
      /1\.2\.3 adds a dependency on jsonfmt-telemetry, a package first published 2 day\(s\) before this release.*1\.2\.2 did not/,
    );
  });

  it('benign bumps stay at medium or below: an own-API call in a patch, a big major refactor', async () => {
    const { code, report } = await scanJson('notes-sync-mcp', 'docs-index-mcp');
    expect(code).toBe(0);
    for (const name of ['notes-sync-mcp', 'docs-index-mcp']) {
      const loud = findingsOf(report, name).filter((finding) => atLeast(finding.severity, 'high'));
      expect(loud, name).toEqual([]);
    }
    // The diff still tells the user what the release started doing.
    expect(findingsOf(report, 'notes-sync-mcp')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          checkId: 'version-diff',
          severity: 'medium',
          message: expect.stringMatching(/2\.1\.1 starts network access/),
        }),
      ]),
    );
  });

  it('--no-diff turns the comparison off', async () => {
    const { report } = await scanJson('tidy-json-mcp', '--no-diff');
    expect(findingsOf(report, 'tidy-json-mcp').some((finding) => finding.checkId === 'version-diff')).toBe(
      false,
    );
    expect(findingsOf(report, 'tidy-json-mcp').some((finding) => /New in/.test(finding.message))).toBe(false);
  });

  it('a previous release the registry cannot serve makes the scan incomplete, never a pass', async () => {
    rmSync(join(storage, 'lost-previous-release', 'lost-previous-release-1.0.0.tgz'));
    const home = isolatedHome();
    const result = await runCli(
      ['scan', 'lost-previous-release', '--registry', registry, '--format', 'json'],
      { home },
    );
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.summary.incomplete).toEqual([
      expect.objectContaining({
        name: 'lost-previous-release',
        version: '1.0.1',
        reason: expect.stringContaining('previous release 1.0.0'),
      }),
    ]);
    expect(result.stderr).toContain('lost-previous-release@1.0.1');
  });
});

describe('registry metadata, served by the real registry', () => {
  it.each([
    [
      'string-pad-lite',
      'New publisher',
      'medium',
      /3\.0\.1 was published by pad-new-owner, who did not maintain 3\.0\.0/,
    ],
    ['string-pad-lite', 'Maintainers replaced', 'medium', /Every maintainer changed/],
    [
      'ci-built-lib',
      'Provenance attestation missing',
      'medium',
      /1\.1\.1 has no provenance attestation, while 1\.1\.0/,
    ],
    ['acme-internal-auth', 'Dependency-confusion shape', 'critical', /version 99 on a name with 1 release/],
    ['evil-colors', 'npm security placeholder', 'high', /security placeholder/],
  ])('%s: %s (%s)', async (name, title, severity, message) => {
    const { report } = await scanJson(name);
    expect(findingsOf(report, name)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          checkId: 'registry-metadata',
          title,
          severity,
          message: expect.stringMatching(message),
        }),
      ]),
    );
  });

  it('manifest confusion: an install script the registry does not show is high', async () => {
    const { code, report } = await scanJson('manifest-confused');
    expect(code).toBe(1);
    expect(findingsOf(report, 'manifest-confused')[0]).toMatchObject({
      checkId: 'manifest-confusion',
      severity: 'high',
      location: { file: 'package.json', line: 6 },
    });
  });

  it('established fixtures raise nothing from the registry', async () => {
    const { report } = await scanJson('weather-mcp-server');
    expect(report.packages.flatMap((pkg) => pkg.findings)).toEqual([]);
  });
});

describe('ocellus diff <name> <from> <to>', () => {
  it('prints the delta in the report format and exits 1 on the backdoor', async () => {
    const result = await runCli([
      'diff',
      'postmark-mcp-bcc-backdoor',
      '1.0.15',
      '1.0.16',
      '--registry',
      registry,
      '--format',
      'json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.target).toBe('postmark-mcp-bcc-backdoor 1.0.15..1.0.16');
    expect(report.packages[0]?.findings).toEqual([
      expect.objectContaining({
        checkId: 'hardcoded-recipient',
        severity: 'critical',
        evidence: "Bcc: 'phan@giftshop.club',",
      }),
    ]);
  });

  it('two clean releases have no delta; the table says so', async () => {
    const result = await runCli([
      'diff',
      'postmark-mcp-bcc-backdoor',
      '1.0.14',
      '1.0.15',
      '--registry',
      registry,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No findings.');
  });

  it('compares any two versions: across the whole slow burn', async () => {
    const result = await runCli(['diff', 'tidy-json-mcp', '1.2.0', '1.2.3', '--registry', registry]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '1.2.3 adds a postinstall script that runs on every install; 1.2.0 had none.',
    );
    expect(result.stdout).toContain('1.2.3 was published by jsonfmt-dev, who did not maintain 1.2.0');
  });

  it('an unpublished version or an unknown package is a usage error that lists what exists', async () => {
    const missing = await runCli(['diff', 'tidy-json-mcp', '1.2.0', '9.9.9', '--registry', registry]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('tidy-json-mcp@9.9.9 is not published. Recent versions: 1.2.3, 1.2.2');
    expect(
      (await runCli(['diff', 'no-such-package-here', '1.0.0', '1.0.1', '--registry', registry])).code,
    ).toBe(2);
    expect((await runCli(['diff', 'tidy-json-mcp', 'latest', '1.2.3', '--registry', registry])).code).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { Finding, PackageReport } from '../src/model.js';
import { applyPolicy, baselineKey, parsePolicy } from '../src/policy/policy.js';

const finding = (checkId: string, severity: Finding['severity'], evidence = 'x'): Finding => ({
  checkId,
  severity,
  title: checkId,
  message: `${checkId} finding.`,
  location: { file: 'index.js', line: 1 },
  evidence,
  confidence: 'high',
});
const pkg = (
  name: string,
  findings: Finding[],
  capabilities: PackageReport['capabilities'] = [],
): PackageReport => ({
  name,
  version: '1.0.0',
  integrity: 'sha512-x',
  paths: [[name]],
  capabilities,
  findings,
});
const today = '2026-11-25';

describe('parsePolicy', () => {
  it('accepts every documented key, in JSON or YAML', () => {
    const json = {
      failOn: 'medium',
      ignore: [
        {
          check: 'shell-exec',
          package: 'playwright-core',
          reason: 'reviewed: browser launcher',
          expires: '2027-01-01',
        },
      ],
      trustedScopes: ['@acme'],
      deniedCapabilities: [{ capability: 'install-script', allow: ['esbuild'] }],
      severity: { 'registry-metadata': 'info' },
    };
    expect(parsePolicy(JSON.stringify(json), '.ocellus.json')).toEqual(json);
    expect(parsePolicy('failOn: critical\nignore: []\n', 'ocellus.config.yaml')).toEqual({
      failOn: 'critical',
      ignore: [],
    });
  });

  it('names every problem: a missing reason, an unknown key, a bad date, a bad severity', () => {
    const text = JSON.stringify({
      ignore: [
        { check: 'x', package: 'y' },
        { check: 'x', package: 'y', reason: 'ok then', expires: 'soon' },
      ],
      failon: 'high',
      severity: { x: 'severe' },
    });
    expect(() => parsePolicy(text, '.ocellus.json')).toThrow(/ignore\.0: "reason" is required \(say why/);
    expect(() => parsePolicy(text, '.ocellus.json')).toThrow(/unknown key "failon"/);
    expect(() => parsePolicy(text, '.ocellus.json')).toThrow(/ignore\.1\.expires/);
    expect(() => parsePolicy(text, '.ocellus.json')).toThrow(/severity\.x/);
    expect(() => parsePolicy('{ not json', '.ocellus.json')).toThrow(/does not parse/);
  });
});

describe('applyPolicy', () => {
  it('an ignore with a reason moves the finding to suppressed; another version or check is untouched', () => {
    const { packages, suppressed } = applyPolicy(
      [
        pkg('a', [finding('shell-exec', 'high'), finding('env-harvest', 'high')]),
        pkg('b', [finding('shell-exec', 'high')]),
      ],
      { ignore: [{ check: 'shell-exec', package: 'a', version: '1.0.0', reason: 'reviewed launcher' }] },
      { today },
    );
    expect(packages.map((p) => p.findings.map((f) => f.checkId))).toEqual([['env-harvest'], ['shell-exec']]);
    expect(suppressed).toEqual([
      {
        name: 'a',
        version: '1.0.0',
        checkId: 'shell-exec',
        title: 'shell-exec',
        reason: 'ignored by policy: reviewed launcher',
      },
    ]);
    const other = applyPolicy(
      [pkg('a', [finding('shell-exec', 'high')])],
      { ignore: [{ check: 'shell-exec', package: 'a', version: '0.9.0', reason: 'old' }] },
      { today },
    );
    expect(other.suppressed).toEqual([]);
  });

  it('an expired ignore fails again and says it expired', () => {
    const { packages, suppressed } = applyPolicy(
      [pkg('a', [finding('shell-exec', 'high')])],
      {
        ignore: [{ check: 'shell-exec', package: 'a', reason: 'until the fix ships', expires: '2026-11-25' }],
      },
      { today },
    );
    expect(suppressed).toEqual([]);
    expect(packages[0]?.findings[0]?.message).toMatch(
      /ignore for this expired on 2026-11-25: "until the fix ships"/,
    );
  });

  it('denied capabilities become findings, except for allowed packages', () => {
    const { packages } = applyPolicy(
      [pkg('esbuild', [], ['install-script']), pkg('left-pad-plus', [], ['install-script', 'network'])],
      { deniedCapabilities: [{ capability: 'install-script', allow: ['esbuild'] }] },
      { today },
    );
    expect(packages[0]?.findings).toEqual([]);
    expect(packages[1]?.findings).toEqual([
      expect.objectContaining({
        checkId: 'policy',
        severity: 'high',
        message: expect.stringContaining('install-script'),
      }),
    ]);
  });

  it('severity overrides apply per check; trusted scopes cap below critical at low', () => {
    const { packages } = applyPolicy(
      [
        pkg('@acme/tool', [finding('shell-exec', 'high'), finding('remote-code', 'critical')]),
        pkg('x', [finding('registry-metadata', 'medium')]),
      ],
      { trustedScopes: ['@acme'], severity: { 'registry-metadata': 'info' } },
      { today },
    );
    expect(packages[0]?.findings.map((f) => f.severity)).toEqual(['low', 'critical']);
    expect(packages[1]?.findings.map((f) => f.severity)).toEqual(['info']);
  });

  it('a baseline suppresses the findings it already held, even after a version bump', () => {
    const old = finding('shell-exec', 'high', 'spawn(cmd)');
    const baseline = new Set([baselineKey('a', old)]);
    const { packages, suppressed } = applyPolicy(
      [{ ...pkg('a', [old, finding('env-harvest', 'high')]), version: '1.1.0' }],
      {},
      { today, baseline },
    );
    expect(packages[0]?.findings.map((f) => f.checkId)).toEqual(['env-harvest']);
    expect(suppressed[0]?.reason).toBe('in the baseline');
  });
});

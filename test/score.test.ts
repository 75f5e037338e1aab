import { describe, expect, it } from 'vitest';
import type { Finding, PackageReport } from '../src/model.js';
import { judge } from '../src/score.js';
import type { Severity } from '../src/severity.js';

const finding = (severity: Severity): Finding => ({
  checkId: 'install-scripts',
  severity,
  title: 't',
  message: 'm',
  confidence: 'high',
});
const pkg = (severities: Severity[], incomplete = false): PackageReport => ({
  name: 'p',
  version: '1.0.0',
  integrity: null,
  paths: [['p']],
  capabilities: [],
  findings: severities.map(finding),
  ...(incomplete ? { incomplete: { name: 'p', version: '1.0.0', code: 'EFETCH', reason: 'r' } } : {}),
});
const strict = { failOn: 'high' as const, allowIncomplete: false };

describe('judge', () => {
  it('passes a clean, complete scan', () => {
    expect(judge([pkg([]), pkg(['low'])], strict)).toEqual({
      highestSeverity: 'low',
      verdict: 'pass',
      exitCode: 0,
    });
  });
  it('blocks at or above --fail-on with exit 1', () => {
    expect(judge([pkg(['medium']), pkg(['critical'])], strict)).toMatchObject({
      verdict: 'block',
      exitCode: 1,
    });
    expect(judge([pkg(['high'])], strict)).toMatchObject({ verdict: 'block', exitCode: 1 });
  });
  it('warns below --fail-on without failing', () => {
    expect(judge([pkg(['medium'])], strict)).toEqual({
      highestSeverity: 'medium',
      verdict: 'warn',
      exitCode: 0,
    });
  });
  it('--fail-on moves the bar both ways', () => {
    expect(judge([pkg(['low'])], { ...strict, failOn: 'low' })).toMatchObject({ exitCode: 1 });
    expect(judge([pkg(['critical'])], { ...strict, failOn: 'none' })).toMatchObject({
      verdict: 'warn',
      exitCode: 0,
    });
  });
  it('an incomplete scan exits 3 and is never a pass', () => {
    expect(judge([pkg([]), pkg([], true)], strict)).toEqual({
      highestSeverity: 'none',
      verdict: 'warn',
      exitCode: 3,
    });
  });
  it('--allow-incomplete exits 0 but still does not call it a pass', () => {
    expect(judge([pkg([], true)], { ...strict, allowIncomplete: true })).toMatchObject({
      verdict: 'warn',
      exitCode: 0,
    });
  });
  it('a blocking finding wins over incompleteness: the answer is already known', () => {
    expect(judge([pkg(['critical']), pkg([], true)], strict)).toMatchObject({
      verdict: 'block',
      exitCode: 1,
    });
  });
});

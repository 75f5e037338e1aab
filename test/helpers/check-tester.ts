import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/checks/check.js';
import type { Severity } from '../../src/severity.js';
import { atLeast } from '../../src/severity.js';
import { contextOf, type PackageSpec } from './package-builder.js';

export interface CheckCase extends PackageSpec {
  label: string;
}

/**
 * ESLint-style table for one check: each `flagged` package must produce a finding at `severity` or worse,
 * each `clean` package (benign look-alikes) must produce nothing at or above `cleanBelow`.
 */
export function testCheck(
  check: Check,
  table: {
    flagged: Array<CheckCase & { severity: Severity; message?: RegExp }>;
    clean: Array<CheckCase & { cleanBelow?: Severity }>;
  },
): void {
  describe(check.id, () => {
    it.each(table.flagged.map((c) => [c.label, c] as const))('flags: %s', (_label, testCase) => {
      const findings = check.runToFindings(contextOf(testCase));
      const worst = findings.find((finding) => atLeast(finding.severity, testCase.severity));
      expect(worst, JSON.stringify(findings)).toBeDefined();
      expect(worst?.checkId).toBe(check.id);
      if (testCase.message) expect(worst?.message).toMatch(testCase.message);
    });
    it.each(table.clean.map((c) => [c.label, c] as const))('stays quiet: %s', (_label, testCase) => {
      const findings = check.runToFindings(contextOf(testCase));
      const threshold = testCase.cleanBelow ?? 'medium';
      expect(findings.filter((finding) => atLeast(finding.severity, threshold))).toEqual([]);
    });
  });
}

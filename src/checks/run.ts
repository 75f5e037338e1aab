import { errorMessage } from '../errors.js';
import type { Finding } from '../model.js';
import { atLeast } from '../severity.js';
import type { Check, CheckContext } from './check.js';

/** Runs every check on one context; a check that throws is recorded as a failure, never as a pass. */
export function runChecks(ctx: CheckContext, checks: readonly Check[], failures: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      findings.push(...check.runToFindings(ctx));
    } catch (error) {
      failures.push(`${check.id}: ${errorMessage(error)}`);
    }
  }
  return findings;
}

/** Code in test files nothing loads never runs for the package's users: at most low. */
export function capTestFindings(findings: Finding[], testOnly: Set<string>): void {
  for (const finding of findings) {
    if (!finding.location || !testOnly.has(finding.location.file) || !atLeast(finding.severity, 'medium'))
      continue;
    finding.severity = 'low';
    finding.message = `${finding.message} (In a test file that no package code loads.)`;
  }
}

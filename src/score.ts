import { ExitCode } from './errors.js';
import type { PackageReport } from './model.js';
import { atLeast, highestSeverity, type Severity } from './severity.js';

export type FailOn = Severity | 'none';
export type VerdictName = 'block' | 'warn' | 'pass';

export interface Judgement {
  highestSeverity: Severity | 'none';
  verdict: VerdictName;
  exitCode: ExitCode;
}

export interface JudgeOptions {
  failOn: FailOn;
  /** The user accepts a scan that could not read every package; it still is never called a pass. */
  allowIncomplete: boolean;
}

/**
 * Findings → verdict → exit code. Pure.
 * block: a finding at or above --fail-on (exit 1, even if some packages could not be read: the answer is known).
 * warn: nothing blocks, but something could not be analysed or a medium-or-worse finding is below the bar.
 * pass: everything was read and nothing reached medium.
 * An incomplete scan exits 3 unless --allow-incomplete, and is never a pass.
 */
export function judge(packages: readonly PackageReport[], options: JudgeOptions): Judgement {
  const severities = packages.flatMap((pkg) => pkg.findings.map((finding) => finding.severity));
  const highest = highestSeverity(severities);
  const incomplete = packages.some((pkg) => pkg.incomplete);
  const blocks = options.failOn !== 'none' && highest !== 'none' && atLeast(highest, options.failOn);
  if (blocks) return { highestSeverity: highest, verdict: 'block', exitCode: ExitCode.findings };
  const warns = incomplete || (highest !== 'none' && atLeast(highest, 'medium'));
  const exitCode = incomplete && !options.allowIncomplete ? ExitCode.incomplete : ExitCode.ok;
  return { highestSeverity: highest, verdict: warns ? 'warn' : 'pass', exitCode };
}

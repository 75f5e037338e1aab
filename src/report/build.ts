import { CAPABILITIES, type Capability, type IncompleteMark, type PackageReport } from '../model.js';
import type { Suppressed } from '../policy/policy.js';
import type { ScanResult } from '../scan.js';
import { type FailOn, type Judgement, judge } from '../score.js';
import type { Severity } from '../severity.js';

/** The JSON report contract (schemaVersion 1); report.schema.json describes it. */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'ocellus'; version: string };
  target: string;
  summary: {
    packages: number;
    findings: number;
    highestSeverity: Severity | 'none';
    verdict: Judgement['verdict'];
    incomplete: IncompleteMark[];
    skipped: Array<{ name: string; version: string; reason: string }>;
    /** What the scanned packages can do, their dependencies included: the union of every package's capabilities. */
    capabilities: Capability[];
    /** Findings the policy or the baseline took out of the verdict (present when there are any). */
    suppressed?: Suppressed[];
  };
  /** Packages as scanned; what could not be analysed is listed once, in summary.incomplete. */
  packages: Array<Omit<PackageReport, 'incomplete'>>;
}

export interface BuiltReport {
  report: Report;
  judgement: Judgement;
}

export function buildReport(
  result: ScanResult,
  options: { toolVersion: string; failOn: FailOn; allowIncomplete: boolean; suppressed?: Suppressed[] },
): BuiltReport {
  const judgement = judge(result.packages, options);
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'ocellus', version: options.toolVersion },
    target: result.target,
    summary: {
      packages: result.packages.length,
      findings: result.packages.reduce((sum, pkg) => sum + pkg.findings.length, 0),
      highestSeverity: judgement.highestSeverity,
      verdict: judgement.verdict,
      incomplete: result.incomplete,
      skipped: result.skippedForPlatform.map((pkg) => ({
        ...pkg,
        reason: 'optional dependency that npm does not install on this platform',
      })),
      capabilities: CAPABILITIES.filter((capability) =>
        result.packages.some((pkg) => pkg.capabilities.includes(capability)),
      ),
      ...(options.suppressed?.length ? { suppressed: options.suppressed } : {}),
    },
    packages: result.packages.map((pkg) => ({
      name: pkg.name,
      version: pkg.version,
      integrity: pkg.integrity,
      paths: pkg.paths,
      capabilities: pkg.capabilities,
      ...(pkg.tools ? { tools: pkg.tools } : {}),
      findings: pkg.findings,
    })),
  };
  return { report, judgement };
}

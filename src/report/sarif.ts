import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Check } from '../checks/check.js';
import { PIPELINE_RULES } from '../checks/pipeline-rules.js';
import type { Finding } from '../model.js';
import type { Severity } from '../severity.js';
import type { Report } from './build.js';

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub code scanning ranks security results by this property (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

export interface SarifOptions {
  checks: readonly Check[];
  /**
   * Where a package's findings point in the repository (its lockfile entry in a project audit). Without it, a
   * result points where the file lands once installed: node_modules/<name>/<file>.
   */
  locate?: (pkg: { name: string; version: string }) => { uri: string; line?: number } | undefined;
}

/** SARIF 2.1.0, one run, one rule per check, for GitHub code scanning and other SARIF readers. */
export function renderSarif(report: Report, options: SarifOptions): string {
  const rules: ReportingDescriptor[] = [...options.checks, ...PIPELINE_RULES].map((check) => ({
    id: check.id,
    name: check.id
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(''),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: check.docs.replace(/\s*\n\s*/g, ' '), markdown: check.docs },
    defaultConfiguration: { level: LEVEL[check.defaultSeverity] },
    properties: {
      tags: ['security', 'supply-chain'],
      'security-severity': SECURITY_SEVERITY[check.defaultSeverity],
    },
  }));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results: Result[] = [];
  for (const pkg of report.packages) {
    for (const finding of pkg.findings) {
      results.push(result(pkg, finding, ruleIndex.get(finding.checkId), options));
    }
  }
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ocellus',
            version: report.tool.version,
            informationUri: 'https://github.com/ocellus-dev/ocellus',
            rules,
          },
        },
        automationDetails: { id: `ocellus/${report.target}` },
        invocations: [
          {
            executionSuccessful: report.summary.incomplete.length === 0,
            toolExecutionNotifications: report.summary.incomplete.map((mark) => ({
              level: 'error' as const,
              message: { text: `${mark.name}@${mark.version} was not analysed: ${mark.reason}` },
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function result(
  pkg: Report['packages'][number],
  finding: Finding,
  index: number | undefined,
  options: SarifOptions,
): Result {
  const located = options.locate?.(pkg);
  const file = finding.location?.file ?? 'package.json';
  const region = located
    ? located.line
      ? { startLine: located.line }
      : undefined
    : finding.location?.line
      ? {
          startLine: finding.location.line,
          ...(finding.location.column ? { startColumn: finding.location.column } : {}),
        }
      : undefined;
  const path = pkg.paths[0]?.join(' › ');
  return {
    ruleId: finding.checkId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[finding.severity],
    message: {
      text: `${pkg.name}@${pkg.version}: ${finding.message}${path && pkg.paths[0]?.length !== 1 ? ` (via ${path})` : ''}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: located?.uri ?? `node_modules/${pkg.name}/${file}` },
          ...(region ? { region } : {}),
        },
        logicalLocations: [{ fullyQualifiedName: `${pkg.name}@${pkg.version}/${file}`, kind: 'module' }],
      },
    ],
    partialFingerprints: {
      'ocellus/v1': `${pkg.name}@${pkg.version}:${finding.checkId}:${file}:${finding.evidence ?? finding.title}`,
    },
    properties: {
      package: pkg.name,
      version: pkg.version,
      severity: finding.severity,
      confidence: finding.confidence,
      'security-severity': SECURITY_SEVERITY[finding.severity],
      ...(finding.evidence ? { evidence: finding.evidence } : {}),
    },
  };
}

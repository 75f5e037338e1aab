import { Chalk, type ChalkInstance } from 'chalk';
import type { Capability, Finding } from '../model.js';
import { SEVERITIES, type Severity } from '../severity.js';
import type { Report } from './build.js';

export interface TableOptions {
  color: boolean;
  /** Paths shown per package before "+N more". */
  maxPaths?: number;
}

const VERDICT_TEXT = { block: 'BLOCK', warn: 'WARN', pass: 'PASS' } as const;

/** The report for people: packages with something to say, worst first, then a one-line summary. */
export function renderTable(report: Report, options: TableOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const paint = severityPainter(chalk);
  const maxPaths = options.maxPaths ?? 3;
  const lines: string[] = [];
  const incompleteByKey = new Map(
    report.summary.incomplete.map((mark) => [`${mark.name}@${mark.version}`, mark]),
  );

  const notable = report.packages
    .filter((pkg) => pkg.findings.length > 0 || incompleteByKey.has(`${pkg.name}@${pkg.version}`))
    .sort((a, b) => worst(b.findings) - worst(a.findings) || a.name.localeCompare(b.name));

  for (const pkg of notable) {
    const key = `${pkg.name}@${pkg.version}`;
    lines.push(chalk.bold(key));
    const [first, ...rest] = pkg.paths;
    if (first && first.length > 1) {
      lines.push(`  via ${first.join(' › ')}`);
      for (const path of rest.slice(0, maxPaths - 1)) lines.push(`      ${path.join(' › ')}`);
      if (rest.length > maxPaths - 1)
        lines.push(chalk.dim(`      +${rest.length - (maxPaths - 1)} more paths`));
    }
    if (pkg.capabilities.length > 0) lines.push(`  can: ${pkg.capabilities.join(', ')}`);
    const mark = incompleteByKey.get(key);
    if (mark) lines.push(`  ${chalk.magenta('NOT ANALYSED')} ${mark.reason}`);
    for (const finding of pkg.findings) {
      lines.push(`  ${paint(finding.severity)} ${chalk.dim(finding.checkId)}  ${finding.message}`);
      const where = formatLocation(finding);
      const evidence = finding.evidence ? `  ${chalk.dim('›')} ${finding.evidence}` : '';
      if (where || evidence) lines.push(`      ${where}${evidence}`);
    }
    lines.push('');
  }

  if (notable.length === 0) lines.push('No findings.', '');
  lines.push(...permissionList(report), '');
  const suppressed = report.summary.suppressed ?? [];
  if (suppressed.length > 0) {
    lines.push(`${suppressed.length} finding(s) suppressed, not judged:`);
    for (const entry of suppressed.slice(0, 20))
      lines.push(`  ${entry.name}@${entry.version} ${entry.checkId} (${entry.title}): ${entry.reason}`);
    if (suppressed.length > 20)
      lines.push(`  and ${suppressed.length - 20} more (the JSON report lists them all)`);
    lines.push('');
  }

  const counts = SEVERITIES.map((severity) => {
    const count = report.packages.reduce(
      (sum, pkg) => sum + pkg.findings.filter((finding) => finding.severity === severity).length,
      0,
    );
    return `${count} ${severity}`;
  }).join(', ');
  const verdict = report.summary.verdict;
  const verdictText =
    verdict === 'block'
      ? chalk.red.bold(VERDICT_TEXT[verdict])
      : verdict === 'warn'
        ? chalk.yellow.bold(VERDICT_TEXT[verdict])
        : chalk.green.bold(VERDICT_TEXT[verdict]);
  const incomplete = report.summary.incomplete.length;
  const skipped = report.summary.skipped.length;
  const extras = [
    incomplete > 0 ? chalk.magenta(`${incomplete} not analysed`) : '',
    skipped > 0 ? `${skipped} optional for other platforms not scanned` : '',
  ].filter(Boolean);
  lines.push(
    `${verdictText} ${report.target}: ${report.summary.packages} packages, ${counts}${extras.length ? `; ${extras.join('; ')}` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** Like a phone app's permission list: what the scanned tree can do, and which packages bring each power. */
function permissionList(report: Report): string[] {
  if (report.summary.capabilities.length === 0)
    return [`${report.target} and its dependencies use no sensitive capability.`, ...toolList(report)];
  const lines = [`${report.target} and its dependencies can:`];
  for (const capability of report.summary.capabilities) {
    const names = report.packages
      .filter((pkg) => pkg.capabilities.includes(capability))
      .map((pkg) => pkg.name);
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ` +${names.length - 4} more` : '');
    lines.push(`  ${CAPABILITY_TEXT[capability].padEnd(34)} ${shown}`);
  }
  return [...lines, ...toolList(report)];
}

/** What the scanned servers offer the model: tool, prompt and resource names (descriptions are in the JSON). */
function toolList(report: Report): string[] {
  const lines: string[] = [];
  for (const pkg of report.packages) {
    if (!pkg.tools?.length) continue;
    const names = pkg.tools.map((tool) => (tool.kind === 'tool' ? tool.name : `${tool.name} (${tool.kind})`));
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? ` +${names.length - 8} more` : '');
    lines.push(
      `${pkg.name} offers the model ${pkg.tools.length} tool(s), prompt(s) or resource(s): ${shown}`,
    );
  }
  return lines;
}

const CAPABILITY_TEXT: Record<Capability, string> = {
  network: 'reach the network',
  'child-process': 'run other programs',
  env: 'read environment variables',
  'fs-read': 'read files',
  'fs-write': 'write or delete files',
  'dynamic-code': 'evaluate code at run time',
  'install-script': 'run scripts when installed',
  native: 'load native code',
};

function worst(findings: Finding[]): number {
  return findings.reduce((max, finding) => Math.max(max, 5 - SEVERITIES.indexOf(finding.severity)), 0);
}

function formatLocation(finding: Finding): string {
  const location = finding.location;
  if (!location) return '';
  return [location.file, location.line, location.column].filter((part) => part !== undefined).join(':');
}

function severityPainter(chalk: ChalkInstance): (severity: Severity) => string {
  const label = (severity: Severity) => severity.toUpperCase().padEnd(8);
  return (severity) => {
    switch (severity) {
      case 'critical':
        return chalk.bgRed.white.bold(label(severity));
      case 'high':
        return chalk.red.bold(label(severity));
      case 'medium':
        return chalk.yellow(label(severity));
      case 'low':
        return chalk.cyan(label(severity));
      default:
        return chalk.dim(label(severity));
    }
  };
}

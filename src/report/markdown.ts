import type { Finding } from '../model.js';
import { SEVERITIES, severityRank } from '../severity.js';
import type { Report } from './build.js';

const VERDICT = { block: '🛑 BLOCK', warn: '⚠️ WARN', pass: '✅ PASS' } as const;

/** For pull-request comments: a short verdict, a table of findings, the details collapsed. */
export function renderMarkdown(report: Report, options: { maxRows?: number } = {}): string {
  const maxRows = options.maxRows ?? 50;
  const counts = SEVERITIES.map((severity) => {
    const count = report.packages.reduce(
      (sum, pkg) => sum + pkg.findings.filter((f) => f.severity === severity).length,
      0,
    );
    return `${count} ${severity}`;
  }).join(', ');
  const lines = [
    `### Ocellus: ${VERDICT[report.summary.verdict]} \`${cell(report.target)}\``,
    '',
    `${report.summary.packages} packages scanned: ${counts}.`,
  ];
  if (report.summary.incomplete.length > 0) {
    lines.push(
      '',
      `**${report.summary.incomplete.length} package(s) could not be analysed:** ${report.summary.incomplete.map((mark) => `\`${mark.name}@${mark.version}\` (${cell(mark.reason)})`).join(', ')}`,
    );
  }
  const rows = report.packages
    .flatMap((pkg) => pkg.findings.map((finding) => ({ pkg, finding })))
    .filter(({ finding }) => severityRank(finding.severity) >= severityRank('low'))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity));
  if (rows.length > 0) {
    lines.push('', '| severity | package | check | finding |', '| --- | --- | --- | --- |');
    for (const { pkg, finding } of rows.slice(0, maxRows)) {
      lines.push(
        `| ${finding.severity.toUpperCase()} | \`${pkg.name}@${pkg.version}\` | ${finding.checkId} | ${cell(finding.message)}${where(finding)} |`,
      );
    }
    if (rows.length > maxRows) lines.push('', `…and ${rows.length - maxRows} more in the full report.`);
    lines.push('', '<details><summary>Details</summary>', '');
    for (const pkg of report.packages.filter((candidate) => candidate.findings.length > 0)) {
      lines.push(
        `**\`${pkg.name}@${pkg.version}\`**${pkg.paths[0] && pkg.paths[0].length > 1 ? ` via ${cell(pkg.paths[0].join(' › '))}` : ''}${pkg.capabilities.length ? `; can: ${pkg.capabilities.join(', ')}` : ''}`,
        '',
      );
      for (const finding of pkg.findings) {
        lines.push(
          `- ${finding.severity.toUpperCase()} ${finding.title}${where(finding)}${finding.evidence ? `: \`${inlineCode(finding.evidence)}\`` : ''}`,
        );
      }
      lines.push('');
    }
    lines.push('</details>');
  } else {
    lines.push('', 'No findings at low or above.');
  }
  return `${lines.join('\n')}\n`;
}

function where(finding: Finding): string {
  const location = finding.location;
  if (!location) return '';
  return ` (\`${inlineCode(location.file)}${location.line ? `:${location.line}` : ''}\`)`;
}

/** Table cells: pipes and line breaks would break the table; HTML would render. */
function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function inlineCode(text: string): string {
  return text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
}

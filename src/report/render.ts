import { CHECKS } from '../checks/index.js';
import type { Report } from './build.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif, type SarifOptions } from './sarif.js';
import { renderTable } from './table.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** One place that turns a report into the format asked for. */
export function renderReport(
  report: Report,
  format: ReportFormat,
  options: { color: boolean; locate?: SarifOptions['locate'] },
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, { checks: CHECKS, ...(options.locate ? { locate: options.locate } : {}) });
    case 'markdown':
      return renderMarkdown(report);
    case 'table':
      return renderTable(report, { color: options.color });
  }
}

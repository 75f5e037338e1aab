import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { reportSchema, validateReport } from '../helpers/report-schema.js';
import { sampleResult } from './sample-result.js';

const options = { toolVersion: '0.0.0-test', failOn: 'high' as const, allowIncomplete: false };

describe('reporters over the same scan', () => {
  const { report, judgement } = buildReport(sampleResult, options);

  it('judges the sample: a critical blocks even though a package is missing', () => {
    expect(judgement).toEqual({ highestSeverity: 'critical', verdict: 'block', exitCode: 1 });
  });

  it('table (golden file)', async () => {
    await expect(renderTable(report, { color: false })).toMatchFileSnapshot('__snapshots__/sample.table.txt');
  });

  it('table in colour carries ANSI codes, plain does not', () => {
    expect(renderTable(report, { color: true })).toContain('\u001b[');
    expect(renderTable(report, { color: false })).not.toContain('\u001b[');
  });

  it('json (golden file) validates against the schema', async () => {
    const text = renderJson(report);
    await expect(text).toMatchFileSnapshot('__snapshots__/sample.report.json');
    expect(validateReport(JSON.parse(text)), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('the schema rejects a report that breaks the contract', () => {
    const validate = new Ajv2020().compile(reportSchema);
    const broken = JSON.parse(renderJson(report));
    broken.summary.verdict = 'ok';
    expect(validate(broken)).toBe(false);
  });
});

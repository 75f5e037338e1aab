import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { buildReport } from '../../src/report/build.js';
import { renderJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
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

describe('SARIF and Markdown', () => {
  const { report } = buildReport(sampleResult, options);
  const sarifSchema = JSON.parse(
    readFileSync(
      new URL('../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url),
      'utf8',
    ),
  );
  // The official schema is draft-04, which Ajv reads through its draft-04 class.
  // A CommonJS default export seen from ESM; and the schema's patterns predate the regex `u` flag.
  type Draft04 = new (options: object) => { compile(schema: object): ValidateFunction };
  const AjvDraft04 = ((ajvDraft04 as unknown as { default?: Draft04 }).default ??
    ajvDraft04) as unknown as Draft04;
  const validateSarif = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
    sarifSchema,
  );

  it('SARIF (golden file) validates against the official SARIF 2.1.0 schema, one rule per check', async () => {
    const text = renderSarif(report, { checks: CHECKS });
    await expect(text).toMatchFileSnapshot('__snapshots__/sample.sarif.json');
    const log = JSON.parse(text);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      ...CHECKS.map((check) => check.id),
      'lockfile-integrity',
      'lockfile-source',
      'policy',
    ]);
    // A package that could not be analysed makes the run unsuccessful, with a notification naming it.
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it('SARIF points at the lockfile entry when the scan knows it', () => {
    const log = JSON.parse(
      renderSarif(report, {
        checks: CHECKS,
        locate: (pkg) => ({ uri: 'package-lock.json', line: pkg.name.length }),
      }),
    );
    const [first] = log.runs[0].results;
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'package-lock.json' },
      region: { startLine: first.properties.package.length },
    });
  });

  it('Markdown (golden file): verdict, a table of findings, details collapsed; table cells cannot be broken', async () => {
    const text = renderMarkdown(report);
    await expect(text).toMatchFileSnapshot('__snapshots__/sample.md');
    expect(text).toContain('<details><summary>Details</summary>');
    const hostile = structuredClone(report);
    const shown = hostile.packages
      .flatMap((pkg) => pkg.findings)
      .find((finding) => finding.severity === 'critical');
    if (shown) shown.message = 'a | b\nc <script>';
    const row = renderMarkdown(hostile)
      .split('\n')
      .find((line) => line.includes('a \\| b'));
    expect(row).toContain('a \\| b c &lt;script&gt;');
  });
});

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const reportSchema = JSON.parse(
  readFileSync(new URL('../../src/report/report.schema.json', import.meta.url), 'utf8'),
);

/** Validates a parsed `--format json` report against the published schema. */
export const validateReport = new Ajv2020({ allErrors: true }).compile(reportSchema);

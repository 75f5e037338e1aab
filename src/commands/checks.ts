import type { CheckDefinition } from '../checks/check.js';
import { CHECKS } from '../checks/index.js';
import { PIPELINE_RULES } from '../checks/pipeline-rules.js';
import { OcellusError } from '../errors.js';

type Described = Omit<CheckDefinition, 'run'>;

/** `ocellus checks [id]`: every check with its description, or one check's full documentation. */
export function runChecksCommand(
  id: string | undefined,
  format: 'table' | 'json',
  stdout: NodeJS.WritableStream,
): number {
  // The scan's own findings (lockfile, policy) are documented alongside the checks.
  const all: readonly Described[] = [...CHECKS, ...PIPELINE_RULES];
  const selected = id ? all.filter((check) => check.id === id) : all;
  if (id && selected.length === 0) {
    throw new OcellusError('EUSAGE', `There is no check "${id}".`, {
      hint: `Known checks: ${all.map((check) => check.id).join(', ')}.`,
    });
  }
  if (format === 'json') {
    const rows = selected.map(({ id: checkId, title, description, defaultSeverity, docs }) => ({
      id: checkId,
      title,
      description,
      defaultSeverity,
      docs: docs.replace(/\s*\n\s*/g, ' '),
    }));
    stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (id) {
    const [check] = selected as [Described];
    stdout.write(`${check.id}: ${check.title}\n\n${check.docs.replace(/\s*\n\s*/g, ' ')}\n`);
    return 0;
  }
  const width = Math.max(...selected.map((check) => check.id.length));
  for (const check of selected) stdout.write(`${check.id.padEnd(width)}  ${check.description}\n`);
  stdout.write(
    '\nRun `ocellus checks <id>` for what a check catches, the incident behind it, and how to silence it.\n',
  );
  return 0;
}

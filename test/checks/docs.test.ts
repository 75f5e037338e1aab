import { describe, expect, it } from 'vitest';
import { CODE_CHECKS } from '../../src/checks/code-checks.js';
import { CHECKS } from '../../src/checks/index.js';
import { PIPELINE_RULES } from '../../src/checks/pipeline-rules.js';
import { runChecksCommand } from '../../src/commands/checks.js';

function capture(run: (stream: NodeJS.WritableStream) => number): { code: number; text: string } {
  let text = '';
  const stream = {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { code: run(stream), text };
}

describe('check documentation', () => {
  it('every check has a unique id and docs that name what it catches and how to silence it', () => {
    expect(new Set(CHECKS.map((check) => check.id)).size).toBe(CHECKS.length);
    for (const check of CHECKS) {
      expect(check.docs.length, check.id).toBeGreaterThan(200);
      expect(check.description.length, check.id).toBeGreaterThan(20);
    }
  });

  it('the analysis workers run exactly the code checks the scan runs in-process, in the same order', () => {
    expect(CODE_CHECKS.map((check) => check.id)).toEqual(
      CHECKS.filter((check) => check.scope === 'code').map((check) => check.id),
    );
    expect(CHECKS.filter((check) => check.scope === 'registry').map((check) => check.id)).toEqual([
      'typosquat',
      'registry-metadata',
      'manifest-confusion',
    ]);
  });

  it('`ocellus checks` lists them all, `ocellus checks <id>` prints one', () => {
    const list = capture((stream) => runChecksCommand(undefined, 'table', stream));
    for (const check of [...CHECKS, ...PIPELINE_RULES]) expect(list.text).toContain(check.id);
    const one = capture((stream) => runChecksCommand('hardcoded-recipient', 'table', stream));
    expect(one.text).toContain('postmark-mcp');
    const json = JSON.parse(capture((stream) => runChecksCommand(undefined, 'json', stream)).text);
    expect(json).toHaveLength(CHECKS.length + PIPELINE_RULES.length);
    // The scan's own findings are documented as well.
    expect(capture((stream) => runChecksCommand('lockfile-integrity', 'table', stream)).text).toContain(
      'lockfile',
    );
  });

  it('an unknown id is a usage error', () => {
    expect(() =>
      runChecksCommand('no-such-check', 'table', { write: () => true } as unknown as NodeJS.WritableStream),
    ).toThrow(/There is no check "no-such-check"/);
  });
});

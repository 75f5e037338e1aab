import type { JsFileFacts, Position } from '../facts/model.js';
import { isExec, isFileWrite, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { at, commandLine } from './code-helpers.js';

interface Move extends Position {
  what: string;
  evidence: string;
  /**
   * False for a command template (with a placeholder) seen only as a string in a file that runs commands: the
   * command was not seen reaching the call, and templates are what release tools keep as defaults.
   */
  direct?: false;
}

/** printf (`%filename`) and mustache (`{{file}}`) placeholders; never `${...}`, which a worm's own code fills in. */
const PLACEHOLDER = /%[a-z]{1,20}\b|\{\{\s{0,3}[a-z]{1,20}\s{0,3}\}\}/i;

function movesIn(file: JsFileFacts): Move[] {
  const moves: Move[] = [];
  const writes = file.calls.some((call) => isFileWrite(call.callee));
  const network = file.calls.some((call) => isNetwork(call.callee));
  for (const call of file.calls) {
    if (!isExec(call.callee)) continue;
    const command = commandLine(call) ?? '';
    if (/\bnpm\s+publish\b/.test(command))
      moves.push({ what: 'publishes to npm', evidence: command, line: call.line, column: call.column });
    if (/\bgh\s+repo\s+create\b|\bgit\s+push\b.*\b(?:--force|-f)\b/.test(command)) {
      moves.push({
        what: 'creates or force-pushes repositories',
        evidence: command,
        line: call.line,
        column: call.column,
      });
    }
  }
  for (const text of file.strings) {
    if (/\.github[/\\]workflows[/\\]/.test(text.value) && (writes || network)) {
      moves.push({
        what: 'writes GitHub Actions workflows',
        evidence: text.value,
        line: text.line,
        column: text.column,
      });
    }
    if (/api\.github\.com\/user\/repos|\/orgs\/[^/\s]{1,100}\/repos\b/.test(text.value) && network) {
      moves.push({
        what: 'creates GitHub repositories through the API',
        evidence: text.value,
        line: text.line,
        column: text.column,
      });
    }
    if (
      /registry\.npmjs\.org\/-\/(?:whoami|npm\/v1\/tokens)|\/-\/v1\/search\?text=maintainer:/.test(
        text.value,
      ) &&
      network
    ) {
      moves.push({
        what: 'queries npm with a token to find packages to republish',
        evidence: text.value,
        line: text.line,
        column: text.column,
      });
    }
    if (/\bnpm\s+publish\b/.test(text.value) && file.calls.some((call) => isExec(call.callee))) {
      moves.push({
        what: 'publishes to npm',
        evidence: text.value,
        line: text.line,
        column: text.column,
        // A command template with a placeholder (jake's 'npm publish %filename') is a release tool's
        // configurable default; a complete command handed to exec through a parameter is not.
        ...(PLACEHOLDER.test(text.value) ? { direct: false as const } : {}),
      });
    }
  }
  return moves;
}

export const selfPropagation = defineCheck({
  id: 'self-propagation',
  title: 'Spreads itself',
  description: 'npm publish from code, writing GitHub workflows, creating repositories with a stolen token.',
  docs: `Worms turn one infected developer into many packages. Shai-Hulud (September 2025) used stolen npm
tokens to republish every package the victim maintained with itself inside, pushed a workflow to
\`.github/workflows\` to exfiltrate secrets from CI, and created public repositories full of stolen data.
One such move in library code is high; two or more in one package is critical. Release tooling that
publishes on purpose (semantic-release and the like) belongs in dev dependencies. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const all = ctx.code.js.flatMap((file) => movesIn(file).map((move) => ({ file, move })));
    const kinds = new Set(all.map(({ move }) => move.what));
    // A lone publish seen only as a command template (a release tool's configurable default, jake's 'npm
    // publish %filename') is medium; a command seen reaching the call, or a second kind of move, is not.
    const onlyIndirect = kinds.size === 1 && all.every(({ move }) => move.direct === false);
    const findings: FindingDraft[] = [];
    const reported = new Set<string>();
    for (const { file, move } of all) {
      const key = `${file.path}:${move.what}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.push({
        severity: kinds.size >= 2 ? 'critical' : onlyIndirect ? 'medium' : 'high',
        message: `The code ${move.what}${kinds.size >= 2 ? ` (the package also ${[...kinds].filter((kind) => kind !== move.what).join(', ')})` : ''}.`,
        location: at(file, move),
        evidence: excerpt(move.evidence),
      });
    }
    return findings;
  },
});

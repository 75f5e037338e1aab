import { excerpt } from '../checks/check.js';
import type { Finding } from '../model.js';

/** Checks that judge the name or the registry, not the code: their findings are not "new code". */
const NOT_CODE = new Set(['typosquat', 'registry-metadata', 'manifest-confusion', 'version-diff']);

/**
 * The checks whose findings on the previous release can change what markNewFindings says of `findings`: those
 * that found something in the new release. Only findings of the same check can match one (the key starts
 * with the check's id), so the other checks need not run on the previous release at all.
 */
export function checksToCompare(findings: readonly Finding[]): Set<string> {
  return new Set(findings.map((finding) => finding.checkId).filter((id) => !NOT_CODE.has(id)));
}
/** How far below a finding's position the added line may sit (a finding points at the start of its statement). */
const STATEMENT_SPAN = 30;

interface Side {
  version: string;
  readText(path: string): string | undefined;
}

/** Identity of a finding across versions: lines move between releases, the code they quote does not. */
function findingKey(finding: Finding): string {
  const what = finding.evidence ?? finding.message.replace(/\d+(?:\.\d+)*/g, '#');
  // The file counts: the same call moving from a test file into index.js is news.
  return `${finding.checkId}\u0000${finding.title}\u0000${finding.location?.file ?? ''}\u0000${what.replace(/\s+/g, ' ').trim()}`;
}

/**
 * Pure: marks the findings of `next` that `previous` did not have, naming both versions and quoting the
 * line the new release added, so code that "looks ordinary alone" reads as the change it is. Returns the new ones.
 */
export function markNewFindings(
  findings: Finding[],
  previousFindings: readonly Finding[],
  next: Side,
  previous: Side,
): Finding[] {
  // A multiset: two identical findings where the previous release had one means one is new.
  const before = new Map<string, number>();
  for (const finding of previousFindings)
    before.set(findingKey(finding), (before.get(findingKey(finding)) ?? 0) + 1);
  const added: Finding[] = [];
  for (const finding of findings) {
    if (NOT_CODE.has(finding.checkId)) continue;
    const key = findingKey(finding);
    const left = before.get(key) ?? 0;
    if (left > 0) {
      before.set(key, left - 1);
      continue;
    }
    const quote = addedLine(finding, next, previous);
    finding.message = quote
      ? `${finding.message} New in ${next.version}: it added \`${quote.text}\` (${quote.file}:${quote.line}); ${previous.version} did not have this.`
      : `${finding.message} New in ${next.version}: ${previous.version} did not have this.`;
    if (quote) {
      finding.evidence = quote.text;
      if (finding.location) finding.location = { file: quote.file, line: quote.line };
    }
    added.push(finding);
  }
  return added;
}

/**
 * The line the new release added for this finding: the added line (near the finding's position) holding the
 * finding's evidence, else the finding's own line when the release added it. Nothing is quoted otherwise: in a
 * rebuilt bundle a nearby added line says nothing about the finding.
 */
function addedLine(
  finding: Finding,
  next: Side,
  previous: Side,
): { file: string; line: number; text: string } | undefined {
  const location = finding.location;
  if (!location?.line) return undefined;
  const text = next.readText(location.file);
  if (!text) return undefined;
  const lines = text.split('\n');
  const old = new Set((previous.readText(location.file) ?? '').split('\n').map((line) => line.trim()));
  const added = (index: number) => {
    const line = lines[index]?.trim() ?? '';
    return line.length > 0 && line.length <= 200 && !old.has(line) ? line : undefined;
  };
  const wanted = needle(finding.evidence);
  if (wanted) {
    const last = Math.min(lines.length, location.line + STATEMENT_SPAN);
    for (let index = location.line - 1; index < last; index++) {
      const line = added(index);
      if (line && squash(line).includes(wanted))
        return { file: location.file, line: index + 1, text: excerpt(line, 200) };
    }
  }
  const own = added(location.line - 1);
  return own ? { file: location.file, line: location.line, text: excerpt(own, 200) } : undefined;
}

/** Quotes and spacing differ between a finding's evidence and the source it came from. */
const squash = (text: string) => text.replace(/["'`\s]/g, '').toLowerCase();

function needle(evidence: string | undefined): string | undefined {
  if (!evidence) return undefined;
  const squashed = squash(evidence);
  return squashed.length >= 4 && squashed.length <= 200 ? squashed : undefined;
}

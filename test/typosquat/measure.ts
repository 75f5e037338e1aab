import type { FindOptions, NameIndex, Suspect } from '../../src/typosquat/matcher.js';
import type { HistoricalTyposquat } from './historical.js';

/** findSuspects, passed in so the benchmark can run this file against the built code. */
export type FindSuspects = (name: string, index: NameIndex, options?: FindOptions) => Suspect[];

/** A target written `@scope/*` accepts any package of that scope. */
function targetMatches(expected: readonly string[], actual: string): boolean {
  return expected.some((target) =>
    target.endsWith('/*') ? actual.startsWith(target.slice(0, -1)) : target === actual,
  );
}

/** Recall: historical squats flagged, as brand-new packages, with the right target among the suspects. */
export function measureRecall(
  findSuspects: FindSuspects,
  index: NameIndex,
  squats: readonly HistoricalTyposquat[],
) {
  const missed: Array<{ name: string; targets: string[]; got: string }> = [];
  let found = 0;
  let foundInData = 0;
  let totalInData = 0;
  for (const squat of squats) {
    const inData = squat.targets.some(
      (target) => index.isKnown(target) || (target.endsWith('/*') && hasScope(index, target.slice(0, -2))),
    );
    if (inData) totalInData++;
    const suspects = findSuspects(squat.name, index, { suspectDownloads: null });
    if (suspects.some((suspect) => targetMatches(squat.targets, suspect.target))) {
      found++;
      if (inData) foundInData++;
    } else {
      missed.push({ ...squat, got: suspects.map((s) => s.target).join(', ') || 'nothing' });
    }
  }
  return {
    found,
    total: squats.length,
    rate: found / squats.length,
    foundInData,
    totalInData,
    rateInData: foundInData / totalInData,
    missed,
  };
}

function hasScope(index: NameIndex, scope: string): boolean {
  return index.topOfScope.has(scope.slice(1));
}

/**
 * False positives: popular names checked as if just installed, against the list without themselves.
 * `list` judges each with its own downloads from the list, as the scan does for a dependency in the tree;
 * `new` forgets its downloads, as if a stranger had published the same name today.
 */
export function measureFalsePositives(
  findSuspects: FindSuspects,
  index: NameIndex,
  names: readonly string[],
  mode: 'list' | 'new',
) {
  const flagged: string[] = [];
  for (const name of names) {
    const suspects = findSuspects(name, index, mode === 'new' ? { suspectDownloads: null } : {});
    const top = suspects[0];
    if (top) flagged.push(`${name} → ${top.target} (${top.technique}: ${top.detail}, ${top.score})`);
  }
  return { flagged, rate: flagged.length / names.length };
}

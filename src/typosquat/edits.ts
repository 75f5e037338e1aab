import type { Technique } from './score.js';

export interface EditDescription {
  technique: Technique;
  /** What changed, as a reader would say it: "inserted 'r'", "swapped 'ro' to 'or'". */
  detail: string;
}

/**
 * Names the single edit (Damerau distance 1) that turns `target` into `suspect`, or undefined when they
 * are not one edit apart. Repeating a neighbouring letter and dropping a letter are told apart from other
 * edits because they are the slips typosquats bet on (expresss, mongose).
 */
export function describeSingleEdit(suspect: string, target: string): EditDescription | undefined {
  if (suspect === target) return undefined;
  const first = firstDifference(suspect, target);
  if (suspect.length === target.length) {
    const rest = suspect.slice(first + 1) === target.slice(first + 1);
    if (rest) {
      return { technique: 'edit-distance', detail: `'${suspect[first]}' for '${target[first]}'` };
    }
    const swapped =
      suspect[first] === target[first + 1] &&
      suspect[first + 1] === target[first] &&
      suspect.slice(first + 2) === target.slice(first + 2);
    if (swapped) {
      return {
        technique: 'transposition',
        detail: `swapped '${target.slice(first, first + 2)}' to '${suspect.slice(first, first + 2)}'`,
      };
    }
    return undefined;
  }
  if (suspect.length === target.length + 1) {
    if (suspect.slice(first + 1) !== target.slice(first)) return undefined;
    const inserted = suspect[first] as string;
    if (inserted === suspect[first - 1] || inserted === suspect[first + 1]) {
      return { technique: 'repeated-character', detail: `repeated '${inserted}'` };
    }
    return { technique: 'edit-distance', detail: `inserted '${inserted}'` };
  }
  if (suspect.length + 1 === target.length) {
    if (suspect.slice(first) !== target.slice(first + 1)) return undefined;
    const dropped = target[first] as string;
    const doubled = dropped === target[first - 1] || dropped === target[first + 1];
    return {
      technique: 'omitted-character',
      detail: doubled ? `one '${dropped}' of '${dropped}${dropped}' dropped` : `dropped '${dropped}'`,
    };
  }
  return undefined;
}

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index++;
  return index;
}

/** Every string made by deleting one character (the deletion neighbourhood used to index distance-1 names). */
export function singleDeletions(text: string): string[] {
  const deletions = new Set<string>();
  for (let index = 0; index < text.length; index++)
    deletions.add(text.slice(0, index) + text.slice(index + 1));
  return [...deletions];
}

/** Padded character trigrams, for the count filter before a distance-2 comparison. */
export function trigrams(text: string): string[] {
  const padded = `^${text}$`;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= padded.length; index++) grams.add(padded.slice(index, index + 3));
  return [...grams];
}

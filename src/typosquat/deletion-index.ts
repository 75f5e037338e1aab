/**
 * The deletion neighbourhood of a list of names (every string made by deleting one character of one of them),
 * held as sorted numbers instead of strings: a map from each of the 166,000 deletions of the bundled names to
 * its names took 28 MB of heap and half the index's build time on every cold scan. Each entry is a 32-bit hash
 * of a deletion and the position of the name it came from. Two different strings can share a hash, so a look-up
 * returns candidates, never answers: the caller keeps those `isDeletionOf` confirms, so a collision costs one
 * comparison, never a missed name nor an extra one.
 */
export class DeletionIndex {
  /** hash × POSITIONS + position, sorted; a Float64Array holds these integers exactly (below 2^53). */
  readonly #entries: Float64Array;

  constructor(forms: readonly string[]) {
    if (forms.length > POSITIONS) throw new RangeError(`at most ${POSITIONS} names can be indexed`);
    let count = 0;
    for (const form of forms) count += form.length;
    const entries = new Float64Array(count);
    let next = 0;
    forms.forEach((form, position) => {
      for (const hash of deletionHashes(form)) entries[next++] = hash * POSITIONS + position;
    });
    entries.sort();
    this.#entries = unique(entries);
  }

  /** Positions of the names one of whose deletions may equal `text` (deduplicated, in no useful order). */
  candidates(text: string): number[] {
    const hash = stringHash(text);
    const entries = this.#entries;
    // First entry at or above hash × POSITIONS: the run of this hash starts there.
    let low = 0;
    let high = entries.length;
    const floor = hash * POSITIONS;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((entries[middle] as number) < floor) low = middle + 1;
      else high = middle;
    }
    const positions: number[] = [];
    const ceiling = floor + POSITIONS;
    for (let index = low; index < entries.length && (entries[index] as number) < ceiling; index++) {
      positions.push((entries[index] as number) - floor);
    }
    return positions;
  }
}

/** Room for a name's position below the hash (2^32 hashes × 2^20 positions stays under 2^53). */
const POSITIONS = 2 ** 20;
/** Polynomial hash base (odd, so every power is invertible modulo 2^32 and no character is lost). */
const BASE = 0x01000193;

/** The polynomial hash modulo 2^32 of a string's UTF-16 code units. */
export function stringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++)
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) >>> 0;
  return hash;
}

/**
 * The hashes of every deletion of `text`, in O(length) instead of building each string: the deletion at `i`
 * is hash(text[0..i)) × BASE^(n−1−i) + hash(text[i+1..n)), all modulo 2^32. Equal to stringHash of each
 * deletion (tested), so a name's deletions and a queried string meet at the same number.
 */
export function deletionHashes(text: string): number[] {
  const length = text.length;
  // suffix[j]: hash of text[j..n); power[k]: BASE^k.
  const suffix = new Array<number>(length + 1);
  const power = new Array<number>(length + 1);
  suffix[length] = 0;
  power[0] = 1;
  for (let k = 1; k <= length; k++) power[k] = Math.imul(power[k - 1] as number, BASE) >>> 0;
  for (let j = length - 1; j >= 0; j--)
    suffix[j] =
      (Math.imul(text.charCodeAt(j), power[length - 1 - j] as number) + (suffix[j + 1] as number)) >>> 0;
  const hashes: number[] = [];
  let prefix = 0;
  for (let index = 0; index < length; index++) {
    hashes.push(
      (Math.imul(prefix, power[length - 1 - index] as number) + (suffix[index + 1] as number)) >>> 0,
    );
    prefix = (Math.imul(prefix, BASE) + text.charCodeAt(index)) >>> 0;
  }
  return hashes;
}

/** True when `text` is `form` with exactly one UTF-16 code unit removed. */
export function isDeletionOf(text: string, form: string): boolean {
  if (form.length !== text.length + 1) return false;
  let index = 0;
  while (index < text.length && text.charCodeAt(index) === form.charCodeAt(index)) index++;
  // The first difference is the removed unit: the rest must match one place over.
  for (let rest = index; rest < text.length; rest++) {
    if (text.charCodeAt(rest) !== form.charCodeAt(rest + 1)) return false;
  }
  return true;
}

/** A sorted array without its repeated values (a name such as `aab` yields the deletion `ab` twice). */
function unique(sorted: Float64Array): Float64Array {
  let kept = 0;
  for (let index = 0; index < sorted.length; index++) {
    if (index === 0 || sorted[index] !== sorted[kept - 1]) sorted[kept++] = sorted[index] as number;
  }
  return sorted.slice(0, kept);
}

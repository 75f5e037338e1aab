import { join } from 'node:path';
import { bundledNameIndex } from '../typosquat/bundled.js';
import { findSuspects, type Suspect } from '../typosquat/matcher.js';
import { EntryStore, isRecord, sha256 } from './entry-store.js';

const FORMAT = 'names-v1';
/** One entry of a few hundred KB at most; the bound only matters if the entry format ever multiplies. */
const MAX_BYTES = 16 * 1024 * 1024;
/** Names kept; past this the entry starts again from the names of the latest scan. */
const MAX_NAMES = 50_000;

type StoredSuspects = Record<string, Suspect[]>;

/**
 * The typosquat look-alikes of each name, kept across scans. `findSuspects` depends only on the name and the
 * bundled lists, both covered by the analyser fingerprint in the key, so a stored answer is the answer. It saves
 * building the look-up index over 10,000 names (about 0.2 s, a fifth of a warm re-scan) when every name of the
 * tree has been judged before. The severity is still judged on every scan, from the registry's age of the name.
 */
export class SuspectCache {
  readonly #store: EntryStore<StoredSuspects>;
  readonly #key: string;
  #known = new Map<string, Suspect[]>();
  #added = 0;

  constructor(dir: string, fingerprint: string) {
    this.#store = new EntryStore(join(dir, FORMAT), MAX_BYTES, isStoredSuspects);
    this.#key = sha256(JSON.stringify([FORMAT, fingerprint]));
  }

  /** Reads the stored answers; a missing or damaged entry leaves nothing known (each name is then computed). */
  async load(): Promise<void> {
    const stored = await this.#store.get(this.#key);
    this.#known = new Map(stored ? Object.entries(stored) : []);
  }

  /** The look-alikes of a name: the stored answer, or computed (and kept for `save`). */
  suspectsOf(name: string): Suspect[] {
    const known = this.#known.get(name);
    if (known) {
      // Used again: moved to the end, so the bound drops names not seen for longest.
      this.#known.delete(name);
      this.#known.set(name, known);
      return known;
    }
    const suspects = findSuspects(name, bundledNameIndex());
    this.#known.set(name, suspects);
    this.#added++;
    return suspects;
  }

  /** Writes the answers back when this scan computed new ones. */
  async save(): Promise<void> {
    if (this.#added === 0) return;
    let entries = [...this.#known];
    if (entries.length > MAX_NAMES) entries = entries.slice(-MAX_NAMES);
    // fromEntries defines own properties: a package named __proto__ is stored like any other name.
    await this.#store.put(this.#key, Object.fromEntries(entries));
    // Each analyser version writes its own entry: the oldest go once the folder is over its bound.
    await this.#store.prune();
    this.#added = 0;
  }
}

function isStoredSuspects(value: unknown): value is StoredSuspects {
  return (
    isRecord(value) &&
    Object.values(value).every(
      (suspects) =>
        Array.isArray(suspects) &&
        suspects.every(
          (suspect) =>
            isRecord(suspect) &&
            typeof suspect.target === 'string' &&
            typeof suspect.technique === 'string' &&
            typeof suspect.detail === 'string' &&
            typeof suspect.score === 'number',
        ),
    )
  );
}

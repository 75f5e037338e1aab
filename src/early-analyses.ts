/**
 * Packages analysed while the tree is still being resolved. A cold resolution is a chain of round trips to the
 * registry (server-filesystem: the analysis threads started 1.5 s into a 6.3 s scan; the further the registry,
 * the longer the wait), while the versions the tree will hold are known one by one as their documents arrive
 * (DependencyPrefetch picks them as npm would). Each picked
 * version is started as soon as enough are known to pay for the analysis threads; when the tree is known, those
 * it holds are taken by the scan and the rest are abandoned. A guess is only ever a head start: the scan checks
 * that it analysed the very bytes the tree holds, else does the work itself.
 */
export class EarlyAnalyses<T> {
  readonly #startAt: number;
  readonly #start: (name: string, version: string, abandoned: () => boolean) => Promise<T | undefined>;
  /** Versions picked before there were enough to start. */
  readonly #queued: Array<[string, string]> = [];
  readonly #picked = new Set<string>();
  readonly #started = new Map<string, { abandoned: boolean; outcome: Promise<T | undefined> }>();
  #open = true;

  /**
   * `startAt`: versions to have been picked before any starts (a tree smaller than that is analysed after its
   * resolution, as before). `start`: begins one version's work; it should stop at its next step once
   * `abandoned()` is true, and resolve to undefined when it has nothing to offer.
   */
  constructor(
    startAt: number,
    start: (name: string, version: string, abandoned: () => boolean) => Promise<T | undefined>,
  ) {
    this.#startAt = startAt;
    this.#start = start;
  }

  /** A version the resolution will most likely hold. */
  picked(name: string, version: string): void {
    const id = `${name}@${version}`;
    if (!this.#open || this.#picked.has(id)) return;
    this.#picked.add(id);
    this.#queued.push([name, version]);
    if (this.#picked.size < this.#startAt) return;
    for (const [queuedName, queuedVersion] of this.#queued.splice(0)) this.#begin(queuedName, queuedVersion);
  }

  /** How many versions were started before the tree was known. */
  get started(): number {
    return this.#started.size;
  }

  /**
   * The tree is known: nothing more starts, and work on versions outside `kept` (`name@version`) is abandoned.
   */
  keepOnly(kept: ReadonlySet<string>): void {
    this.#open = false;
    this.#queued.length = 0;
    for (const [id, work] of this.#started) if (!kept.has(id)) work.abandoned = true;
  }

  /** The work started on this version, once (undefined when none was). */
  take(name: string, version: string): Promise<T | undefined> | undefined {
    const id = `${name}@${version}`;
    const work = this.#started.get(id);
    if (!work || work.abandoned) return undefined;
    // Taken once: a second reader (none in a tree, where each version is one node) does the work itself.
    this.#started.delete(id);
    return work.outcome;
  }

  /** Marks everything not taken abandoned at once (the scan is over or failed); resolves once it has all settled. */
  async abandon(): Promise<void> {
    this.keepOnly(new Set());
    await Promise.allSettled([...this.#started.values()].map((work) => work.outcome));
  }

  #begin(name: string, version: string): void {
    const work: { abandoned: boolean; outcome: Promise<T | undefined> } = {
      abandoned: false,
      outcome: Promise.resolve(undefined),
    };
    // A failure is no head start: the scan does that package's work itself, and reports what it finds.
    try {
      work.outcome = this.#start(name, version, () => work.abandoned).catch(() => undefined);
    } catch {
      return;
    }
    this.#started.set(`${name}@${version}`, work);
  }
}

import type { ByteBudget } from '../byte-budget.js';
import type { DownloadRoom } from './tarball.js';

/**
 * Room in a ByteBudget for one package's tarballs (the release and the one it replaced) while they are being
 * downloaded and then wait for an analysis thread. Sizes are not known before a download (some registries list
 * no `unpackedSize`), so room is taken as bytes arrive, and a package whose bytes would take the budget past its
 * capacity is refused room. Its downloads are read to the end all the same (pacote verifies them and leaves them
 * in npm's cache), then read again from there once a thread is free, so a package bigger than the whole budget
 * still goes through. Refusing never waits, so nothing here can hold up anything else. Eight `@next/swc-*`
 * binaries of one tree (about 90 MB each with the release before) were otherwise held on the main thread at once.
 */
export class PackageRoom {
  readonly #budget: ByteBudget;
  readonly #streams: StreamRoom[] = [];
  #refused = false;

  constructor(budget: ByteBudget) {
    this.#budget = budget;
  }

  /** Whether some of this package's bytes were refused room: its tarballs must be read again. */
  get refused(): boolean {
    return this.#refused;
  }

  /** Room for one download of this package. */
  stream(): DownloadRoom {
    const stream = new StreamRoom((bytes) => this.#take(bytes));
    this.#streams.push(stream);
    return stream;
  }

  /** Gives back every byte taken: the analysis started, or the bytes were dropped. */
  release(): void {
    for (const stream of this.#streams) stream.restart();
  }

  #take(bytes: number): (() => void) | undefined {
    if (this.#refused) return undefined;
    const budget = this.#budget;
    if (budget.used + bytes > budget.capacity) {
      this.#refused = true;
      this.release();
      return undefined;
    }
    return budget.charge(bytes);
  }
}

/** One download's share of its package's room, given back whole when the download starts over. */
class StreamRoom implements DownloadRoom {
  readonly #take: (bytes: number) => (() => void) | undefined;
  #taken: Array<() => void> = [];

  constructor(take: (bytes: number) => (() => void) | undefined) {
    this.#take = take;
  }

  restart(): void {
    for (const giveBack of this.#taken.splice(0)) giveBack();
  }

  take(bytes: number): boolean {
    const taken = this.#take(bytes);
    if (taken) this.#taken.push(taken);
    return taken !== undefined;
  }
}

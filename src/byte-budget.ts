/**
 * An asynchronous semaphore over bytes: work that needs `n` bytes waits until they are free. A request bigger
 * than the whole capacity waits until nothing else holds any, then runs alone, so it is never refused.
 */
export class ByteBudget {
  readonly #capacity: number;
  #used = 0;
  readonly #waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Resolves with the function that gives the bytes back; call it exactly once. */
  acquire(bytes: number): Promise<() => void> {
    const wanted = Math.max(0, Math.min(bytes, this.#capacity));
    return new Promise((resolve) => {
      this.#waiting.push({ bytes: wanted, grant: () => resolve(this.#releaser(wanted)) });
      this.#drain();
    });
  }

  /**
   * Takes bytes at once, without waiting (bytes that are already arriving): the caller checks the capacity
   * itself. Requests waiting in `acquire` are granted once the total is back under the capacity.
   */
  charge(bytes: number): () => void {
    const taken = Math.max(0, bytes);
    this.#used += taken;
    return this.#releaser(taken);
  }

  get capacity(): number {
    return this.#capacity;
  }

  get used(): number {
    return this.#used;
  }

  #releaser(bytes: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used -= bytes;
      this.#drain();
    };
  }

  // First come, first served: a big request at the head is not overtaken by small ones forever.
  #drain(): void {
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0];
      if (!next || this.#used + next.bytes > this.#capacity) return;
      this.#waiting.shift();
      this.#used += next.bytes;
      next.grant();
    }
  }
}

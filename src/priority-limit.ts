/**
 * Runs at most `concurrency` tasks at once; when a place frees, the waiting task with the highest priority
 * goes next (ties in arrival order), unless a heavy task is running (below). The scan gives the biggest
 * packages to the analysis threads first, so a large package downloaded late does not run alone at the end
 * while the other threads sit idle.
 *
 * A task marked heavy does not start while another heavy one runs: the biggest packages (next, storybook)
 * each take hundreds of megabytes to analyse, and the biggest-first order otherwise starts them together.
 * While a heavy task runs, the other places go to the smallest waiting tasks: biggest-first gave them the
 * medium packages (typescript, webpack, sass: 150 to 230 MB of heap each) for the whole half minute of next's
 * analysis, which is when a cold audit's memory peaked. The medium ones then run beside each other, or beside
 * the next heavy task once the small ones are done.
 */
export class PriorityLimit {
  #concurrency: number;
  #active = 0;
  #heavyActive = 0;
  #arrivals = 0;
  readonly #waiting: Array<{ priority: number; arrival: number; heavy: boolean; start: () => void }> = [];

  constructor(concurrency: number) {
    this.#concurrency = Math.max(1, Math.floor(concurrency));
  }

  run<T>(priority: number, task: () => Promise<T>, heavy = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#active++;
        if (heavy) this.#heavyActive++;
        // Through a promise, so a task that throws before returning one still frees its place.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            this.#active--;
            if (heavy) this.#heavyActive--;
            this.#next();
          });
      };
      this.#waiting.push({ priority, arrival: this.#arrivals++, heavy, start });
      this.#next();
    });
  }

  get active(): number {
    return this.#active;
  }

  /** Changes how many tasks may run at once; running tasks finish, and more start if there is now room. */
  set concurrency(concurrency: number) {
    this.#concurrency = Math.max(1, Math.floor(concurrency));
    this.#next();
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  #next(): void {
    while (this.#active < this.#concurrency) {
      const besideHeavy = this.#heavyActive > 0;
      let best = -1;
      for (let index = 0; index < this.#waiting.length; index++) {
        const candidate = this.#waiting[index];
        if (!candidate || (candidate.heavy && besideHeavy)) continue;
        const chosen = this.#waiting[best];
        const better = besideHeavy
          ? candidate.priority < (chosen?.priority ?? Number.POSITIVE_INFINITY)
          : candidate.priority > (chosen?.priority ?? Number.NEGATIVE_INFINITY);
        if (!chosen || better) best = index;
      }
      if (best < 0) return;
      const [entry] = this.#waiting.splice(best, 1);
      entry?.start();
    }
  }
}

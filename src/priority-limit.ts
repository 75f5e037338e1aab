/**
 * Runs at most `concurrency` tasks at once; when a place frees, the waiting task with the highest priority
 * goes next (ties in arrival order). The scan gives the biggest packages to the analysis threads first, so a
 * large package downloaded late does not run alone at the end while the other threads sit idle.
 *
 * A task marked heavy does not start while another heavy one runs: the biggest packages (next, storybook)
 * each take hundreds of megabytes to analyse, and the biggest-first order otherwise starts them together.
 * A place left free by a waiting heavy task goes to the biggest light one.
 */
export class PriorityLimit {
  readonly #concurrency: number;
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

  #next(): void {
    while (this.#active < this.#concurrency) {
      let best = -1;
      for (let index = 0; index < this.#waiting.length; index++) {
        const candidate = this.#waiting[index];
        if (!candidate || (candidate.heavy && this.#heavyActive > 0)) continue;
        const chosen = this.#waiting[best];
        if (!chosen || candidate.priority > chosen.priority) best = index;
      }
      if (best < 0) return;
      const [entry] = this.#waiting.splice(best, 1);
      entry?.start();
    }
  }
}

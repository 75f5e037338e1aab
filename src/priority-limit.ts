/**
 * Runs at most `concurrency` tasks at once; when a place frees, the waiting task with the highest priority
 * goes next (ties in arrival order). The scan gives the biggest packages to the analysis threads first, so a
 * large package downloaded late does not run alone at the end while the other threads sit idle.
 */
export class PriorityLimit {
  readonly #concurrency: number;
  #active = 0;
  #arrivals = 0;
  readonly #waiting: Array<{ priority: number; arrival: number; start: () => void }> = [];

  constructor(concurrency: number) {
    this.#concurrency = Math.max(1, Math.floor(concurrency));
  }

  run<T>(priority: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.#active++;
        // Through a promise, so a task that throws before returning one still frees its place.
        Promise.resolve()
          .then(task)
          .then(resolve, reject)
          .finally(() => {
            this.#active--;
            this.#next();
          });
      };
      this.#waiting.push({ priority, arrival: this.#arrivals++, start });
      this.#next();
    });
  }

  get active(): number {
    return this.#active;
  }

  #next(): void {
    while (this.#active < this.#concurrency && this.#waiting.length > 0) {
      let best = 0;
      for (let index = 1; index < this.#waiting.length; index++) {
        const candidate = this.#waiting[index];
        const chosen = this.#waiting[best];
        if (candidate && chosen && candidate.priority > chosen.priority) best = index;
      }
      const [entry] = this.#waiting.splice(best, 1);
      entry?.start();
    }
  }
}

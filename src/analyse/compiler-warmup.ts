import { setFlagsFromString } from 'node:v8';
import { v8FlagsTuned } from '../v8-flags.js';

/**
 * How V8 compiles the analyser while a scan's analysis warms up.
 *
 * Each analysis thread starts with cold code, and V8's optimising compiler (TurboFan) compiles the hot
 * functions early, from type feedback that is still incomplete: many are thrown away at the next shape of
 * node and compiled again, on helper threads that compete with the analysis for the cores. V8's efficiency
 * mode (meant for background tabs) waits until a function has been called 15,000 times before TurboFan
 * compiles it, and Maglev (V8's quicker mid-tier compiler) runs it meanwhile.
 *
 * It costs where the analysis runs long: a function called once per file never reaches that count, so the
 * loops that walk a whole file stay in Maglev's slower code (typescript alone, 9 MB in one file: 7.0 →
 * 7.9 s; a 1,359-package audit 83 → 89 s). So it is on only while the analysis warms up: from the first
 * package analysed until `warmBytes` of tarballs have been, or until a package of `bigBytes` or more starts
 * (typescript is 8.3 MB with the release before it; the biggest files come in the biggest packages).
 *
 * V8's flags are the process's: every thread's compiler reads them at its next decision, so the scan's main
 * thread turns the mode on and off for every worker. Efficiency mode would also keep the garbage collector
 * off its helper threads; that part is left out (it moved the collector's work onto the analysis threads).
 */
export class CompilerWarmup {
  readonly #limits: WarmupLimits;
  readonly #setFlags: (flags: string) => void;
  #analysed = 0;
  #state: 'cold' | 'on' | 'done';

  constructor(limits: WarmupLimits = WARMUP_LIMITS, setFlags: (flags: string) => void = setFlagsFromString) {
    this.#limits = limits;
    this.#setFlags = setFlags;
    this.#state = 'cold';
  }

  /** The scan's warm-up: off when $OCELLUS_EFFICIENCY_MODE is 0, and on Node.js lines it was not measured on. */
  static forScan(env: NodeJS.ProcessEnv = {}, nodeVersion = process.versions.node): CompilerWarmup {
    const warmup = new CompilerWarmup();
    if (env.OCELLUS_EFFICIENCY_MODE?.trim() === '0' || !v8FlagsTuned(nodeVersion)) warmup.#state = 'done';
    return warmup;
  }

  /** Whether efficiency mode is on now. */
  get on(): boolean {
    return this.#state === 'on';
  }

  /**
   * A package of `bytes` (its tarballs, with the previous release's) starts its analysis. The first one turns
   * efficiency mode on (not before: a warm scan analyses nothing, and its main thread's code is left alone).
   */
  starting(bytes: number): void {
    if (bytes >= this.#limits.bigBytes) this.stop();
    else if (this.#state === 'cold') {
      this.#setFlags('--no-single-threaded-gc-in-background');
      this.#setFlags('--efficiency-mode');
      this.#state = 'on';
    }
  }

  /** A package of `bytes` has been analysed (or has failed to be). */
  finished(bytes: number): void {
    this.#analysed += bytes;
    if (this.#analysed >= this.#limits.warmBytes) this.stop();
  }

  /** Back to V8's usual tiering for good; the scan calls it when it ends, whatever happened. */
  stop(): void {
    if (this.#state === 'on') {
      this.#setFlags('--no-efficiency-mode');
      this.#setFlags('--single-threaded-gc-in-background');
    }
    this.#state = 'done';
  }
}

export interface WarmupLimits {
  /** Compressed tarball bytes analysed after which V8 tiers up as usual. */
  warmBytes: number;
  /** A package this big (its tarballs with the previous release's) ends the warm-up before it starts. */
  bigBytes: number;
}

const MB = 1024 * 1024;
export const WARMUP_LIMITS: WarmupLimits = { warmBytes: 64 * MB, bigBytes: 8 * MB };

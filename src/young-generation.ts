import { setFlagsFromString } from 'node:v8';
import { v8FlagsTuned } from './v8-flags.js';

/**
 * V8 allocates new objects in a young generation that it grows (to tens of megabytes per half) while much of
 * what it holds survives. A scan's main thread makes mostly short-lived garbage: registry responses, npm cache
 * records, lockfile nodes. Grown, the young generation held about 130 MB of it at the peak of a 1,359-package
 * audit (warm peak 590 → 320 MB with the growth stopped, same time).
 *
 * The growth factor is read whenever V8 considers growing, so it can be set while running; the minimum applies
 * to heaps created afterwards (the analysis workers), which start at the size they are capped at: parsing keeps
 * big trees alive, and a small young generation would promote them early.
 */
const NO_GROWTH = '--semi-space-growth-factor=1';
const V8_DEFAULT_GROWTH = '--semi-space-growth-factor=2';
/** The workers' cap (AnalysisPool: a 48 MB young generation is three 16 MB semi-spaces). */
const WORKERS_START_AT_CAP = '--min-semi-space-size=16';

/** Whether this process asked for a small young generation (the CLI does; a library caller may not). */
let keptSmall = false;

export function keepYoungGenerationSmall(): void {
  // Elsewhere Ocellus scans the same with more memory.
  if (!v8FlagsTuned()) return;
  setFlagsFromString(NO_GROWTH);
  setFlagsFromString(WORKERS_START_AT_CAP);
  keptSmall = true;
}

/**
 * Parsing on the main thread (a tree too small for worker threads) wants the young generation V8 would grow:
 * kept small, a cold scan of typescript alone took 12% longer. Returns how to make it small again; does nothing
 * in a process that never asked for it small.
 */
export function growYoungGenerationWhileParsing(): () => void {
  if (!keptSmall) return () => {};
  setFlagsFromString(V8_DEFAULT_GROWTH);
  return () => setFlagsFromString(NO_GROWTH);
}

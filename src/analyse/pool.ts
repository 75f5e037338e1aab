import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { errorMessage } from '../errors.js';
import type { TarballOutcome, TarballTask } from './tarball-analysis.js';

const WORKER = new URL('./worker.js', import.meta.url);
/** Heap per worker: a hostile file that would need more ends that package's analysis, not the scan. */
const WORKER_HEAP_MB = 1536;
const YOUNG_GENERATION_MB = 48;
/**
 * Below this a worker may run out of memory while it starts, and V8 then ends the whole process instead of the
 * worker (measured: 8 and 16 MB crashed the scan about one run in ten).
 */
const MIN_WORKER_HEAP_MB = 32;
/** The smallest tree analysed on worker threads (unless $OCELLUS_WORKERS says otherwise). */
export const POOL_MIN_PACKAGES = 16;

/**
 * Unpacking and code analysis on worker threads, so parsing uses every core and the main thread only fetches
 * and holds compressed tarballs. Started on the first task (a warm scan served from the cache never pays for it).
 */
export class AnalysisPool {
  readonly #threads: number;
  readonly #heapMb: number;
  #pool: Piscina | undefined;
  /** How to fail each task in flight, should the pool report a worker that died outside a task. */
  readonly #waiting = new Set<(error: unknown) => void>();

  get threads(): number {
    return this.#threads;
  }

  constructor(threads: number, heapMb = WORKER_HEAP_MB) {
    this.#threads = threads;
    this.#heapMb = heapMb;
  }

  /**
   * A pool when it can pay for itself: more than one core, a tree big enough to keep threads busy, and a
   * built worker module (tests that run the TypeScript sources analyse in-process). $OCELLUS_WORKERS sets the
   * thread count outright (0: analyse in-process); $OCELLUS_WORKER_HEAP_MB the heap each worker may use.
   */
  static forTree(packages: number, env: NodeJS.ProcessEnv = {}): AnalysisPool | undefined {
    if (!existsSync(fileURLToPath(WORKER))) return undefined;
    const heapMb = Math.max(MIN_WORKER_HEAP_MB, positive(env.OCELLUS_WORKER_HEAP_MB) ?? WORKER_HEAP_MB);
    const forced = env.OCELLUS_WORKERS?.trim();
    if (forced !== undefined && forced !== '') {
      const threads = Number(forced);
      return Number.isInteger(threads) && threads > 0 ? new AnalysisPool(threads, heapMb) : undefined;
    }
    const threads = Math.min(availableParallelism(), 8);
    return threads >= 2 && packages >= POOL_MIN_PACKAGES ? new AnalysisPool(threads, heapMb) : undefined;
  }

  async run(task: TarballTask): Promise<TarballOutcome> {
    const pool = this.#start();
    let fail: ((error: unknown) => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      fail = reject;
    });
    if (fail) this.#waiting.add(fail);
    try {
      return (await Promise.race([
        pool.run(task, { transferList: movableTarballs(task) }),
        stopped,
      ])) as TarballOutcome;
    } catch (error) {
      // A worker that died (out of memory on a hostile file) leaves this package unanalysed, never passed.
      return { ok: false, code: 'ECHECK', reason: `the analysis stopped: ${errorMessage(error)}` };
    } finally {
      if (fail) this.#waiting.delete(fail);
    }
  }

  #start(): Piscina {
    if (this.#pool) return this.#pool;
    const pool = new Piscina({
      filename: WORKER.href,
      minThreads: 0,
      maxThreads: this.#threads,
      // Threads live until the scan closes the pool: a restarted thread loses its compiled code.
      idleTimeout: Number.POSITIVE_INFINITY,
      // A small young generation: V8 otherwise grows it to 128 MB while parsing a big bundle, and the garbage of
      // one file's tree outlives the next file's parse (measured: typescript's facts 486 -> ~380 MB).
      resourceLimits: { maxOldGenerationSizeMb: this.#heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // A worker that dies outside a task (while starting) is reported by the pool, and the tasks waiting for it
    // would never settle: they fail instead. Without a listener the event would end the whole process.
    pool.on('error', (error: unknown) => {
      for (const fail of this.#waiting) fail(error);
    });
    this.#pool = pool;
    return pool;
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
  }
}

/** Below this a tarball is copied to the worker: a small Buffer may share its memory with other Buffers. */
const MIN_MOVED_BYTES = 64 * 1024;

/**
 * The tarballs' memory, handed to the worker instead of copied: posting a task copied each tarball into a
 * serialisation buffer and again into the worker, while the scan's own copy stayed alive until the analysis
 * ended (next@15 and its previous release: 63 MB three times). Only a Buffer that is the whole of its memory
 * is moved; the scan never reads a tarball once it is handed over (it is left empty, as the worker leaves its
 * own copy once unpacked).
 */
export function movableTarballs(task: TarballTask): ArrayBuffer[] {
  const moved: ArrayBuffer[] = [];
  for (const tarball of [task.tarball, task.previous?.tarball]) {
    if (!tarball || tarball.byteLength < MIN_MOVED_BYTES) continue;
    const memory = tarball.buffer;
    if (
      !(memory instanceof ArrayBuffer) ||
      tarball.byteOffset !== 0 ||
      tarball.byteLength !== memory.byteLength
    )
      continue;
    if (!moved.includes(memory)) moved.push(memory);
  }
  return moved;
}

function positive(value: string | undefined): number | undefined {
  const number = Number(value);
  return value && Number.isFinite(number) && number > 0 ? number : undefined;
}

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEADER = 'ocellus-cache sha256=';
/** A temporary file this old was left by a run that died mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries that failed their checksum or shape check: recomputed and replaced, never trusted. */
  corrupt: number;
  evicted: number;
}

/**
 * JSON entries in a folder, one file per key. Safe to share between concurrent runs: entries are written to a
 * temporary file and renamed into place, so a reader sees a whole entry or none. Each entry carries a SHA-256 of
 * its body; one that fails it, or does not have the shape `isValid` expects, is a miss and is removed. Bounded:
 * `prune` removes the least recently used entries once the folder is over `maxBytes`.
 */
export class EntryStore<T> {
  readonly dir: string;
  readonly #maxBytes: number;
  readonly #isValid: (value: unknown) => value is T;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };

  constructor(dir: string, maxBytes: number, isValid: (value: unknown) => value is T) {
    this.dir = dir;
    this.#maxBytes = maxBytes;
    this.#isValid = isValid;
  }

  async get(key: string): Promise<T | undefined> {
    const path = this.#path(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const value = decodeEntry(text, this.#isValid);
    if (value === undefined) {
      this.stats.corrupt++;
      this.stats.misses++;
      await rm(path, { force: true }).catch(() => {});
      return undefined;
    }
    this.stats.hits++;
    // The modification time records use, for eviction.
    const now = new Date();
    await utimes(path, now, now).catch(() => {});
    return value;
  }

  /** Stores a value. A failure to write (full disk, read-only folder) costs speed, never correctness. */
  async put(key: string, value: T): Promise<void> {
    const path = this.#path(key);
    const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true, mode: 0o700 });
      await writeFile(temp, encodeEntry(value), { flag: 'wx', mode: 0o600 });
      await rename(temp, path);
      this.stats.writes++;
    } catch {
      await rm(temp, { force: true }).catch(() => {});
    }
  }

  /** Removes the least recently used entries once the folder is over its bound, down to 80% of it. */
  async prune(): Promise<void> {
    const entries: Array<{ path: string; size: number; used: number }> = [];
    let total = 0;
    let shards: string[];
    try {
      shards = await readdir(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const shard of shards) {
      let names: string[];
      try {
        names = await readdir(join(this.dir, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(this.dir, shard, name);
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) continue;
        if (name.endsWith('.tmp')) {
          if (now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true }).catch(() => {});
          continue;
        }
        entries.push({ path, size: info.size, used: info.mtimeMs });
        total += info.size;
      }
    }
    if (total <= this.#maxBytes) return;
    entries.sort((a, b) => a.used - b.used);
    for (const entry of entries) {
      if (total <= this.#maxBytes * 0.8) break;
      await rm(entry.path, { force: true }).catch(() => {});
      total -= entry.size;
      this.stats.evicted++;
    }
  }

  #path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

export function encodeEntry(value: unknown): string {
  const body = JSON.stringify(value);
  return `${HEADER}${sha256(body)}\n${body}`;
}

/** The value in an entry, or undefined when the entry is damaged in any way. */
export function decodeEntry<T>(text: string, isValid: (value: unknown) => value is T): T | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0 || !text.startsWith(HEADER)) return undefined;
  const body = text.slice(newline + 1);
  if (text.slice(HEADER.length, newline) !== sha256(body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  return isValid(value) ? value : undefined;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A JSON object (not null, not an array): what entry validators check before reading fields. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

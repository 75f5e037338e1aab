import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodeAnalysis } from '../analyse/code-analysis.js';
import { SEVERITIES } from '../severity.js';

/** Bumped when the entry format changes; the analyser fingerprint covers changes in what is computed. */
const FORMAT = 'analysis-v1';
const HEADER = 'ocellus-analysis sha256=';
/** A temporary file this old was left by a run that died mid-write. */
const STALE_TEMP_MS = 60 * 60 * 1000;
export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 * 1024;

export interface AnalysisKeyParts {
  /** Integrity of the analysed tarball. */
  integrity: string;
  /** Integrity of the previous release's tarball when the analysis includes the version diff; null without it. */
  previousIntegrity: string | null;
  /** Ids of the checks run. */
  checks: readonly string[];
  /** Anything else the analysis depends on (read limits). */
  settings: unknown;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Entries that failed their checksum or shape check: recomputed and replaced, never trusted. */
  corrupt: number;
  evicted: number;
}

/**
 * Code analyses on disk, keyed by what they depend on: the analyser's own code (its fingerprint), the tarball's
 * integrity, the previous release's integrity and the settings. A package version's bytes never change, so a
 * re-scan of a known version reads its analysis instead of fetching and parsing it again.
 *
 * Safe to share between concurrent runs: entries are written to a temporary file and renamed into place, so a
 * reader sees a whole entry or none. Each entry carries a SHA-256 of its body; one that fails it, or does not
 * have the shape of an analysis, is a miss (and is replaced). Bounded: when a run has written entries and the
 * folder is over `maxBytes`, the least recently used entries are removed.
 */
export class AnalysisCache {
  readonly dir: string;
  readonly #fingerprint: string;
  readonly #maxBytes: number;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0, corrupt: 0, evicted: 0 };

  constructor(dir: string, fingerprint: string, maxBytes = DEFAULT_CACHE_MAX_BYTES) {
    this.dir = join(dir, FORMAT);
    this.#fingerprint = fingerprint;
    this.#maxBytes = maxBytes;
  }

  key(parts: AnalysisKeyParts): string {
    return createHash('sha256')
      .update(
        JSON.stringify([
          this.#fingerprint,
          parts.integrity,
          parts.previousIntegrity,
          parts.checks,
          parts.settings,
        ]),
      )
      .digest('hex');
  }

  async get(key: string): Promise<CodeAnalysis | undefined> {
    const path = this.#path(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const analysis = decodeEntry(text);
    if (!analysis) {
      this.stats.corrupt++;
      this.stats.misses++;
      await rm(path, { force: true }).catch(() => {});
      return undefined;
    }
    this.stats.hits++;
    // The modification time records use, for eviction.
    const now = new Date();
    await utimes(path, now, now).catch(() => {});
    return analysis;
  }

  /** Stores an analysis. A failure to write (full disk, read-only folder) costs speed, never correctness. */
  async put(key: string, analysis: CodeAnalysis): Promise<void> {
    const path = this.#path(key);
    const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      await writeFile(temp, encodeEntry(analysis), { flag: 'wx' });
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

export function encodeEntry(analysis: CodeAnalysis): string {
  const body = JSON.stringify(analysis);
  return `${HEADER}${sha256(body)}\n${body}`;
}

/** The analysis in an entry, or undefined when the entry is damaged in any way. */
export function decodeEntry(text: string): CodeAnalysis | undefined {
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
  return isCodeAnalysis(value) ? value : undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const SEVERITY_NAMES = new Set<unknown>(SEVERITIES);

/** The shape the report stage relies on; a checksum catches damage, this catches an entry from elsewhere. */
function isCodeAnalysis(value: unknown): value is CodeAnalysis {
  if (!isObject(value)) return false;
  if (typeof value.version !== 'string') return false;
  if (value.manifestText !== null && typeof value.manifestText !== 'string') return false;
  if (value.previousVersion !== undefined && typeof value.previousVersion !== 'string') return false;
  if (!isStringArray(value.presentFiles) || !isStringArray(value.addedDependencies)) return false;
  if (!isStringArray(value.capabilities) || !isStringArray(value.failures)) return false;
  if (!Array.isArray(value.tools) || !value.tools.every(isObject)) return false;
  return (
    Array.isArray(value.findings) &&
    value.findings.every(
      (finding) =>
        isObject(finding) &&
        typeof finding.checkId === 'string' &&
        SEVERITY_NAMES.has(finding.severity) &&
        typeof finding.title === 'string' &&
        typeof finding.message === 'string',
    )
  );
}

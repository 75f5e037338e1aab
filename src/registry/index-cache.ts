import { join } from 'node:path';
import type { Packument } from 'pacote';
import { EntryStore, isRecord, sha256 } from '../cache/entry-store.js';
import type { DocumentValidators } from './document-client.js';
import type { PackumentIndex, ReleaseRecord } from './packument.js';

const FORMAT = 'packuments-v1';
/** Reduced documents are small (a few KB to a few hundred for packages with thousands of versions). */
const MAX_BYTES = 128 * 1024 * 1024;

interface StoredIndex extends Omit<PackumentIndex, 'releases'> {
  releases: ReleaseRecord[];
  /** When it was read from the registry (ms since the epoch). */
  storedAt: number;
  /** A digest of the registry document it was reduced from (`sha256-…`). */
  digest?: string;
  /** The registry's validators for that document, sent back on the next run so an unchanged one is a 304. */
  validators?: DocumentValidators;
  /** What a package scan's resolution reads of the same document (installView), when one resolved from it. */
  install?: Packument;
}

/** A stored index, with when it was read from the registry and what identifies the document it came from. */
export interface StoredPackumentIndex {
  index: PackumentIndex;
  storedAt: number;
  digest?: string;
  validators?: DocumentValidators;
  install?: Packument;
}

/** What identifies the document an index was reduced from, and what else was kept of it. */
export interface StoredWith {
  digest?: string | undefined;
  validators?: DocumentValidators | undefined;
  install?: Packument | undefined;
}

/** Older than this, a stored document is not used even offline-first: deprecations and takeovers move on. */
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Registry documents reduced to what the scan reads (PackumentIndex), on disk. Written when new bytes were read,
 * and once a day for an entry the registry keeps confirming (to renew its age). Online,
 * an entry is what the registry is asked to confirm (its validators, else its digest against the new bytes);
 * with --prefer-offline it is used without asking: a 1,500-package audit then reads 1,500 small entries instead
 * of re-reading and parsing hundreds of megabytes of full documents.
 * Keyed by the analyser fingerprint (the reduction is code too), the registry URL and the name.
 */
export class PackumentIndexCache {
  readonly #store: EntryStore<StoredIndex>;
  readonly #fingerprint: string;

  constructor(dir: string, fingerprint: string) {
    this.#store = new EntryStore(join(dir, FORMAT), MAX_BYTES, isStoredIndex);
    this.#fingerprint = fingerprint;
  }

  get stats() {
    return this.#store.stats;
  }

  async get(registry: string, name: string): Promise<StoredPackumentIndex | undefined> {
    const stored = await this.#store.get(this.#key(registry, name));
    if (!stored || stored.name !== name || !(Date.now() - stored.storedAt < MAX_AGE_MS)) return undefined;
    const { storedAt, digest, validators, install, ...index } = stored;
    return {
      index: { ...index, releases: new Map(stored.releases.map((release) => [release.version, release])) },
      storedAt,
      ...(digest ? { digest } : {}),
      ...(validators ? { validators } : {}),
      ...(install ? { install } : {}),
    };
  }

  async put(
    registry: string,
    index: PackumentIndex,
    { digest, validators, install }: StoredWith = {},
  ): Promise<void> {
    await this.#store.put(this.#key(registry, index.name), {
      ...index,
      releases: [...index.releases.values()],
      storedAt: Date.now(),
      ...(digest ? { digest } : {}),
      ...(validators ? { validators } : {}),
      ...(install ? { install } : {}),
    });
  }

  prune(): Promise<void> {
    return this.#store.prune();
  }

  #key(registry: string, name: string): string {
    return sha256(JSON.stringify([this.#fingerprint, registry, name]));
  }
}

function isStoredIndex(value: unknown): value is StoredIndex {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    typeof value.storedAt === 'number' &&
    (value.digest === undefined || typeof value.digest === 'string') &&
    (value.validators === undefined || isValidators(value.validators)) &&
    (value.install === undefined || (isRecord(value.install) && isRecord(value.install.versions))) &&
    typeof value.timesTrusted === 'boolean' &&
    Array.isArray(value.unpublished) &&
    (value.whole === undefined || Array.isArray(value.whole)) &&
    isRecord(value.distTags) &&
    Array.isArray(value.releases) &&
    value.releases.every(
      (release) =>
        isRecord(release) &&
        typeof release.version === 'string' &&
        Array.isArray(release.maintainers) &&
        typeof release.provenance === 'boolean' &&
        isRecord(release.manifest),
    )
  );
}

function isValidators(value: unknown): value is DocumentValidators {
  return (
    isRecord(value) &&
    (value.etag === undefined || typeof value.etag === 'string') &&
    (value.lastModified === undefined || typeof value.lastModified === 'string')
  );
}

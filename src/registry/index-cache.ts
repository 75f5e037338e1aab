import { join } from 'node:path';
import type { Packument } from 'pacote';
import { EntryStore, isRecord, sha256 } from '../cache/entry-store.js';
import type { DocumentValidators } from './document-client.js';
import type { PackumentIndex, ReleaseRecord } from './packument.js';

const FORMAT = 'packuments-v1';
/** Reduced documents are small (a few KB to a few hundred for packages with thousands of versions). */
const MAX_BYTES = 128 * 1024 * 1024;
/**
 * Install views are bigger (every version's dependencies: 126 MB for 2,877 real documents, against 28 MB of
 * indexes), so they are a store of their own: they never push the indexes out, and an audit never reads them.
 */
const INSTALL_FORMAT = 'install-views-v1';
const INSTALL_MAX_BYTES = 384 * 1024 * 1024;

interface StoredIndex extends Omit<PackumentIndex, 'releases'> {
  releases: ReleaseRecord[];
  /** When it was read from the registry (ms since the epoch). */
  storedAt: number;
  /** A digest of the registry document it was reduced from (`sha256-…`). */
  digest?: string;
  /** The registry's validators for that document, sent back on the next run so an unchanged one is a 304. */
  validators?: DocumentValidators;
}

/** What a package scan's resolution read of a document (installView), and what identifies those bytes. */
interface StoredInstall {
  name: string;
  digest?: string;
  validators?: DocumentValidators;
  install: Packument;
}

/** A stored index, with when it was read from the registry and what identifies the document it came from. */
export interface StoredPackumentIndex {
  index: PackumentIndex;
  storedAt: number;
  digest?: string;
  validators?: DocumentValidators;
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
  readonly #installs: EntryStore<StoredInstall>;
  readonly #fingerprint: string;

  constructor(dir: string, fingerprint: string) {
    this.#store = new EntryStore(join(dir, FORMAT), MAX_BYTES, isStoredIndex);
    this.#installs = new EntryStore(join(dir, INSTALL_FORMAT), INSTALL_MAX_BYTES, isStoredInstall);
    this.#fingerprint = fingerprint;
  }

  get stats() {
    return this.#store.stats;
  }

  async get(registry: string, name: string): Promise<StoredPackumentIndex | undefined> {
    const stored = await this.#store.get(this.#key(registry, name));
    if (!stored || stored.name !== name || !(Date.now() - stored.storedAt < MAX_AGE_MS)) return undefined;
    const { storedAt, digest, validators, ...index } = stored;
    return {
      index: { ...index, releases: new Map(stored.releases.map((release) => [release.version, release])) },
      storedAt,
      ...(digest ? { digest } : {}),
      ...(validators ? { validators } : {}),
    };
  }

  /**
   * The install view stored with `of`, when it was read from the same bytes (the same digest and validators):
   * an audit that stored a newer index since leaves the older view unused, never paired with the wrong index.
   */
  async getInstall(registry: string, of: StoredPackumentIndex): Promise<Packument | undefined> {
    const stored = await this.#installs.get(this.#key(registry, of.index.name));
    if (!stored || stored.name !== of.index.name || stored.digest !== of.digest) return undefined;
    return JSON.stringify(stored.validators) === JSON.stringify(of.validators) ? stored.install : undefined;
  }

  async put(
    registry: string,
    index: PackumentIndex,
    { digest, validators, install }: StoredWith = {},
  ): Promise<void> {
    const key = this.#key(registry, index.name);
    const identity = { ...(digest ? { digest } : {}), ...(validators ? { validators } : {}) };
    await this.#store.put(key, {
      ...index,
      releases: [...index.releases.values()],
      storedAt: Date.now(),
      ...identity,
    });
    if (install) await this.#installs.put(key, { name: index.name, ...identity, install });
  }

  async prune(): Promise<void> {
    await this.#store.prune();
    await this.#installs.prune();
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

function isStoredInstall(value: unknown): value is StoredInstall {
  return (
    isRecord(value) &&
    typeof value.name === 'string' &&
    (value.digest === undefined || typeof value.digest === 'string') &&
    (value.validators === undefined || isValidators(value.validators)) &&
    isRecord(value.install) &&
    isRecord(value.install.versions)
  );
}

function isValidators(value: unknown): value is DocumentValidators {
  return (
    isRecord(value) &&
    (value.etag === undefined || typeof value.etag === 'string') &&
    (value.lastModified === undefined || typeof value.lastModified === 'string')
  );
}

import { posix } from 'node:path';
import npa from 'npm-package-arg';
import { pickRegistry } from 'npm-registry-fetch';
import type { Packument } from 'pacote';
import semver from 'semver';
import { errorMessage, npmErrorCode } from '../errors.js';
import type { NpmOptions } from '../npm-config.js';
import { DocumentClient, type DocumentValidators } from './document-client.js';
import type { PackumentIndexCache, StoredPackumentIndex } from './index-cache.js';
import { installView } from './install-view.js';
import { previousRelease } from './releases.js';

/** The parts of one published version's registry manifest the checks compare with the tarball. */
export interface RegistryManifest {
  /** Absent when the registry's copy has no such field at all (a trimmed mirror): unknown, not empty. */
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  repository?: string;
  description?: string;
}

/** One published version, as the registry describes it. Every field may be missing on a trimmed mirror. */
export interface ReleaseRecord {
  version: string;
  /** ISO time of publication, when the registry says. */
  published?: string;
  /** The account that published this version (`_npmUser`). */
  publisher?: string;
  maintainers: string[];
  /** The registry holds a provenance attestation for this version. */
  provenance: boolean;
  deprecated?: string;
  integrity?: string;
  tarball?: string;
  manifest: RegistryManifest;
}

/** A packument reduced to what the scan uses, so the (sometimes many-megabyte) document can be dropped. */
export interface PackumentIndex {
  name: string;
  created?: string;
  releases: Map<string, ReleaseRecord>;
  /** Versions the time map lists that are no longer served: unpublished. */
  unpublished: string[];
  latest?: string;
  distTags: Record<string, string>;
  /**
   * Whether publish times can be believed. Some mirrors stamp versions with their own ingest times, so that
   * later versions look older than earlier ones about half the time; the real registry does that only for
   * backports.
   */
  timesTrusted: boolean;
  /**
   * Set when the index was slimmed (`slimIndex`): only these versions have whole records; every other release
   * keeps its version and publish time (all that finding a previous release needs) and nothing else.
   */
  whole?: string[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value) ?? {})) {
    if (typeof entry === 'string') result[key] = entry;
  }
  return result;
}

function personName(value: unknown): string | undefined {
  if (typeof value === 'string') return value.replace(/\s*<.*$/, '').trim() || undefined;
  return asString(asObject(value)?.name);
}

/** `bin` as npm links it: a string means one command named after the package. */
export function normalizeBin(bin: unknown, packageName: string): Record<string, string> {
  // npm cleans bin paths (`./cli.js`, `bin//x.js`) when it publishes.
  const strip = (path: string) => posix.normalize(path).replace(/^(?:\.\/)+/, '');
  if (typeof bin === 'string') return { [packageName.replace(/^@[^/]+\//, '')]: strip(bin) };
  const result: Record<string, string> = {};
  for (const [key, path] of Object.entries(stringMap(bin))) result[key] = strip(path);
  return result;
}

export function repositoryUrl(repository: unknown): string | undefined {
  return asString(repository) ?? asString(asObject(repository)?.url);
}

export function registryManifest(manifest: Json, packageName: string): RegistryManifest {
  const repository = repositoryUrl(manifest.repository);
  const description = asString(manifest.description);
  // A full document (it has `_id`) without scripts has none; an abbreviated one never carries them: unknown.
  const full = typeof manifest._id === 'string';
  const has = (key: string) => manifest[key] !== undefined || (full && key !== 'bin');
  return {
    ...(has('scripts') ? { scripts: stringMap(manifest.scripts) } : {}),
    ...(has('dependencies') || has('optionalDependencies')
      ? { dependencies: { ...stringMap(manifest.optionalDependencies), ...stringMap(manifest.dependencies) } }
      : {}),
    ...(has('bin') ? { bin: normalizeBin(manifest.bin, packageName) } : {}),
    ...(repository ? { repository } : {}),
    ...(description ? { description: description.slice(0, 300) } : {}),
  };
}

/**
 * Pure: a full packument (as the registry sends it) to the index the checks read. With `wanted`, only those
 * versions and the releases they replaced get whole records (see slimIndex), and the rest are never built:
 * documents with thousands of versions made building and then dropping them most of a warm audit's work.
 */
export function indexPackument(packument: unknown, wanted?: ReadonlySet<string>): PackumentIndex {
  const doc = asObject(packument) ?? {};
  const name = asString(doc.name) ?? '';
  const time = asObject(doc.time) ?? {};
  const manifests = new Map<string, Json>();
  const light = new Map<string, ReleaseRecord>();
  for (const [version, raw] of Object.entries(asObject(doc.versions) ?? {})) {
    const manifest = asObject(raw);
    if (!manifest || !semver.valid(version)) continue;
    manifests.set(version, manifest);
    light.set(version, thinRecord(version, asString(time[version])));
  }
  const unpublished = Object.keys(time).filter((key) => semver.valid(key) !== null && !light.has(key));
  const created = asString(time.created);
  const distTags = stringMap(doc['dist-tags']);
  const latest = distTags.latest;
  const base = {
    name,
    ...(created ? { created } : {}),
    unpublished,
    ...(latest ? { latest } : {}),
    distTags,
    timesTrusted: timesAgreeWithVersions(light),
  };
  const whole = wanted ? wholeVersions({ ...base, releases: light }, wanted) : undefined;
  const releases = new Map<string, ReleaseRecord>();
  for (const [version, record] of light) {
    const manifest = manifests.get(version);
    releases.set(
      version,
      manifest && (!whole || whole.has(version)) ? wholeRecord(version, manifest, time, name) : record,
    );
  }
  return { ...base, releases, ...(whole ? { whole: [...whole] } : {}) };
}

function wholeRecord(version: string, manifest: Json, time: Json, name: string): ReleaseRecord {
  const dist = asObject(manifest.dist) ?? {};
  const attestations = asObject(dist.attestations);
  const provenance = asObject(attestations?.provenance);
  const published = asString(time[version]);
  const publisher = personName(manifest._npmUser);
  const deprecated = asString(manifest.deprecated);
  const integrity = asString(dist.integrity);
  const tarball = asString(dist.tarball);
  return {
    version,
    ...(published ? { published } : {}),
    ...(publisher ? { publisher } : {}),
    maintainers: (Array.isArray(manifest.maintainers) ? manifest.maintainers : [])
      .map(personName)
      .filter((maintainer): maintainer is string => Boolean(maintainer)),
    provenance: Boolean(provenance ?? (attestations && asString(attestations.url))),
    ...(deprecated ? { deprecated } : {}),
    ...(integrity ? { integrity } : {}),
    ...(tarball ? { tarball } : {}),
    manifest: registryManifest(manifest, name),
  };
}

/** A release kept only for ordering and ages: its version and publish time. */
function thinRecord(version: string, published: string | undefined): ReleaseRecord {
  return { version, ...(published ? { published } : {}), maintainers: [], provenance: false, manifest: {} };
}

/** The wanted versions the index lists, and the release each replaced. */
function wholeVersions(index: PackumentIndex, wanted: ReadonlySet<string>): Set<string> {
  const whole = new Set<string>();
  for (const version of wanted) {
    if (!index.releases.has(version)) continue;
    whole.add(version);
    const previous = previousRelease(index, version);
    if (previous) whole.add(previous.version);
  }
  return whole;
}

/**
 * Pure: the index with whole records only for `wanted` versions and the releases they replaced. A big tree holds
 * one index per name for the whole scan, and packages with thousands of versions (every nightly of a compiler)
 * made those indexes the largest thing in memory.
 */
export function slimIndex(index: PackumentIndex, wanted: ReadonlySet<string>): PackumentIndex {
  const whole = wholeVersions(index, wanted);
  const releases = new Map<string, ReleaseRecord>();
  for (const [version, release] of index.releases) {
    releases.set(version, whole.has(version) ? release : thinRecord(version, release.published));
  }
  return { ...index, releases, whole: [...whole] };
}

/** Whether an index (possibly slimmed) has whole records for these versions and the releases they replaced. */
export function coversVersions(index: PackumentIndex, wanted: ReadonlySet<string>): boolean {
  // A version the index does not list may be newer than it: the registry has to be asked.
  for (const version of wanted) if (!index.releases.has(version)) return false;
  if (!index.whole) return true;
  const whole = new Set(index.whole);
  for (const version of wanted) {
    if (!whole.has(version)) return false;
    const previous = previousRelease(index, version);
    if (previous && !whole.has(previous.version)) return false;
  }
  return true;
}

function timesAgreeWithVersions(releases: Map<string, ReleaseRecord>): boolean {
  // Each version parsed once: sorting thousands of version strings with semver.compare parsed them again and
  // again.
  const stable = [...releases.values()]
    .filter((release) => release.published)
    .map((release) => ({ parsed: new semver.SemVer(release.version), published: release.published }))
    .filter(({ parsed }) => parsed.prerelease.length === 0)
    .sort((a, b) => a.parsed.compare(b.parsed));
  let pairs = 0;
  let inversions = 0;
  for (let index = 1; index < stable.length; index++) {
    const before = Date.parse(stable[index - 1]?.published ?? '');
    const after = Date.parse(stable[index]?.published ?? '');
    if (Number.isNaN(before) || Number.isNaN(after)) continue;
    pairs++;
    if (after < before) inversions++;
  }
  return pairs < 8 || inversions / pairs <= 0.25;
}

/**
 * A plain registry package name (`pkg`, `@scope/pkg`). Names reach pacote from lockfiles, tarballs and the tree
 * names cache; one that npm-package-arg reads as a git, tarball or path spec (`github:x/y#ref`) would make
 * pacote fetch (and for git, prepare) something else entirely.
 */
export function isRegistryPackageName(name: string): boolean {
  try {
    const parsed = npa(name);
    return parsed.registry === true && parsed.name === name;
  } catch {
    return false;
  }
}

export type PackumentOutcome =
  | { ok: true; index: PackumentIndex }
  | { ok: false; code: string; reason: string };

/** A stored index confirmed by the registry's unchanged bytes is rewritten only this often, to renew its age. */
const REFRESH_STORED_MS = 24 * 60 * 60 * 1000;

/**
 * A document the resolution read, kept until `get` reduces it (new bytes) or uses the stored entry it confirmed:
 * one request per name serves both the resolution and the scan.
 */
type ResolutionRead =
  | {
      kind: 'new';
      document: unknown;
      install: Packument;
      digest: string | undefined;
      validators: DocumentValidators | undefined;
    }
  | {
      kind: 'stored';
      stored: StoredPackumentIndex & { install: Packument };
      /** The registry confirmed it (else it was used offline-first, without asking). */
      confirmed: boolean;
      /** What the registry sent this time, when it sent the same bytes again. */
      validators?: DocumentValidators | undefined;
    };

/** What a registry read leaves to store: the index, the install view when kept, and what identifies the bytes. */
interface Reduced {
  index: PackumentIndex;
  install: Packument | undefined;
  digest: string | undefined;
  validators: DocumentValidators | undefined;
  store: boolean;
}

const failure = (name: string, error: unknown): { ok: false; code: string; reason: string } => ({
  ok: false,
  code: npmErrorCode(error) ?? 'EPACKUMENT',
  reason: `could not fetch the registry document of ${name}: ${errorMessage(error).split('\n')[0]}`,
});

/**
 * Full packuments, fetched once per name per run with npm's configuration (auth, proxy, certificates).
 * The full document is needed: the abbreviated one npm installs from has no publish times or publishers.
 *
 * A package scan also resolves its tree from this store (`installDocument`): the same request gives Arborist
 * the document's install view and the scan its index, and both are stored together, with the registry's
 * validators, so a warm scan's resolution reads neither the full documents nor npm's cache.
 */
export class PackumentStore {
  readonly #npmOptions: NpmOptions;
  readonly #pending = new Map<string, Promise<PackumentOutcome>>();
  readonly #installs = new Map<string, Promise<Packument>>();
  readonly #reads = new Map<string, ResolutionRead>();
  readonly #indexes: PackumentIndexCache | undefined;
  readonly #wanted: ((name: string) => ReadonlySet<string> | undefined) | undefined;
  readonly #client: DocumentClient;
  /** Set once the store served a resolution: install views are then stored beside the indexes. */
  #resolving = false;

  /**
   * `indexes`: reduced documents on disk, written after each fetch, confirmed with the registry on the next run
   * and read without asking when npm's `prefer-offline` (or `offline`) is set.
   * `wanted`: the versions of each name the caller will ask about; the rest are kept thin (`slimIndex`).
   */
  constructor(
    npmOptions: NpmOptions,
    options: {
      indexes?: PackumentIndexCache | undefined;
      wanted?: (name: string) => ReadonlySet<string> | undefined;
      /** MAX_DOCUMENT_BYTES and MAX_DOCUMENTS_IN_FLIGHT_BYTES unless given (tests). */
      maxDocumentBytes?: number;
      maxInFlightBytes?: number;
    } = {},
  ) {
    this.#npmOptions = npmOptions;
    this.#indexes = options.indexes;
    this.#wanted = options.wanted;
    this.#client = new DocumentClient(npmOptions, {
      ...(options.maxDocumentBytes ? { maxDocumentBytes: options.maxDocumentBytes } : {}),
      ...(options.maxInFlightBytes ? { maxInFlightBytes: options.maxInFlightBytes } : {}),
      digests: options.indexes !== undefined,
    });
  }

  get #offlineFirst(): boolean {
    return this.#npmOptions.preferOffline === true || this.#npmOptions.offline === true;
  }

  #registryOf(name: string): string {
    return this.#indexes ? String(pickRegistry(name, this.#npmOptions)) : '';
  }

  get(name: string): Promise<PackumentOutcome> {
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = this.#fetch(name);
      this.#pending.set(name, pending);
    }
    return pending;
  }

  /**
   * The document as the resolution reads it (`installView`), once per name. It rejects with the registry's own
   * error (a 404 names the package), which Arborist reports as it would its own.
   */
  installDocument(name: string): Promise<Packument> {
    this.#resolving = true;
    let pending = this.#installs.get(name);
    if (!pending) {
      pending = this.#readForInstall(name);
      this.#installs.set(name, pending);
      // A failed read is not kept: the next reader (an optional dependency asked for again) asks again.
      pending.catch(() => {
        if (this.#installs.get(name) === pending) this.#installs.delete(name);
      });
    }
    // Arborist writes into the manifests it is given (pacote's normalisation, `_from`, `_resolved`): it gets a
    // copy, so what is stored is the view of the bytes the digest describes and nothing else.
    return pending.then((view) => structuredClone(view));
  }

  /**
   * What the resolution has read so far of `name`, indexed with a whole record for `version` and the release
   * it replaced, or undefined (not read yet, or without that version). No request is made: this is for work
   * started on a version before the resolution ends, which must not change what the scan fetches.
   */
  resolutionIndex(name: string, version: string): PackumentIndex | undefined {
    const read = this.#reads.get(name);
    if (!read) return undefined;
    const wanted = new Set([version]);
    const index = read.kind === 'new' ? indexPackument(read.document, wanted) : read.stored.index;
    return coversVersions(index, wanted) ? index : undefined;
  }

  /** Resolution is over: documents read for names the scan does not ask about are let go. */
  dropResolutionReads(): void {
    this.#reads.clear();
    this.#installs.clear();
  }

  async #readForInstall(name: string): Promise<Packument> {
    if (!isRegistryPackageName(name))
      throw new Error(`${JSON.stringify(name)} is not a registry package name`);
    const registry = this.#registryOf(name);
    const found = await this.#indexes?.get(registry, name);
    const storedView = found ? await this.#indexes?.getInstall(registry, found) : undefined;
    const stored = found && storedView ? { ...found, install: storedView } : undefined;
    if (stored && this.#offlineFirst) {
      this.#reads.set(name, { kind: 'stored', stored, confirmed: false });
      return stored.install;
    }
    const downloaded = await this.#client.download(name, stored?.validators);
    if (downloaded === 'unchanged') {
      if (!stored) throw new Error(`the registry confirmed a copy of ${name} that is not stored`);
      this.#reads.set(name, { kind: 'stored', stored, confirmed: true });
      return stored.install;
    }
    if (stored?.digest && stored.digest === downloaded.digest) {
      this.#reads.set(name, { kind: 'stored', stored, confirmed: true, validators: downloaded.validators });
      return stored.install;
    }
    const document: unknown = JSON.parse(downloaded.body.toString('utf8'));
    const install = installView(document);
    this.#reads.set(name, {
      kind: 'new',
      document,
      install,
      digest: downloaded.digest,
      validators: downloaded.validators,
    });
    return install;
  }

  async #fetch(name: string): Promise<PackumentOutcome> {
    if (!isRegistryPackageName(name)) {
      return {
        ok: false,
        code: 'EPACKUMENT',
        reason: `${JSON.stringify(name)} is not a registry package name`,
      };
    }
    // Taken before any await: the caller drops the resolution's reads right after asking for every name.
    const read = this.#reads.get(name);
    this.#reads.delete(name);
    const wanted = this.#wanted?.(name);
    const registry = this.#registryOf(name);
    let outcome: ({ ok: true } & Reduced) | { ok: false; code: string; reason: string };
    if (read?.kind === 'new') {
      outcome = {
        ok: true,
        index: indexPackument(read.document, wanted),
        install: read.install,
        digest: read.digest,
        validators: read.validators,
        store: true,
      };
    } else {
      const stored = read?.kind === 'stored' ? read.stored : await this.#indexes?.get(registry, name);
      // A stored index that lacks a wanted version (or the release it replaced) is no answer: fetched whole.
      const usable =
        stored && coversVersions(stored.index, wanted ?? new Set(stored.index.releases.keys()))
          ? stored
          : undefined;
      if (usable && read?.kind === 'stored') {
        const validators = read.validators ?? usable.validators;
        outcome = {
          ok: true,
          ...this.#confirmed(usable),
          validators,
          store:
            read.confirmed &&
            (this.#due(usable) || JSON.stringify(validators) !== JSON.stringify(usable.validators)),
        };
      } else if (usable && this.#offlineFirst) {
        return { ok: true, index: usable.index };
      } else {
        outcome = await this.#fromRegistry(name, wanted, usable);
      }
    }
    if (outcome.ok && this.#indexes && outcome.store)
      await this.#indexes.put(registry, outcome.index, {
        digest: outcome.digest,
        validators: outcome.validators,
        install: outcome.install,
      });
    return outcome.ok ? { ok: true, index: outcome.index } : outcome;
  }

  /** Renewed once a day even when unchanged, so its age (which offline use is bounded by) stays current. */
  #due(stored: StoredPackumentIndex): boolean {
    return Date.now() - stored.storedAt > REFRESH_STORED_MS;
  }

  /** A stored entry the registry confirmed, to be kept as it is (its install view too). */
  #confirmed(stored: StoredPackumentIndex & { install?: Packument }): Omit<Reduced, 'store'> {
    return {
      index: stored.index,
      install: stored.install,
      digest: stored.digest,
      validators: stored.validators,
    };
  }

  /**
   * The full document from the registry, reduced to an index. `stored` (an index covering the wanted versions)
   * is used when the registry confirms it: by a 304 to its validators, or, from a registry without validators
   * that sends every document whole again, by the same bytes. Parsing and reducing 1,163 unchanged documents
   * (hundreds of megabytes of JSON) was most of a warm audit's time and memory.
   */
  async #fromRegistry(
    name: string,
    wanted: ReadonlySet<string> | undefined,
    stored: StoredPackumentIndex | undefined,
  ): Promise<({ ok: true } & Reduced) | { ok: false; code: string; reason: string }> {
    try {
      // Only --offline reads npm's cache: documents are not written there, so what it holds may be months old,
      // where a stored reduction is never over a week.
      const downloaded = await this.#client.download(name, stored?.validators);
      if (downloaded === 'unchanged' && stored)
        return { ok: true, ...this.#confirmed(stored), store: this.#due(stored) };
      if (downloaded === 'unchanged')
        throw new Error(`the registry confirmed a copy of ${name} that is not stored`);
      const { body, digest, validators } = downloaded;
      if (stored?.digest && stored.digest === digest)
        return {
          ok: true,
          ...this.#confirmed(stored),
          validators,
          store: this.#due(stored) || JSON.stringify(validators) !== JSON.stringify(stored.validators),
        };
      const document: unknown = JSON.parse(body.toString('utf8'));
      return {
        ok: true,
        index: indexPackument(document, wanted),
        // Kept for the next resolution only by a store that resolved one: an audit's are never read.
        install: this.#resolving ? installView(document) : undefined,
        digest,
        validators,
        store: true,
      };
    } catch (error) {
      return failure(name, error);
    }
  }
}

import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import npa from 'npm-package-arg';
import registryFetch, { pickRegistry } from 'npm-registry-fetch';
import pLimit from 'p-limit';
import pacote, { type Packument } from 'pacote';
import semver from 'semver';
import { errorMessage, npmErrorCode } from '../errors.js';
import { briefRetry } from '../fetch/tarball.js';
import type { NpmOptions } from '../npm-config.js';
import type { PackumentIndexCache, StoredPackumentIndex } from './index-cache.js';
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

/**
 * Arborist's documents as pacote's `packumentCache`, read but never written: pacote stores every document it
 * fetches in that cache, and a plain map kept each full document (megabytes for some names) alive for the
 * whole scan. A 1,359-package audit held every one of its 1,163 documents at once.
 */
function readOnly(documents: Map<string, Packument>): Map<string, Packument> {
  const view = {
    has: (key: string) => documents.has(key),
    get: (key: string) => documents.get(key),
    set: () => view,
    delete: () => false,
  };
  return view as unknown as Map<string, Packument>;
}

/** A stored index confirmed by the registry's unchanged bytes is rewritten only this often, to renew its age. */
const REFRESH_STORED_MS = 24 * 60 * 60 * 1000;

/** What pacote sends with a document request, so registries and proxies see the same client either way. */
function headersOf(npmOptions: NpmOptions): Record<string, string> {
  const extra = npmOptions.headers && typeof npmOptions.headers === 'object' ? npmOptions.headers : {};
  return {
    'user-agent':
      typeof npmOptions.userAgent === 'string' ? npmOptions.userAgent : `ocellus node/${process.version}`,
    ...(extra as Record<string, string>),
    'pacote-req-type': 'packument',
  };
}

/** What a registry sent to identify a document's bytes (a mirror may send neither). */
export interface DocumentValidators {
  etag?: string;
  lastModified?: string;
}

function validatorsOf(headers: { get(name: string): string | null }): DocumentValidators | undefined {
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  return etag || lastModified
    ? { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) }
    : undefined;
}

function conditionalHeaders(validators: DocumentValidators | undefined): Record<string, string> {
  return {
    ...(validators?.etag ? { 'if-none-match': validators.etag } : {}),
    ...(validators?.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
  };
}

/**
 * The most a registry document may weigh. The biggest real ones are tens of megabytes (next: 21 MB, with every
 * version's manifest); a registry or proxy that sends more is not describing a package, and the package is then
 * not analysed.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/**
 * The most all documents being read at once may weigh together (`maxsockets` of them, up to 64): sixteen real
 * documents of the biggest kind stay well under it, while a registry sending the most each document may weigh
 * would otherwise hold 4 GB and more in memory before anything is parsed.
 */
export const MAX_DOCUMENTS_IN_FLIGHT_BYTES = 512 * 1024 * 1024;

/** Bytes of document bodies being read, shared by every download of one store. */
interface InFlight {
  used: number;
  readonly max: number;
}

/**
 * A response body read whole, or an error as soon as it passes `max` bytes. The request is aborted then, which
 * closes the connection: destroying only the body stream left the socket feeding a closed gunzip stream, whose
 * next write threw outside any caller and ended the process.
 */
async function boundedBody(
  body: AsyncIterable<Buffer>,
  max: number,
  inFlight: InFlight,
  abort: () => void,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      inFlight.used += chunk.length;
      if (size > max) {
        abort();
        throw new Error(`the document is over ${max} bytes, more than any registry document should be`);
      }
      if (inFlight.used > inFlight.max) {
        abort();
        throw new Error(
          `the registry documents being read at once are over ${inFlight.max} bytes together, more than real ones weigh`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } finally {
    // Handed on to be parsed (or dropped): no longer counted as being read.
    inFlight.used -= size;
  }
}

/** Identifies a document's bytes. Only equality matters; SHA-256 because it is the fastest here (SHA-NI). */
const digestOf = (body: Buffer) => `sha256-${createHash('sha256').update(body).digest('base64')}`;

export type PackumentOutcome =
  | { ok: true; index: PackumentIndex }
  | { ok: false; code: string; reason: string };

/**
 * Full packuments, fetched once per name per run with npm's configuration (auth, proxy, certificates).
 * The full document is needed: the abbreviated one npm installs from has no publish times or publishers.
 */
export class PackumentStore {
  readonly #npmOptions: NpmOptions;
  readonly #pending = new Map<string, Promise<PackumentOutcome>>();
  readonly #documents: Map<string, Packument> | undefined;
  readonly #indexes: PackumentIndexCache | undefined;
  readonly #wanted: ((name: string) => ReadonlySet<string> | undefined) | undefined;
  /**
   * Document requests in flight: as many as npm opens sockets. Asked all at once, npm's cache read every stale
   * entry while the requests queued for a socket (a 1,359-package audit: 470 → 320 MB peak, same time).
   */
  readonly #requests: ReturnType<typeof pLimit>;
  readonly #maxDocumentBytes: number;
  readonly #inFlight: InFlight;

  /**
   * `documents`: full registry documents already fetched this run (by Arborist), read before the network.
   * `indexes`: reduced documents on disk, written after each fetch and read instead of fetching when npm's
   * `prefer-offline` (or `offline`) is set.
   * `wanted`: the versions of each name the caller will ask about; the rest are kept thin (`slimIndex`).
   */
  constructor(
    npmOptions: NpmOptions,
    options: {
      documents?: Map<string, Packument> | undefined;
      indexes?: PackumentIndexCache | undefined;
      wanted?: (name: string) => ReadonlySet<string> | undefined;
      /** MAX_DOCUMENT_BYTES and MAX_DOCUMENTS_IN_FLIGHT_BYTES unless given (tests). */
      maxDocumentBytes?: number;
      maxInFlightBytes?: number;
    } = {},
  ) {
    this.#npmOptions = npmOptions;
    this.#documents = options.documents;
    this.#indexes = options.indexes;
    this.#wanted = options.wanted;
    this.#maxDocumentBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
    this.#inFlight = { used: 0, max: options.maxInFlightBytes ?? MAX_DOCUMENTS_IN_FLIGHT_BYTES };
    const sockets = Number(npmOptions.maxSockets);
    this.#requests = pLimit(Number.isInteger(sockets) && sockets > 0 ? Math.min(sockets, 64) : 16);
  }

  get(name: string): Promise<PackumentOutcome> {
    let pending = this.#pending.get(name);
    if (!pending) {
      pending = this.#fetch(name);
      this.#pending.set(name, pending);
    }
    return pending;
  }

  async #fetch(name: string): Promise<PackumentOutcome> {
    if (!isRegistryPackageName(name)) {
      return {
        ok: false,
        code: 'EPACKUMENT',
        reason: `${JSON.stringify(name)} is not a registry package name`,
      };
    }
    const wanted = this.#wanted?.(name);
    // Arborist's documents are handed over synchronously (the caller clears them right after asking).
    if (this.#documents?.size) return this.#fromNetwork(name, wanted);
    const registry = this.#indexes ? String(pickRegistry(name, this.#npmOptions)) : '';
    const offlineFirst = this.#npmOptions.preferOffline === true || this.#npmOptions.offline === true;
    const stored = await this.#indexes?.get(registry, name);
    // A stored index that lacks a wanted version (or the release it replaced) is no answer: fetched whole.
    const usable =
      stored && coversVersions(stored.index, wanted ?? new Set(stored.index.releases.keys()))
        ? stored
        : undefined;
    if (usable && offlineFirst) return { ok: true, index: usable.index };
    // Only --offline reads npm's cache: audits no longer write documents there, so what it holds may be months
    // old, where a stored reduction is never over a week.
    const outcome = await this.#fromRegistry(name, wanted, usable, this.#npmOptions.offline !== true);
    if (outcome.ok && this.#indexes && outcome.store)
      await this.#indexes.put(registry, outcome.index, outcome.digest, outcome.validators);
    return outcome.ok ? { ok: true, index: outcome.index } : outcome;
  }

  /**
   * The full document's bytes with their digest and validators, or `unchanged` when the registry confirmed the
   * copy `ask` identifies. Unless --offline (`direct`), npm's cache is neither read nor written: the stored index
   * is this scan's copy, and a registry without validators (some mirrors) had every full document rewritten to
   * npm's cache on every run (a 1,359-package audit: 1.3 s of its 6.5 s warm). --offline reads npm's cache.
   */
  async #download(
    name: string,
    direct: boolean,
    ask: DocumentValidators | undefined,
  ): Promise<'unchanged' | { body: Buffer; digest?: string; validators?: DocumentValidators }> {
    const spec = npa(name);
    const registry = String(pickRegistry(name, this.#npmOptions)).replace(/\/+$/, '');
    const request = new AbortController();
    const conditions = direct ? conditionalHeaders(ask) : {};
    const response = await registryFetch(`${registry}/${spec.escapedName}`, {
      ...this.#npmOptions,
      signal: request.signal,
      ...(direct ? { cache: undefined } : {}),
      headers: { ...headersOf(this.#npmOptions), accept: 'application/json', ...conditions },
      spec,
      retry: briefRetry(this.#npmOptions.retry),
    });
    if (response.status === 304) {
      // A 304 to a request that named no copy would be a body-less answer to take as a document: refused.
      if (Object.keys(conditions).length === 0)
        throw new Error(`the registry answered 304 for ${name} without being asked to`);
      return 'unchanged';
    }
    const body = await boundedBody(
      response.body as unknown as AsyncIterable<Buffer>,
      this.#maxDocumentBytes,
      this.#inFlight,
      () => request.abort(),
    );
    const validators = validatorsOf(response.headers);
    // Only a stored reduction is ever compared with the digest (--no-cache stores none).
    return {
      body,
      ...(this.#indexes ? { digest: digestOf(body) } : {}),
      ...(validators ? { validators } : {}),
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
    direct: boolean,
  ): Promise<
    | {
        ok: true;
        index: PackumentIndex;
        digest: string | undefined;
        validators: DocumentValidators | undefined;
        store: boolean;
      }
    | { ok: false; code: string; reason: string }
  > {
    try {
      // Only the download holds a request place: parsing never delays the next request.
      const downloaded = await this.#requests(() => this.#download(name, direct, stored?.validators));
      const renew = stored ? Date.now() - stored.storedAt > REFRESH_STORED_MS : true;
      if (downloaded === 'unchanged' && stored)
        return {
          ok: true,
          index: stored.index,
          digest: stored.digest,
          validators: stored.validators,
          store: renew,
        };
      if (downloaded === 'unchanged')
        throw new Error(`the registry confirmed a copy of ${name} that is not stored`);
      const { body, digest, validators } = downloaded;
      if (stored?.digest && stored.digest === digest)
        return {
          ok: true,
          index: stored.index,
          digest,
          validators,
          store: renew || JSON.stringify(validators) !== JSON.stringify(stored.validators),
        };
      return {
        ok: true,
        index: indexPackument(JSON.parse(body.toString('utf8')), wanted),
        digest,
        validators,
        store: true,
      };
    } catch (error) {
      return {
        ok: false,
        code: npmErrorCode(error) ?? 'EPACKUMENT',
        reason: `could not fetch the registry document of ${name}: ${errorMessage(error).split('\n')[0]}`,
      };
    }
  }

  async #fromNetwork(name: string, wanted: ReadonlySet<string> | undefined): Promise<PackumentOutcome> {
    try {
      const packument = await pacote.packument(name, {
        ...this.#npmOptions,
        fullMetadata: true,
        ignoreScripts: true,
        ...(this.#documents ? { packumentCache: readOnly(this.#documents) } : {}),
        retry: briefRetry(this.#npmOptions.retry),
      });
      return { ok: true, index: indexPackument(packument, wanted) };
    } catch (error) {
      return {
        ok: false,
        code: npmErrorCode(error) ?? 'EPACKUMENT',
        reason: `could not fetch the registry document of ${name}: ${errorMessage(error).split('\n')[0]}`,
      };
    }
  }
}

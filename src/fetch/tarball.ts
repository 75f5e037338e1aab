import cacache from 'cacache';
import npa from 'npm-package-arg';
import pacote, { type Packument } from 'pacote';
import { errorMessage, npmErrorCode } from '../errors.js';
import { isVerifiable } from '../integrity.js';
import type { PackageNode } from '../model.js';
import type { NpmOptions } from '../npm-config.js';
import type { ReadLimits } from './limits.js';
import { type UnpackOutcome, unpackDownloaded } from './unpack.js';

/**
 * npm waits 10 s, then 60 s between retries, and pacote retries integrity failures with the same backoff.
 * A scanner should answer quickly: keep npm's retry count, shorten the waits.
 */
export function briefRetry(retry: unknown): Record<string, unknown> {
  const base = retry && typeof retry === 'object' ? (retry as Record<string, unknown>) : {};
  const cap = (value: unknown, max: number) => (typeof value === 'number' ? Math.min(value, max) : max);
  return { ...base, minTimeout: cap(base.minTimeout, 500), maxTimeout: cap(base.maxTimeout, 3000) };
}

export type FetchOutcome = UnpackOutcome;

/**
 * Fetches one package's tarball through pacote (and so through npm's cache and configuration), verifies it
 * against the integrity the tree recorded, and unpacks it in memory.
 */
export async function fetchPackage(
  node: PackageNode,
  npmOptions: NpmOptions,
  limits: ReadLimits,
): Promise<FetchOutcome> {
  const downloaded = await downloadTarball(node, npmOptions, limits);
  return downloaded.ok ? unpackDownloaded(downloaded.tarball, limits) : downloaded;
}

export type DownloadOutcome = { ok: true; tarball: Buffer } | { ok: false; code: string; reason: string };

/**
 * Whether a download's bytes may stay in memory, asked as they arrive. A download refused room is still read to
 * the end (so pacote verifies it and leaves it in npm's cache) but not kept: it is read again when needed.
 */
export interface DownloadRoom {
  /** A new attempt starts (pacote retries from the network after a cache miss): what it took is given back. */
  restart(): void;
  /** `bytes` more arrived: whether they may be kept. */
  take(bytes: number): boolean;
}

/** A download under a DownloadRoom: its bytes, or only its size when it was refused room. */
export type RoomedOutcome =
  | { ok: true; tarball: Buffer }
  | { ok: true; tarball: undefined; size: number }
  | { ok: false; code: string; reason: string };

/** What the scan already read of a name's registry document: each release's tarball and integrity. */
export interface ListedReleases {
  name: string;
  distTags: Record<string, string>;
  releases: ReadonlyMap<
    string,
    { version: string; integrity?: string; tarball?: string; published?: string }
  >;
}

/**
 * The registry document pacote asks for before downloading a tarball it does not hold (to find the tarball's
 * URL and integrity, though both are given), answered from what the scan read: without it every cold download
 * cost one more document request, bypassing the scan's bounds and stored copies (next's document is 21 MB).
 * Only keys for this name are answered; pacote fetches anything else itself.
 */
function listedDocument(listed: ListedReleases): Map<string, Packument> {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  for (const release of listed.releases.values()) {
    if (!release.tarball || !release.integrity) continue;
    versions[release.version] = {
      name: listed.name,
      version: release.version,
      dist: { tarball: release.tarball, integrity: release.integrity },
    };
    if (release.published) time[release.version] = release.published;
  }
  const document = { name: listed.name, 'dist-tags': listed.distTags, versions, time };
  const suffix = `/${npa(listed.name).escapedName}`;
  const answers = (key: string) =>
    (key.startsWith('corgi:') || key.startsWith('full:')) && key.endsWith(suffix);
  const view = {
    has: answers,
    get: (key: string) => (answers(key) ? document : undefined),
    set: () => view,
    delete: () => false,
  };
  return view as unknown as Map<string, Packument>;
}

class TarballTooBig extends Error {
  readonly code = 'ETOOBIG';
}

/**
 * The compressed tarball, verified against the recorded integrity and within the size limit. Apart from the
 * unpacking so that many downloads can be in flight while only a few packages are unpacked and parsed.
 */
export async function downloadTarball(
  node: PackageNode,
  npmOptions: NpmOptions,
  limits: ReadLimits,
  listed?: ListedReleases,
): Promise<DownloadOutcome> {
  const outcome = await download(node, npmOptions, limits, { listed });
  // Without a room every byte is kept.
  return outcome.ok && !outcome.tarball
    ? { ok: false, code: 'EFETCH', reason: 'the tarball was not kept' }
    : (outcome as DownloadOutcome);
}

/** downloadTarball, keeping the bytes only while `room` allows. */
export function downloadWithin(
  node: PackageNode,
  npmOptions: NpmOptions,
  limits: ReadLimits,
  room: DownloadRoom,
  listed?: ListedReleases,
): Promise<RoomedOutcome> {
  return download(node, npmOptions, limits, { room, listed });
}

async function download(
  node: PackageNode,
  npmOptions: NpmOptions,
  limits: ReadLimits,
  { room, listed }: { room?: DownloadRoom | undefined; listed?: ListedReleases | undefined } = {},
): Promise<RoomedOutcome> {
  const isLocalFile = node.resolved?.startsWith('file:') ?? false;
  if (!node.integrity && !isLocalFile) {
    return {
      ok: false,
      code: 'ENOINTEGRITY',
      reason: 'the registry gave no integrity hash to verify the tarball',
    };
  }
  // pacote verifies nothing against an integrity it cannot parse (`"integrity": "x"` in a lockfile).
  if (node.integrity && !isVerifiable(node.integrity)) {
    return {
      ok: false,
      code: 'ENOINTEGRITY',
      reason: `the recorded integrity "${node.integrity.slice(0, 40)}" is not a hash the tarball can be verified against`,
    };
  }
  // A registry spec plus the resolved URL, as npm's own reify does: pacote goes straight to the tarball, and
  // npm's rules for registry hosts (auth, allow-remote) apply as for an install.
  const spec = isLocalFile && node.resolved ? node.resolved : `${node.name}@${node.version}`;
  let read: { tarball: Buffer | undefined; size: number };
  try {
    // pacote calls the reader once per attempt (npm's cache, then the network), and verifies the integrity as
    // the bytes pass: a reader that finished without an error has read bytes matching the recorded integrity
    // (a local `file:` tarball has none to match).
    read = await pacote.tarball.stream(spec, (stream) => readTarball(stream, limits, room), {
      ...npmOptions,
      ...(node.resolved && !isLocalFile ? { resolved: node.resolved } : {}),
      ...(node.integrity ? { integrity: node.integrity } : {}),
      ...(listed && !isLocalFile ? { packumentCache: listedDocument(listed) } : {}),
      retry: briefRetry(npmOptions.retry),
      ignoreScripts: true,
    });
  } catch (error) {
    if (error instanceof TarballTooBig) return { ok: false, code: 'ETOOBIG', reason: error.message };
    const code = npmErrorCode(error) ?? 'EFETCH';
    const reason =
      code === 'EINTEGRITY'
        ? `the tarball does not match its recorded integrity ${node.integrity ?? ''}`.trim()
        : `could not fetch the tarball: ${errorMessage(error).split('\n')[0]}`;
    return { ok: false, code, reason };
  }
  return read.tarball
    ? { ok: true, tarball: read.tarball }
    : { ok: true, tarball: undefined, size: read.size };
}

/** One attempt's bytes, refused past the size limit as soon as they pass it (not once all are in memory). */
async function readTarball(
  stream: AsyncIterable<Buffer>,
  limits: ReadLimits,
  room: DownloadRoom | undefined,
): Promise<{ tarball: Buffer | undefined; size: number }> {
  room?.restart();
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = true;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limits.maxTarballBytes) {
      // Closed, not left paused: a paused response would hold its socket (and npm's cache write) open.
      (stream as { destroy?: () => void }).destroy?.();
      throw new TarballTooBig(`the tarball is over the ${limits.maxTarballBytes}-byte limit`);
    }
    if (kept && (!room || room.take(chunk.length))) chunks.push(chunk);
    else if (kept) {
      kept = false;
      chunks.length = 0;
    }
  }
  return { tarball: kept ? wholeOrJoined(chunks, size) : undefined, size };
}

/**
 * npm's cache hands a tarball over as one Buffer of its own (cacache reads up to 64 MB at once), which is kept
 * as it is rather than copied (a second 45 MB for each `@next/swc-*` binary). Network reads arrive in pieces of
 * at most 64 KB, some of them shared with npm's cache writes: those are joined into a Buffer of the scan's own,
 * the one that is later moved to a worker.
 */
const OWN_CHUNK_BYTES = 1024 * 1024;

function wholeOrJoined(chunks: Buffer[], size: number): Buffer {
  const [only] = chunks;
  const whole =
    chunks.length === 1 &&
    only !== undefined &&
    only.byteLength >= OWN_CHUNK_BYTES &&
    only.byteOffset === 0 &&
    only.byteLength === only.buffer.byteLength;
  return whole ? only : Buffer.concat(chunks, size);
}

/**
 * The size of a tarball npm's cache already holds (looked up by its integrity, nothing read but the file's
 * size), or undefined when it holds none or the integrity cannot name one. Nothing is verified here: the read
 * that follows verifies the bytes.
 */
export async function cachedTarballSize(
  node: Pick<PackageNode, 'integrity' | 'resolved'>,
  npmOptions: NpmOptions,
): Promise<number | undefined> {
  if (!node.integrity || !isVerifiable(node.integrity) || node.resolved?.startsWith('file:'))
    return undefined;
  try {
    const held = await cacache.get.hasContent(npmOptions.cache, node.integrity);
    return held ? held.size : undefined;
  } catch {
    return undefined;
  }
}

/** cachedTarballSize for a release the registry lists (a previous version). */
export function cachedReleaseSize(
  release: { integrity?: string; tarball?: string },
  npmOptions: NpmOptions,
): Promise<number | undefined> {
  return cachedTarballSize(
    { integrity: release.integrity ?? null, resolved: release.tarball ?? null },
    npmOptions,
  );
}

/** The node a release the registry lists stands for (a previous version, a version to diff). */
function releaseNode(
  name: string,
  release: { version: string; integrity?: string; tarball?: string },
): PackageNode {
  return {
    name,
    version: release.version,
    integrity: release.integrity ?? null,
    resolved: release.tarball ?? null,
    paths: [],
    pathsTruncated: false,
    optional: false,
  };
}

/** Fetches a release the registry lists (a previous version, a version to diff) like any package in a tree. */
export function fetchRelease(
  name: string,
  release: { version: string; integrity?: string; tarball?: string },
  npmOptions: NpmOptions,
  limits: ReadLimits,
): Promise<FetchOutcome> {
  return fetchPackage(releaseNode(name, release), npmOptions, limits);
}

/** Downloads a release the registry lists, without unpacking it (keeping its bytes while `room` allows). */
export function downloadRelease(
  name: string,
  release: { version: string; integrity?: string; tarball?: string },
  npmOptions: NpmOptions,
  limits: ReadLimits,
  room?: DownloadRoom,
  listed?: ListedReleases,
): Promise<RoomedOutcome> {
  return download(releaseNode(name, release), npmOptions, limits, { room, listed });
}

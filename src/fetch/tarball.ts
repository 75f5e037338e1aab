import pacote from 'pacote';
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
 * The compressed tarball, verified against the recorded integrity and within the size limit. Apart from the
 * unpacking so that many downloads can be in flight while only a few packages are unpacked and parsed.
 */
export async function downloadTarball(
  node: PackageNode,
  npmOptions: NpmOptions,
  limits: ReadLimits,
): Promise<DownloadOutcome> {
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
  let tarball: Buffer;
  try {
    tarball = await pacote.tarball(spec, {
      ...npmOptions,
      ...(node.resolved && !isLocalFile ? { resolved: node.resolved } : {}),
      ...(node.integrity ? { integrity: node.integrity } : {}),
      retry: briefRetry(npmOptions.retry),
      ignoreScripts: true,
    });
  } catch (error) {
    const code = npmErrorCode(error) ?? 'EFETCH';
    const reason =
      code === 'EINTEGRITY'
        ? `the tarball does not match its recorded integrity ${node.integrity ?? ''}`.trim()
        : `could not fetch the tarball: ${errorMessage(error).split('\n')[0]}`;
    return { ok: false, code, reason };
  }
  if (tarball.byteLength > limits.maxTarballBytes) {
    return {
      ok: false,
      code: 'ETOOBIG',
      reason: `the tarball is ${tarball.byteLength} bytes, over the ${limits.maxTarballBytes}-byte limit`,
    };
  }
  return { ok: true, tarball };
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

/** Downloads a release the registry lists, without unpacking it. */
export function downloadRelease(
  name: string,
  release: { version: string; integrity?: string; tarball?: string },
  npmOptions: NpmOptions,
  limits: ReadLimits,
): Promise<DownloadOutcome> {
  return downloadTarball(releaseNode(name, release), npmOptions, limits);
}

import semver from 'semver';
import type { PackumentIndex, ReleaseRecord } from './packument.js';

/**
 * The release a version replaced: the highest version below it by semver among those published before it.
 * Prereleases only count as predecessors of prereleases, so 2.0.0's predecessor is 1.9.3, not 2.0.0-rc.4.
 * Unpublished versions are not in the index and so are skipped; a first release has none.
 */
export function previousRelease(index: PackumentIndex, version: string): ReleaseRecord | undefined {
  const current = index.releases.get(version);
  const publishedAt = current?.published && index.timesTrusted ? Date.parse(current.published) : Number.NaN;
  const target = semver.parse(version);
  if (!target) return undefined;
  const stable = target.prerelease.length === 0;
  let best: ReleaseRecord | undefined;
  let bestParsed: semver.SemVer | undefined;
  // Each version parsed once per call (semver.lt and gt on strings parse both sides every time).
  for (const release of index.releases.values()) {
    const parsed = semver.parse(release.version);
    if (!parsed || parsed.compare(target) >= 0) continue;
    if (stable && parsed.prerelease.length > 0) continue;
    const at = release.published ? Date.parse(release.published) : Number.NaN;
    // A backport (1.2.5 published after 2.0.0) is not what 2.0.0 replaced. Without times, semver alone decides.
    if (!Number.isNaN(publishedAt) && !Number.isNaN(at) && at > publishedAt) continue;
    if (!bestParsed || parsed.compare(bestParsed) > 0) {
      best = release;
      bestParsed = parsed;
    }
  }
  return best;
}

/** What the registry says about the package around the scanned version: pure data for the checks. */
export interface RegistryFacts {
  name: string;
  /** ISO time of the first publish of the name. */
  created?: string;
  /** Versions still served. */
  versionCount: number;
  latest?: string;
  release: ReleaseRecord;
  previous?: ReleaseRecord;
  /** Publish times can be believed (see PackumentIndex.timesTrusted); ages are not reported otherwise. */
  timesTrusted: boolean;
  /** When the scan read the registry: ages are measured from here, so checks stay pure. */
  checkedAt: string;
}

export function registryFacts(
  index: PackumentIndex,
  version: string,
  checkedAt: Date,
): RegistryFacts | undefined {
  const release = index.releases.get(version);
  if (!release) return undefined;
  const previous = previousRelease(index, version);
  return {
    name: index.name,
    ...(index.created ? { created: index.created } : {}),
    versionCount: index.releases.size,
    ...(index.latest ? { latest: index.latest } : {}),
    release,
    ...(previous ? { previous } : {}),
    timesTrusted: index.timesTrusted,
    checkedAt: checkedAt.toISOString(),
  };
}

/** How a release moved from its predecessor; 0.x minors are breaking by npm's rules, so they count as major. */
export function releaseKind(from: string, to: string): 'major' | 'minor' | 'patch' | 'prerelease' {
  const diff = semver.diff(from, to);
  if (diff === 'major' || diff === 'premajor') return 'major';
  if ((diff === 'minor' || diff === 'preminor') && semver.major(to) === 0) return 'major';
  if (diff === 'minor' || diff === 'preminor') return 'minor';
  if (diff === 'patch' || diff === 'prepatch')
    return semver.major(to) === 0 && semver.minor(to) === 0 ? 'major' : 'patch';
  return 'prerelease';
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Days between two ISO times, or undefined when either is missing. */
export function daysBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  return Number.isFinite(days) ? days : undefined;
}

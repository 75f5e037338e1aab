import semver from 'semver';
import type { PackumentIndex } from './packument.js';

/** Pure: the version npm would pick for a tag or range today (the highest published match), or undefined. */
export function resolveVersion(index: PackumentIndex, requested: string | undefined): string | undefined {
  const wanted = requested ?? 'latest';
  if (index.distTags[wanted]) return index.distTags[wanted];
  if (index.releases.has(wanted)) return wanted;
  const latest = index.distTags.latest;
  // npm prefers the latest tag when it satisfies the range.
  if (latest && semver.validRange(wanted) && semver.satisfies(latest, wanted)) return latest;
  return semver.maxSatisfying([...index.releases.keys()], wanted) ?? undefined;
}

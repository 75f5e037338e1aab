import levenshtein from 'fast-levenshtein';

export type PopularPackages = ReadonlyArray<readonly [name: string, monthlyDownloads: number]>;

export async function loadPopularPackages(): Promise<PopularPackages> {
  const data = await import('./data/popular-packages.json', { with: { type: 'json' } });
  return data.default.packages as unknown as PopularPackages;
}

/**
 * The popular package whose name is closest to `name`, for "not found; did you mean …". Only runs on the
 * error path, so a filtered linear pass is enough here.
 */
export function closestName(name: string, popular: PopularPackages): string | undefined {
  const maxDistance = name.length <= 4 ? 1 : name.length <= 10 ? 2 : 3;
  let best: { name: string; distance: number; downloads: number } | undefined;
  for (const [candidate, downloads] of popular) {
    if (candidate === name || Math.abs(candidate.length - name.length) > maxDistance) continue;
    const distance = levenshtein.get(name, candidate);
    if (distance > maxDistance) continue;
    if (!best || distance < best.distance || (distance === best.distance && downloads > best.downloads)) {
      best = { name: candidate, distance, downloads };
    }
  }
  return best?.name;
}

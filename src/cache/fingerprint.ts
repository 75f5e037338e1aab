import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CODE_FILE = /\.(?:[cm]?js|[cm]?ts|json)$/;
const NOT_CODE = /\.(?:d\.[cm]?ts|map)$/;

/**
 * A hash of the analyser's own code and data (every module beside this one's folder, in dist/ or src/). Cached
 * analyses are keyed by it, so any change to a check, the facts or the bundled data, even an unreleased build,
 * starts from an empty cache instead of serving conclusions the new code would not reach. About 5 ms.
 */
export function analyserFingerprint(root = dirname(dirname(fileURLToPath(import.meta.url)))): string {
  const hash = createHash('sha256');
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && CODE_FILE.test(entry.name) && !NOT_CODE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

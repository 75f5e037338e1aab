import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CODE_FILE = /\.(?:[cm]?js|[cm]?ts|json)$/;
const NOT_CODE = /\.(?:d\.[cm]?ts|map)$/;

/**
 * A hash of the analyser's own code and data (every module beside this one's folder, in dist/ or src/) and of
 * the installed version of each runtime dependency (parsers, the tar reader...). Cached analyses are keyed by it,
 * so any change to a check, the facts, the bundled data or a parser (an `npm update` within a caret range), even
 * an unreleased build, starts from an empty cache instead of serving conclusions the new code would not reach.
 * About 5 ms.
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
  for (const [name, version] of dependencyVersions(dirname(root))) hash.update(`${name}@${version}\0`);
  return hash.digest('hex');
}

/** The installed version of each dependency in the package.json at `packageRoot`, found as Node resolves it. */
function dependencyVersions(packageRoot: string): Array<[string, string]> {
  let dependencies: string[];
  try {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
    dependencies = Object.keys(manifest.dependencies ?? {}).sort();
  } catch {
    return [];
  }
  return dependencies.map((name) => [name, installedVersion(name, packageRoot) ?? 'missing']);
}

function installedVersion(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
      return String(manifest.version);
    } catch {
      // not installed here: look one folder up, as Node does
    }
    if (dirname(dir) === dir) return undefined;
  }
}

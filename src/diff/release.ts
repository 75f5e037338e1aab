import { type PackageManifest, parseManifest } from '../facts/manifest.js';
import type { FactOptions } from '../facts/model.js';
import { type CodeFacts, codeFacts, type FactsReuse } from '../facts/package-facts.js';
import type { PackageContents } from '../model.js';

/** One version of a package as read from its tarball: what the diff compares. */
export interface ReleaseView {
  version: string;
  manifest: PackageManifest;
  contents: PackageContents;
  code: CodeFacts;
  readText(path: string): string | undefined;
}

/** What the registry says of a dependency that a release adds, to tell a brand-new package. */
export interface DependencyRecord {
  created?: string;
  versionCount: number;
}

/**
 * Pure: a tarball's contents read as a release (manifest parsed, code facts computed), or why it cannot be.
 * `reuse` lends the facts of another release for the files both ship unchanged.
 */
export function readRelease(
  version: string,
  contents: PackageContents,
  reuse?: FactsReuse,
  options: FactOptions = {},
): { ok: true; release: ReleaseView; manifestText: string | null } | { ok: false; reason: string } {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const readText = (path: string) => {
    const bytes = contents.files.get(path)?.bytes;
    return bytes ? decoder.decode(bytes) : undefined;
  };
  const parsed = parseManifest(readText('package.json'));
  if (!parsed.manifest) return { ok: false, reason: parsed.error ?? 'package.json is unreadable' };
  return {
    ok: true,
    release: {
      version,
      manifest: parsed.manifest,
      contents,
      code: codeFacts(contents, reuse, options),
      readText,
    },
    manifestText: parsed.text,
  };
}

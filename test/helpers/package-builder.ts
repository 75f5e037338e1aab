import type { CheckContext } from '../../src/checks/check.js';
import { parseManifest } from '../../src/facts/manifest.js';
import { codeFacts } from '../../src/facts/package-facts.js';
import type { PackageContents, PackageFile, SkippedEntry } from '../../src/model.js';

/** An in-memory package for check tests: file path → text. package.json may be given as an object. */
export interface PackageSpec {
  name?: string;
  version?: string;
  manifest?: Record<string, unknown>;
  files?: Record<string, string>;
  /** Tarball entries the reader did not keep. */
  skipped?: SkippedEntry[];
}

export function contentsOf(files: Record<string, string>): PackageContents {
  const map = new Map<string, PackageFile>();
  let unpackedSize = 0;
  for (const [path, text] of Object.entries(files)) {
    const bytes = new TextEncoder().encode(text);
    unpackedSize += bytes.byteLength;
    map.set(path, { path, bytes, size: bytes.byteLength, mode: 0o644 });
  }
  return { files: map, skipped: [], unpackedSize };
}

export function contextOf(spec: PackageSpec): CheckContext {
  const name = spec.name ?? (spec.manifest?.name as string | undefined) ?? 'fixture-package';
  const version = spec.version ?? (spec.manifest?.version as string | undefined) ?? '1.0.0';
  const manifestText = JSON.stringify({ name, version, ...spec.manifest }, null, 2);
  const contents = {
    ...contentsOf({ 'package.json': manifestText, ...spec.files }),
    skipped: spec.skipped ?? [],
  };
  const parsed = parseManifest(manifestText);
  const decoder = new TextDecoder();
  return {
    name,
    version,
    manifest: parsed.manifest,
    manifestText: parsed.text,
    contents,
    code: codeFacts(contents),
    dependencyPaths: [[name]],
    readText: (path) => {
      const bytes = contents.files.get(path)?.bytes;
      return bytes ? decoder.decode(bytes) : undefined;
    },
  };
}

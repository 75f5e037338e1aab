import type { CheckContext } from '../../src/checks/check.js';
import type { DependencyRecord, ReleaseView } from '../../src/diff/release.js';
import { parseManifest } from '../../src/facts/manifest.js';
import { codeFacts } from '../../src/facts/package-facts.js';
import type { PackageContents, PackageFile, SkippedEntry } from '../../src/model.js';
import type { ReleaseRecord } from '../../src/registry/packument.js';
import type { RegistryFacts } from '../../src/registry/releases.js';

/** An in-memory package for check tests: file path → text. package.json may be given as an object. */
export interface PackageSpec {
  name?: string;
  version?: string;
  manifest?: Record<string, unknown>;
  files?: Record<string, string>;
  /** Tarball entries the reader did not keep. */
  skipped?: SkippedEntry[];
  /** What the registry says of this version (see registryOf). */
  registry?: RegistryFacts;
  /** The release this one replaced: turns on the version diff. */
  previous?: PackageSpec;
  /** Registry records of dependencies, by name. */
  dependencyRecords?: Record<string, DependencyRecord>;
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
  const previous = spec.previous ? releaseOf({ name, ...spec.previous }) : undefined;
  const records = spec.dependencyRecords;
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
    ...(spec.registry ? { registry: spec.registry } : {}),
    ...(previous ? { previous } : {}),
    ...(records ? { dependencyRecord: (dependency: string) => records[dependency] } : {}),
  };
}

/** A package spec read as a release, for the version diff. */
export function releaseOf(spec: PackageSpec): ReleaseView {
  const ctx = contextOf({ ...spec, previous: undefined });
  if (!ctx.manifest) throw new Error('a release needs a manifest');
  return {
    version: ctx.version,
    manifest: ctx.manifest,
    contents: ctx.contents,
    code: ctx.code,
    readText: ctx.readText,
  };
}

const DAY = 24 * 60 * 60 * 1000;
export const CHECKED_AT = '2026-11-25T00:00:00.000Z';

/** A registry release record, `publishedDaysAgo` before CHECKED_AT. */
export function releaseRecord(
  version: string,
  options: Partial<Omit<ReleaseRecord, 'published'>> & { publishedDaysAgo?: number } = {},
): ReleaseRecord {
  const { publishedDaysAgo = 100, ...rest } = options;
  return {
    version,
    published: new Date(Date.parse(CHECKED_AT) - publishedDaysAgo * DAY).toISOString(),
    publisher: 'alice',
    maintainers: ['alice'],
    provenance: false,
    manifest: { scripts: {}, dependencies: {}, bin: {} },
    ...rest,
  };
}

/** Registry facts for a check context: a package `createdDaysAgo` old with `versionCount` releases. */
export function registryOf(
  name: string,
  release: ReleaseRecord,
  options: { createdDaysAgo?: number; versionCount?: number; previous?: ReleaseRecord } = {},
): RegistryFacts {
  return {
    name,
    created: new Date(Date.parse(CHECKED_AT) - (options.createdDaysAgo ?? 400) * DAY).toISOString(),
    versionCount: options.versionCount ?? 10,
    release,
    ...(options.previous ? { previous: options.previous } : {}),
    timesTrusted: true,
    checkedAt: CHECKED_AT,
  };
}

import type { Packument } from 'pacote';

/**
 * The fields of a version's manifest that resolving a tree reads: npm's abbreviated ("corgi") document, which
 * `npm install` itself resolves from, plus the few a full document adds that Arborist still reads
 * (acceptDependencies, funding, license, libc). Publishers, maintainers, scripts, readmes and descriptions are
 * the scan's (PackumentIndex), not the resolution's.
 */
const VERSION_FIELDS = [
  'name',
  'version',
  'deprecated',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bundledDependencies',
  'acceptDependencies',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  'libc',
  'funding',
  'license',
  'hasInstallScript',
  '_hasShrinkwrap',
] as const;
/** From `dist`: what locates and verifies the tarball. Attestation and size fields are left out. */
const DIST_FIELDS = ['tarball', 'integrity', 'shasum', 'signatures'] as const;
/** `time` stays whole: npm's `--before` picks versions by it; `stagedVersions` serves npm's `include-staged`. */
const DOCUMENT_FIELDS = [
  'name',
  'dist-tags',
  'time',
  'modified',
  'policyRestrictions',
  'stagedVersions',
] as const;

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

function pick(from: Json, fields: readonly string[]): Json {
  const picked: Json = {};
  for (const field of fields) if (from[field] !== undefined) picked[field] = from[field];
  return picked;
}

/**
 * Pure: a registry document reduced to what Arborist and npm-pick-manifest read to resolve a tree. It is what
 * the resolution is given, cold or warm, so both resolve from the same fields; and it is what is stored beside
 * the scan's reduction, so a warm scan resolves without re-reading the full document (server-filesystem's
 * tree: 15.6 MB of full documents).
 */
export function installView(document: unknown): Packument {
  const doc = asObject(document) ?? {};
  const versions: Record<string, Json> = {};
  for (const [version, raw] of Object.entries(asObject(doc.versions) ?? {})) {
    const manifest = asObject(raw);
    if (!manifest) continue;
    const view = pick(manifest, VERSION_FIELDS);
    const dist = asObject(manifest.dist);
    if (dist) view.dist = pick(dist, DIST_FIELDS);
    versions[version] = view;
  }
  return { ...pick(doc, DOCUMENT_FIELDS), versions } as unknown as Packument;
}

import type { Severity } from './severity.js';

/** One package version in the resolved tree, with every way the scanned roots reach it. */
export interface PackageNode {
  name: string;
  version: string;
  /** Subresource-integrity string the tarball must match (from the packument or lockfile). */
  integrity: string | null;
  /** Where the tarball comes from: a registry URL, or `file:` for a local tarball. */
  resolved: string | null;
  /** Dependency paths from a scanned root to this package, shortest first; each path starts at the root. */
  paths: string[][];
  /** True when more paths exist than were kept (the count of simple paths can grow exponentially). */
  pathsTruncated: boolean;
  /** Install-time flags Arborist computed; an optional dependency may be skipped on this platform. */
  optional: boolean;
}

export interface PackageFile {
  /** Path inside the package, with the tarball's leading folder removed (`index.js`, `lib/a.js`). */
  path: string;
  /** Bytes, or null when the file was over the per-file limit and was not kept. */
  bytes: Uint8Array | null;
  size: number;
  mode: number;
}

/** A tarball unpacked in memory. */
export interface PackageContents {
  files: Map<string, PackageFile>;
  /** Entries that were not kept, and why (size limit, link, unsafe path...). */
  skipped: SkippedEntry[];
  unpackedSize: number;
}

export interface SkippedEntry {
  path: string;
  reason: 'file-too-large' | 'link' | 'unsafe-path' | 'not-a-file' | 'duplicate';
  size: number;
}

export interface FindingLocation {
  file: string;
  line?: number;
  column?: number;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface Finding {
  checkId: string;
  severity: Severity;
  title: string;
  message: string;
  location?: FindingLocation;
  evidence?: string;
  confidence: Confidence;
}

export const CAPABILITIES = [
  'network',
  'child-process',
  'env',
  'fs-read',
  'fs-write',
  'dynamic-code',
  'install-script',
  'native',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Why a package could not be fully analysed. A package with any of these is never reported as clean. */
export interface IncompleteMark {
  name: string;
  version: string;
  reason: string;
  code: string;
}

/** An MCP tool, prompt or resource a package declares, as the report lists it. */
export interface DeclaredTool {
  kind: 'tool' | 'prompt' | 'resource';
  name: string;
  description: string;
  file: string;
  line: number;
  /** Computed at run time: what the model reads could not be read statically. */
  dynamic?: true;
}

export interface PackageReport {
  name: string;
  version: string;
  integrity: string | null;
  paths: string[][];
  capabilities: Capability[];
  /** Present when the package declares MCP tools, prompts or resources. */
  tools?: DeclaredTool[];
  findings: Finding[];
  incomplete?: IncompleteMark;
}

import { join } from 'node:path';
import type { CodeAnalysis } from '../analyse/code-analysis.js';
import { SEVERITIES } from '../severity.js';
import { decodeEntry as decode, EntryStore, encodeEntry as encode, isRecord, sha256 } from './entry-store.js';

/** Bumped when the entry format changes; the analyser fingerprint covers changes in what is computed. */
const FORMAT = 'analysis-v1';
export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 * 1024;

export interface AnalysisKeyParts {
  /** Code checks read the name (a package's own service, its own files); the version is cheap to add. */
  name: string;
  version: string;
  /** Integrity of the analysed tarball: one sha256+ digest in canonical form. */
  integrity: string;
  /** Integrity of the previous release's tarball when the analysis includes the version diff; null without it. */
  previousIntegrity: string | null;
  /** Ids of the checks run. */
  checks: readonly string[];
  /** Anything else the analysis depends on (read limits). */
  settings: unknown;
}

/**
 * Code analyses on disk, keyed by what they depend on: the analyser's own code (its fingerprint), the tarball's
 * integrity, the previous release's integrity and the settings. A package version's bytes never change, so a
 * re-scan of a known version reads its analysis instead of fetching and parsing it again. Concurrency, damage
 * and the size bound are the EntryStore's.
 */
export class AnalysisCache extends EntryStore<CodeAnalysis> {
  readonly #fingerprint: string;

  constructor(dir: string, fingerprint: string, maxBytes = DEFAULT_CACHE_MAX_BYTES) {
    super(join(dir, FORMAT), maxBytes, isCodeAnalysis);
    this.#fingerprint = fingerprint;
  }

  key(parts: AnalysisKeyParts): string {
    return sha256(
      JSON.stringify([
        this.#fingerprint,
        parts.name,
        parts.version,
        parts.integrity,
        parts.previousIntegrity,
        parts.checks,
        parts.settings,
      ]),
    );
  }
}

export const encodeEntry = (analysis: CodeAnalysis): string => encode(analysis);
export const decodeEntry = (text: string): CodeAnalysis | undefined => decode(text, isCodeAnalysis);

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');
const SEVERITY_NAMES = new Set<unknown>(SEVERITIES);

/** The shape the report stage relies on; a checksum catches damage, this catches an entry from elsewhere. */
function isCodeAnalysis(value: unknown): value is CodeAnalysis {
  if (!isRecord(value)) return false;
  if (typeof value.version !== 'string') return false;
  if (value.manifestText !== null && typeof value.manifestText !== 'string') return false;
  if (value.previousVersion !== undefined && typeof value.previousVersion !== 'string') return false;
  if (!isStringArray(value.presentFiles) || !isStringArray(value.addedDependencies)) return false;
  if (!isStringArray(value.capabilities) || !isStringArray(value.failures)) return false;
  if (!Array.isArray(value.tools) || !value.tools.every(isRecord)) return false;
  return (
    Array.isArray(value.findings) &&
    value.findings.every(
      (finding) =>
        isRecord(finding) &&
        typeof finding.checkId === 'string' &&
        SEVERITY_NAMES.has(finding.severity) &&
        typeof finding.title === 'string' &&
        typeof finding.message === 'string',
    )
  );
}

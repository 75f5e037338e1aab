import type { DependencyRecord, ReleaseView } from '../diff/release.js';
import type { PackageManifest } from '../facts/manifest.js';
import type { CodeFacts } from '../facts/package-facts.js';
import type { Confidence, Finding, FindingLocation, PackageContents } from '../model.js';
import type { RegistryFacts } from '../registry/releases.js';
import type { Severity } from '../severity.js';
import type { Suspect } from '../typosquat/matcher.js';

/** What a check sees of one package. Checks read this and return findings; they do no I/O. */
export interface CheckContext {
  name: string;
  version: string;
  /** package.json as shipped inside the tarball (what npm will actually use), or null when absent or unreadable. */
  manifest: PackageManifest | null;
  /** Raw text of package.json, for locating keys by line. */
  manifestText: string | null;
  contents: PackageContents;
  /** Every file read once: JavaScript as facts, other files checked for binaries and hidden payloads. */
  code: CodeFacts;
  dependencyPaths: string[][];
  /** Text of a file in the package, or undefined when absent or not kept. */
  readText(path: string): string | undefined;
  /** What the registry says of this version and the one before it; absent for local tarballs or trimmed mirrors. */
  registry?: RegistryFacts;
  /** The release this version replaced, read from its tarball; absent on a first release or with --no-diff. */
  previous?: ReleaseView;
  /** Registry facts of other packages in the scanned tree, by name (for dependencies a release adds). */
  dependencyRecord?: (name: string) => DependencyRecord | undefined;
  /** The typosquat look-alikes of a name, answered from the cache when the scan has one. */
  suspectsOf?: (name: string) => Suspect[];
}

/** A finding before the check's identity is stamped on it. */
export interface FindingDraft {
  severity: Severity;
  message: string;
  title?: string;
  location?: FindingLocation;
  evidence?: string;
  confidence?: Confidence;
}

/**
 * What a check judges. `code` checks are pure over the tarball (and the previous release's tarball): their
 * findings are cached by integrity. `registry` checks judge the name and what the registry says, which change
 * without the bytes changing: they run on every scan and see only `name`, `version`, `manifest`,
 * `manifestText`, `registry` and whether the files in REGISTRY_SCOPE_FILES exist.
 */
export type CheckScope = 'code' | 'registry';

/** Files whose presence registry-scope checks may ask about (npm implies an install script from binding.gyp). */
export const REGISTRY_SCOPE_FILES = ['binding.gyp'] as const;

export interface CheckDefinition {
  /** Stable kebab-case id: it appears in JSON, SARIF, allowlists and docs. */
  id: string;
  /** Defaults to `code`. */
  scope?: CheckScope;
  title: string;
  description: string;
  /** What it catches, the incident behind it, and how to silence it honestly. */
  docs: string;
  defaultSeverity: Severity;
  run(ctx: CheckContext): FindingDraft[];
}

export interface Check extends CheckDefinition {
  scope: CheckScope;
  runToFindings(ctx: CheckContext): Finding[];
}

export function defineCheck(definition: CheckDefinition): Check {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(definition.id)) {
    throw new Error(`check id must be kebab-case: ${definition.id}`);
  }
  return {
    ...definition,
    scope: definition.scope ?? 'code',
    runToFindings(ctx) {
      return definition.run(ctx).map((draft) => stampFinding(definition, draft));
    },
  };
}

/** A draft as the check's finding: its id, and its title unless the draft has its own. */
export function stampFinding(check: Pick<CheckDefinition, 'id' | 'title'>, draft: FindingDraft): Finding {
  return {
    checkId: check.id,
    severity: draft.severity,
    title: draft.title ?? check.title,
    message: draft.message,
    ...(draft.location ? { location: draft.location } : {}),
    ...(draft.evidence !== undefined ? { evidence: draft.evidence } : {}),
    confidence: draft.confidence ?? 'high',
  };
}

/** Shortens evidence to something safe to print on one line. */
export function excerpt(text: string, max = 160): string {
  // Control characters could rewrite the terminal; show them escaped instead.
  const oneLine = text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u{E0000}-\u{E007F}]/gu,
    ' ',
  );
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

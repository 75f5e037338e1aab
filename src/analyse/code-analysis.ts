import { type Check, type CheckContext, REGISTRY_SCOPE_FILES } from '../checks/check.js';
import { capTestFindings, runChecks } from '../checks/run.js';
import { checkAgainstPrevious } from '../diff/compare.js';
import { addedDependencies } from '../diff/delta.js';
import { type ReleaseView, readRelease } from '../diff/release.js';
import { manifestCapabilities } from '../facts/capabilities.js';
import type { FactOptions } from '../facts/model.js';
import { codeCapabilities } from '../facts/package-facts.js';
import { offeredTools, testOnlyFiles } from '../facts/reachability.js';
import {
  CAPABILITIES,
  type Capability,
  type DeclaredTool,
  type Finding,
  type PackageContents,
} from '../model.js';

/**
 * What the code checks concluded about one tarball (compared with the previous release's tarball when given).
 * It depends on those bytes and on the analyser alone, never on the registry, the tree or the clock: that is
 * what makes it safe to cache by integrity. Plain data, so it can cross a worker boundary and be stored as JSON.
 */
export interface CodeAnalysis {
  version: string;
  /** The tarball's package.json text: the registry checks compare it with the registry's copy. */
  manifestText: string | null;
  /** Which of REGISTRY_SCOPE_FILES the tarball has. */
  presentFiles: string[];
  /** The release compared against, when the analysis included the version diff. */
  previousVersion?: string;
  /** Dependencies this release declares that the previous one did not (judged against the registry later). */
  addedDependencies: string[];
  /** Findings of the code checks, test-only files capped, new ones marked against the previous release. */
  findings: Finding[];
  capabilities: Capability[];
  tools: DeclaredTool[];
  /** Why part of the code could not be analysed: the package is then incomplete, never passed. */
  failures: string[];
}

export type CodeOutcome = { ok: true; analysis: CodeAnalysis } | { ok: false; code: string; reason: string };

/** Pure: runs the code checks on a tarball's contents, and the version diff when the previous release is given. */
export function analyseCode(
  name: string,
  version: string,
  contents: PackageContents,
  checks: readonly Check[],
  previousRelease?: { version: string; contents: PackageContents },
  options: FactOptions = {},
): CodeOutcome {
  const read = readRelease(version, contents, undefined, options);
  if (!read.ok) return { ok: false, code: 'EMANIFEST', reason: read.reason };
  const { release } = read;
  const codeChecks = checks.filter((check) => check.scope === 'code');
  const failures: string[] = [];
  let previous: ReleaseView | undefined;
  if (previousRelease) {
    const readPrevious = readRelease(
      previousRelease.version,
      previousRelease.contents,
      { contents, code: release.code },
      options,
    );
    if (readPrevious.ok) previous = readPrevious.release;
    // Without the previous release the diff cannot run: say so rather than pass the package as compared.
    else
      failures.push(
        `the previous release ${previousRelease.version} could not be read for the version diff: ${readPrevious.reason}`,
      );
  }
  const ctx: CheckContext = {
    name,
    version,
    manifest: release.manifest,
    manifestText: read.manifestText,
    contents,
    code: release.code,
    // Code checks do not read paths: they are the tree's, and the analysis is the tarball's.
    dependencyPaths: [],
    readText: release.readText,
  };
  let findings: Finding[];
  if (previous) {
    findings = checkAgainstPrevious({ ...ctx, previous }, codeChecks, failures).findings;
  } else {
    findings = runChecks(ctx, codeChecks, failures);
    capTestFindings(findings, testOnlyFiles(release.code));
  }
  for (const failure of release.code.failures) failures.push(`${failure.path}: ${failure.reason}`);
  return {
    ok: true,
    analysis: {
      version,
      manifestText: read.manifestText,
      presentFiles: REGISTRY_SCOPE_FILES.filter((path) => contents.files.has(path)),
      ...(previous ? { previousVersion: previous.version } : {}),
      addedDependencies: previous ? addedDependencies(previous, release) : [],
      findings,
      capabilities: CAPABILITIES.filter((capability) =>
        [...manifestCapabilities(release.manifest, contents), ...codeCapabilities(release.code)].includes(
          capability,
        ),
      ),
      tools: offeredTools(release.code),
      failures,
    },
  };
}

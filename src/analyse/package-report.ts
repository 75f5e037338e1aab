import { type Check, type CheckContext, stampFinding } from '../checks/check.js';
import { runChecks } from '../checks/run.js';
import { releasedAtOf, versionDiff } from '../checks/version-diff.js';
import { brandNewDependencies } from '../diff/delta.js';
import type { DependencyRecord } from '../diff/release.js';
import { parseManifest } from '../facts/manifest.js';
import type { CodeFacts } from '../facts/package-facts.js';
import type { Finding, PackageContents, PackageNode, PackageReport } from '../model.js';
import type { RegistryFacts } from '../registry/releases.js';
import { severityRank } from '../severity.js';
import type { Suspect } from '../typosquat/matcher.js';
import type { CodeAnalysis } from './code-analysis.js';

/** What the registry and the scan add to a package's code analysis: never cached, judged on every scan. */
export interface RegistryContext {
  registry?: RegistryFacts;
  /** Registry facts of the dependencies the release added (names in the scanned tree). */
  dependencyRecord?: (name: string) => DependencyRecord | undefined;
  /** Why part of the history could not be read: the package is then marked incomplete, never passed. */
  failure?: { code: string; reason: string };
  /** Typosquat look-alikes by name, from the scan's cache. */
  suspectsOf?: (name: string) => Suspect[];
}

const NO_CODE: CodeFacts = { js: [], others: [], failures: [], inputs: new Map() };

/**
 * Pure: a package's report from its (possibly cached) code analysis, the registry checks run now, and the
 * dependency paths of this tree. Findings are ordered by severity, then by the order of `checks`.
 */
export function packageReport(
  node: PackageNode,
  analysis: CodeAnalysis,
  checks: readonly Check[],
  context: RegistryContext = {},
): PackageReport {
  const failures = [...analysis.failures];
  const manifest = parseManifest(analysis.manifestText ?? undefined).manifest ?? null;
  const files: PackageContents['files'] = new Map(
    analysis.presentFiles.map((path) => [path, { path, bytes: null, size: 0, mode: 0o644 }]),
  );
  // Registry checks see the name, the manifest and the registry (CheckScope): nothing else is filled in.
  const ctx: CheckContext = {
    name: node.name,
    version: node.version,
    manifest,
    manifestText: analysis.manifestText,
    contents: { files, skipped: [], unpackedSize: 0 },
    code: NO_CODE,
    dependencyPaths: node.paths,
    readText: (path) => (path === 'package.json' ? (analysis.manifestText ?? undefined) : undefined),
    ...(context.registry ? { registry: context.registry } : {}),
    ...(context.suspectsOf ? { suspectsOf: context.suspectsOf } : {}),
  };
  const registryFindings = runChecks(
    ctx,
    checks.filter((check) => check.scope === 'registry'),
    failures,
  );
  const brandNew =
    analysis.previousVersion &&
    context.dependencyRecord &&
    checks.some((check) => check.id === 'version-diff')
      ? brandNewDependencies({
          name: node.name,
          version: node.version,
          previousVersion: analysis.previousVersion,
          added: analysis.addedDependencies,
          manifestText: analysis.manifestText,
          dependencyRecord: context.dependencyRecord,
          ...releasedAtOf(context.registry),
        }).map((draft) => stampFinding(versionDiff, draft))
      : [];
  const order = new Map(checks.map((check, index) => [check.id, index]));
  const rank = (finding: Finding) => order.get(finding.checkId) ?? checks.length;
  const findings = [...analysis.findings, ...registryFindings, ...brandNew]
    .map((finding) => structuredClone(finding))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || rank(a) - rank(b));
  const report: PackageReport = {
    name: node.name,
    version: node.version,
    integrity: node.integrity,
    paths: node.paths,
    capabilities: [...analysis.capabilities],
    ...(analysis.tools.length > 0 ? { tools: analysis.tools.map((tool) => ({ ...tool })) } : {}),
    findings,
  };
  if (context.failure) failures.push(context.failure.reason);
  if (failures.length > 0) {
    const onlyHistory = context.failure && failures.length === 1;
    report.incomplete = {
      name: node.name,
      version: node.version,
      code: onlyHistory && context.failure ? context.failure.code : 'ECHECK',
      reason:
        onlyHistory && context.failure ? context.failure.reason : `checks failed: ${failures.join('; ')}`,
    };
  }
  return report;
}

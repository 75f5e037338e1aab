import type { Check, CheckContext } from '../checks/check.js';
import { capTestFindings, runChecks } from '../checks/run.js';
import { testOnlyFiles } from '../facts/reachability.js';
import type { Finding } from '../model.js';
import type { RegistryFacts } from '../registry/releases.js';
import { severityRank } from '../severity.js';
import { checksToCompare, markNewFindings } from './new-findings.js';
import { publisherDelta } from './publisher.js';
import type { DependencyRecord, ReleaseView } from './release.js';

/**
 * Runs the checks on a release (whose context carries the previous release, for version-diff) and, on the
 * previous release, the code checks that found something in this one, then marks the findings that are new. Test-only files are capped first, on
 * both sides, so the comparison is like for like.
 */
export function checkAgainstPrevious(
  ctx: CheckContext & { previous: ReleaseView },
  checks: readonly Check[],
  failures: string[],
): { findings: Finding[]; added: Finding[] } {
  const findings = runChecks(ctx, checks, failures);
  capTestFindings(findings, testOnlyFiles(ctx.code));
  const previous = ctx.previous;
  // Only the checks that found something can have findings to mark as new (most packages: none to run).
  const compared = checksToCompare(findings);
  const previousFindings = runChecks(
    {
      name: ctx.name,
      version: previous.version,
      manifest: previous.manifest,
      manifestText: previous.readText('package.json') ?? null,
      contents: previous.contents,
      code: previous.code,
      dependencyPaths: ctx.dependencyPaths,
      readText: previous.readText,
    },
    // Registry checks judge the name and the registry document, which two versions of a package share.
    checks.filter((check) => check.scope === 'code' && compared.has(check.id)),
    [],
  );
  capTestFindings(previousFindings, testOnlyFiles(previous.code));
  const next = { version: ctx.version, readText: ctx.readText };
  return { findings, added: markNewFindings(findings, previousFindings, next, previous) };
}

export interface CompareInput {
  name: string;
  previous: ReleaseView;
  next: ReleaseView;
  checks: readonly Check[];
  dependencyRecord?: (name: string) => DependencyRecord | undefined;
  /** What the registry says of `next`, with `previous` set to the release compared against. */
  registry?: RegistryFacts;
}

/**
 * Pure: the security-relevant delta between two releases of one package: the version-diff findings, the
 * findings of the code checks that are new in `next` (quoting the added line), and publisher changes.
 */
export function compareReleases(input: CompareInput): { findings: Finding[]; failures: string[] } {
  const failures: string[] = [];
  const { next } = input;
  const { findings, added } = checkAgainstPrevious(
    {
      name: input.name,
      version: next.version,
      manifest: next.manifest,
      manifestText: next.readText('package.json') ?? null,
      contents: next.contents,
      code: next.code,
      dependencyPaths: [[input.name]],
      readText: next.readText,
      previous: input.previous,
      ...(input.registry ? { registry: input.registry } : {}),
      ...(input.dependencyRecord ? { dependencyRecord: input.dependencyRecord } : {}),
    },
    input.checks.filter((check) => check.scope === 'code'),
    failures,
  );
  const publisher = input.registry?.previous
    ? publisherDelta(input.registry.previous, input.registry.release).map(
        (draft): Finding => ({
          checkId: 'registry-metadata',
          title: draft.title ?? 'Registry metadata',
          severity: draft.severity,
          message: draft.message,
          ...(draft.location ? { location: draft.location } : {}),
          confidence: draft.confidence ?? 'medium',
        }),
      )
    : [];
  const delta = [...findings.filter((finding) => finding.checkId === 'version-diff'), ...added, ...publisher];
  delta.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { findings: delta, failures };
}

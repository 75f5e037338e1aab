import { resolve as resolvePath } from 'node:path';
import pLimit from 'p-limit';
import { type Check, type CheckContext, excerpt } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import { capTestFindings, runChecks } from './checks/run.js';
import { checkAgainstPrevious } from './diff/compare.js';
import { type DependencyRecord, type ReleaseView, readRelease } from './diff/release.js';
import { OcellusError, redactSecrets } from './errors.js';
import { manifestCapabilities } from './facts/capabilities.js';
import { parseManifest } from './facts/manifest.js';
import { codeCapabilities } from './facts/package-facts.js';
import { offeredTools, testOnlyFiles } from './facts/reachability.js';
import type { ReadLimits } from './fetch/limits.js';
import { fetchPackage, fetchRelease } from './fetch/tarball.js';
import {
  CAPABILITIES,
  type Capability,
  type DeclaredTool,
  type Finding,
  type IncompleteMark,
  type PackageContents,
  type PackageNode,
  type PackageReport,
} from './model.js';
import type { NpmOptions } from './npm-config.js';
import { type PackumentOutcome, PackumentStore } from './registry/packument.js';
import { type RegistryFacts, registryFacts } from './registry/releases.js';
import { resolveIdealTree } from './resolve/ideal-tree.js';
import { type LockedProject, resolveLockfile } from './resolve/lockfile.js';
import { severityRank } from './severity.js';
import type { ScanSpec } from './targets/spec.js';

export type ProgressEvent =
  | { phase: 'resolve' }
  | { phase: 'fetch' | 'analyse'; done: number; total: number };

export interface ScanRequest {
  specs: ScanSpec[];
  npmOptions: NpmOptions;
  limits: ReadLimits;
  concurrency: number;
  checks?: readonly Check[];
  /** Compare every package with the release before it (default true; `--no-diff` turns it off). */
  diff?: boolean;
  /** name@version of packages to leave out (--changed-only: those the base lockfile already had). */
  onlyChanged?: ReadonlySet<string>;
  /** The time registry ages are measured from; tests pin it. */
  now?: Date;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ScanResult {
  target: string;
  roots: string[];
  packages: PackageReport[];
  incomplete: IncompleteMark[];
  skippedForPlatform: Array<{ name: string; version: string }>;
  /** For a project audit: the lockfile read, so reports can point at its entries. */
  lockfile?: LockedProject['lockfile'];
}

/** resolve → fetch → facts → checks, for every package in the tree. Returns data; reporting is elsewhere. */
export async function scan(request: ScanRequest): Promise<ScanResult> {
  const progress = request.onProgress ?? (() => {});
  const checks = request.checks ?? CHECKS;
  progress({ phase: 'resolve' });
  const project = request.specs.find((spec) => spec.type === 'project');
  if (project && request.specs.length > 1) {
    throw new OcellusError('EUSAGE', 'Scan one project folder at a time, without package specs beside it.');
  }
  const locked = project?.dir ? await resolveLockfile(project.dir, request.npmOptions) : undefined;
  const resolved = locked ?? (await resolveIdealTree(request.specs, request.npmOptions));
  // --changed-only: the packages the change under review added or moved to another version.
  const tree = request.onlyChanged
    ? {
        ...resolved,
        packages: resolved.packages.filter(
          (node) => !request.onlyChanged?.has(`${node.name}@${node.version}`),
        ),
      }
    : resolved;
  const offRegistry = new Map(
    (locked?.offRegistry ?? []).map((entry) => [`${entry.name}@${entry.version}`, entry]),
  );
  const packuments = new PackumentStore(request.npmOptions);
  const treeNames = new Set(tree.packages.filter(fromRegistry).map((node) => node.name));
  const checkedAt = request.now ?? new Date();

  const total = tree.packages.length;
  let fetched = 0;
  let analysed = 0;
  const limit = pLimit(Math.max(1, request.concurrency));
  progress({ phase: 'fetch', done: 0, total });
  const reports = await Promise.all(
    tree.packages.map((node) =>
      limit(async (): Promise<PackageReport> => {
        const source = offRegistry.get(`${node.name}@${node.version}`);
        const tarballPath = source ? localTarball(source, project?.dir) : undefined;
        if (source && tarballPath) {
          const outcome = await fetchPackage(
            { ...node, resolved: tarballPath },
            request.npmOptions,
            request.limits,
          );
          progress({ phase: 'fetch', done: ++fetched, total });
          progress({ phase: 'analyse', done: ++analysed, total });
          const report = outcome.ok
            ? analysePackage(node, outcome.contents, checks)
            : incompleteReport(node, outcome.code, outcome.reason);
          report.findings.push(sourceFinding(node, source));
          return report;
        }
        if (source) {
          progress({ phase: 'fetch', done: ++fetched, total });
          progress({ phase: 'analyse', done: ++analysed, total });
          return offRegistryReport(node, source);
        }
        const packument = fromRegistry(node) ? packuments.get(node.name) : undefined;
        const outcome = await fetchPackage(
          locked && !node.integrity && packument ? await withRegistryIntegrity(node, packument) : node,
          request.npmOptions,
          request.limits,
        );
        if (!outcome.ok) {
          progress({ phase: 'fetch', done: ++fetched, total });
          progress({ phase: 'analyse', done: ++analysed, total });
          const report = incompleteReport(node, outcome.code, outcome.reason);
          // The lockfile pins these bytes: a registry serving others is an attack or a broken mirror.
          if (locked && outcome.code === 'EINTEGRITY')
            report.findings.push(integrityFinding(node, locked.lockfile.name));
          return report;
        }
        const history = await readHistory(node, outcome.contents, packument, {
          packuments,
          treeNames,
          checkedAt,
          diff: request.diff ?? true,
          npmOptions: request.npmOptions,
          limits: request.limits,
        });
        progress({ phase: 'fetch', done: ++fetched, total });
        const report = analysePackage(node, outcome.contents, checks, history);
        progress({ phase: 'analyse', done: ++analysed, total });
        return report;
      }),
    ),
  );
  const incomplete = reports.flatMap((report) => (report.incomplete ? [report.incomplete] : []));
  return {
    target: locked
      ? `${locked.roots[0]} (${locked.lockfile.name})`
      : request.specs.map((spec) => spec.raw).join(' '),
    roots: tree.roots,
    packages: reports,
    incomplete,
    skippedForPlatform: tree.skippedForPlatform,
    ...(locked ? { lockfile: locked.lockfile } : {}),
  };
}

/**
 * yarn berry records its own checksums, not npm integrity: such packages are fetched with the integrity the
 * registry publishes for that exact version (so the bytes are still verified, against the registry's word).
 */
async function withRegistryIntegrity(
  node: PackageNode,
  packument: Promise<PackumentOutcome>,
): Promise<PackageNode> {
  const outcome = await packument;
  const record = outcome.ok ? outcome.index.releases.get(node.version) : undefined;
  return record?.integrity
    ? { ...node, integrity: record.integrity, resolved: node.resolved ?? record.tarball ?? null }
    : node;
}

function integrityFinding(node: PackageNode, lockfile: string): Finding {
  return {
    checkId: 'lockfile-integrity',
    severity: 'critical',
    title: 'Tarball does not match the lockfile',
    message: `The registry serves ${node.name}@${node.version} with different bytes than ${lockfile} recorded (${node.integrity ?? 'no integrity'}): the package was replaced after it was locked, or the registry or a mirror is compromised.`,
    location: { file: lockfile },
    confidence: 'high',
  };
}

/** Git, remote-tarball and local-path dependencies bypass the registry: named, and never passed unread. */
const SOURCE_WORDS = {
  git: 'a git repository',
  remote: 'a tarball URL outside the registry',
  file: 'a local path',
};

function sourceFinding(node: PackageNode, source: LockedProject['offRegistry'][number]): Finding {
  return {
    checkId: 'lockfile-source',
    severity: source.kind === 'file' ? 'low' : 'medium',
    title: 'Dependency bypasses the registry',
    message: `${node.name}@${node.version} is installed from ${SOURCE_WORDS[source.kind]}: no registry integrity, metadata or version history applies to it.`,
    evidence: excerpt(redactSecrets(source.resolved)),
    confidence: 'high',
  };
}

function offRegistryReport(node: PackageNode, source: LockedProject['offRegistry'][number]): PackageReport {
  const report = incompleteReport(
    node,
    'EOFFREGISTRY',
    `installed from ${SOURCE_WORDS[source.kind]} (${redactSecrets(source.resolved)}), which Ocellus does not fetch: review it by hand`,
  );
  report.findings.push(sourceFinding(node, source));
  return report;
}

/** A tarball in the project (`file:vendor/x.tgz`) can be read like any other; git and remote sources are not fetched. */
function localTarball(
  source: LockedProject['offRegistry'][number],
  dir: string | undefined,
): string | undefined {
  if (source.kind !== 'file' || !dir) return undefined;
  const path = source.resolved.replace(/^file:/, '');
  return /\.(?:tgz|tar\.gz|tar)$/i.test(path) ? `file:${resolvePath(dir, path)}` : undefined;
}

const fromRegistry = (node: PackageNode) => !(node.resolved?.startsWith('file:') ?? false);

/** What the registry and the previous release add to one package's analysis. */
export interface PackageHistory {
  registry?: RegistryFacts;
  previous?: { version: string; contents: PackageContents };
  dependencyRecord?: (name: string) => DependencyRecord | undefined;
  /** Why part of the history could not be read: the package is then marked incomplete, never passed. */
  failure?: { code: string; reason: string };
}

async function readHistory(
  node: PackageNode,
  contents: PackageContents,
  packument: Promise<PackumentOutcome> | undefined,
  context: {
    packuments: PackumentStore;
    treeNames: Set<string>;
    checkedAt: Date;
    diff: boolean;
    npmOptions: NpmOptions;
    limits: ReadLimits;
  },
): Promise<PackageHistory> {
  if (!packument) return {};
  const outcome = await packument;
  if (!outcome.ok) return { failure: { code: outcome.code, reason: outcome.reason } };
  const registry = registryFacts(outcome.index, node.version, context.checkedAt);
  if (!registry) {
    return {
      failure: {
        code: 'EPACKUMENT',
        reason: `the registry document of ${node.name} does not list version ${node.version}`,
      },
    };
  }
  const history: PackageHistory = { registry };
  const records = new Map<string, DependencyRecord>();
  for (const name of declaredDependencyNames(contents)) {
    if (!context.treeNames.has(name) || name === node.name) continue;
    const dependency = await context.packuments.get(name);
    if (dependency.ok) {
      records.set(name, {
        ...(dependency.index.created ? { created: dependency.index.created } : {}),
        versionCount: dependency.index.releases.size,
      });
    }
  }
  history.dependencyRecord = (name) => records.get(name);
  const previous = registry.previous;
  if (!context.diff || !previous) return history;
  const fetched = await fetchRelease(node.name, previous, context.npmOptions, context.limits);
  if (!fetched.ok) {
    history.failure = {
      code: fetched.code,
      reason: `the previous release ${previous.version}, needed for the version diff: ${fetched.reason}`,
    };
    return history;
  }
  history.previous = { version: previous.version, contents: fetched.contents };
  return history;
}

function declaredDependencyNames(contents: PackageContents): string[] {
  const bytes = contents.files.get('package.json')?.bytes;
  if (!bytes) return [];
  const { manifest } = parseManifest(new TextDecoder().decode(bytes));
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies']) {
    const value = manifest?.[field];
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const name of Object.keys(value)) names.add(name);
  }
  return [...names];
}

export function analysePackage(
  node: PackageNode,
  contents: PackageContents,
  checks: readonly Check[],
  history: PackageHistory = {},
): PackageReport {
  const read = readRelease(node.version, contents);
  if (!read.ok) return incompleteReport(node, 'EMANIFEST', read.reason);
  const { release } = read;
  const failures: string[] = [];
  let previous: ReleaseView | undefined;
  if (history.previous) {
    const readPrevious = readRelease(history.previous.version, history.previous.contents, {
      contents,
      code: release.code,
    });
    if (readPrevious.ok) previous = readPrevious.release;
    // Without the previous release the diff cannot run: say so rather than pass the package as compared.
    else
      failures.push(
        `the previous release ${history.previous.version} could not be read for the version diff: ${readPrevious.reason}`,
      );
  }
  const ctx: CheckContext = {
    name: node.name,
    version: node.version,
    manifest: release.manifest,
    manifestText: read.manifestText,
    contents,
    code: release.code,
    dependencyPaths: node.paths,
    readText: release.readText,
    ...(history.registry ? { registry: history.registry } : {}),
    ...(previous ? { previous } : {}),
    ...(history.dependencyRecord ? { dependencyRecord: history.dependencyRecord } : {}),
  };
  const findings = previous
    ? checkAgainstPrevious({ ...ctx, previous }, checks, failures).findings
    : runChecks(ctx, checks, failures);
  if (!previous) capTestFindings(findings, testOnlyFiles(release.code));
  for (const failure of release.code.failures) failures.push(`${failure.path}: ${failure.reason}`);
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const report: PackageReport = {
    name: node.name,
    version: node.version,
    integrity: node.integrity,
    paths: node.paths,
    capabilities: sortCapabilities([
      ...manifestCapabilities(release.manifest, contents),
      ...codeCapabilities(release.code),
    ]),
    ...withTools(offeredTools(release.code)),
    findings,
  };
  if (history.failure) failures.push(history.failure.reason);
  if (failures.length > 0) {
    report.incomplete = {
      name: node.name,
      version: node.version,
      code: history.failure && failures.length === 1 ? history.failure.code : 'ECHECK',
      reason:
        failures.length === 1 && history.failure
          ? history.failure.reason
          : `checks failed: ${failures.join('; ')}`,
    };
  }
  return report;
}

const withTools = (tools: DeclaredTool[]) => (tools.length > 0 ? { tools } : {});

function incompleteReport(node: PackageNode, code: string, reason: string): PackageReport {
  return {
    name: node.name,
    version: node.version,
    integrity: node.integrity,
    paths: node.paths,
    capabilities: [],
    findings: [],
    incomplete: { name: node.name, version: node.version, code, reason },
  };
}

function sortCapabilities(capabilities: Capability[]): Capability[] {
  return CAPABILITIES.filter((capability) => capabilities.includes(capability));
}

import pLimit from 'p-limit';
import type { Check, CheckContext } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import { errorMessage } from './errors.js';
import { manifestCapabilities } from './facts/capabilities.js';
import { parseManifest } from './facts/manifest.js';
import { codeCapabilities, codeFacts } from './facts/package-facts.js';
import { testOnlyFiles } from './facts/reachability.js';
import type { ReadLimits } from './fetch/limits.js';
import { fetchPackage } from './fetch/tarball.js';
import {
  CAPABILITIES,
  type Capability,
  type Finding,
  type IncompleteMark,
  type PackageContents,
  type PackageNode,
  type PackageReport,
} from './model.js';
import type { NpmOptions } from './npm-config.js';
import { resolveIdealTree } from './resolve/ideal-tree.js';
import { atLeast, severityRank } from './severity.js';
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
  onProgress?: (event: ProgressEvent) => void;
}

export interface ScanResult {
  target: string;
  roots: string[];
  packages: PackageReport[];
  incomplete: IncompleteMark[];
  skippedForPlatform: Array<{ name: string; version: string }>;
}

/** resolve → fetch → facts → checks, for every package in the tree. Returns data; reporting is elsewhere. */
export async function scan(request: ScanRequest): Promise<ScanResult> {
  const progress = request.onProgress ?? (() => {});
  const checks = request.checks ?? CHECKS;
  progress({ phase: 'resolve' });
  const tree = await resolveIdealTree(request.specs, request.npmOptions);

  const total = tree.packages.length;
  let fetched = 0;
  let analysed = 0;
  const limit = pLimit(Math.max(1, request.concurrency));
  progress({ phase: 'fetch', done: 0, total });
  const reports = await Promise.all(
    tree.packages.map((node) =>
      limit(async (): Promise<PackageReport> => {
        const outcome = await fetchPackage(node, request.npmOptions, request.limits);
        progress({ phase: 'fetch', done: ++fetched, total });
        const report = outcome.ok
          ? analysePackage(node, outcome.contents, checks)
          : incompleteReport(node, outcome.code, outcome.reason);
        progress({ phase: 'analyse', done: ++analysed, total });
        return report;
      }),
    ),
  );
  const incomplete = reports.flatMap((report) => (report.incomplete ? [report.incomplete] : []));
  return {
    target: request.specs.map((spec) => spec.raw).join(' '),
    roots: tree.roots,
    packages: reports,
    incomplete,
    skippedForPlatform: tree.skippedForPlatform,
  };
}

export function analysePackage(
  node: PackageNode,
  contents: PackageContents,
  checks: readonly Check[],
): PackageReport {
  const manifestFile = contents.files.get('package.json');
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const readText = (path: string) => {
    const bytes = contents.files.get(path)?.bytes;
    return bytes ? decoder.decode(bytes) : undefined;
  };
  const parsed = parseManifest(manifestFile?.bytes ? decoder.decode(manifestFile.bytes) : undefined);
  if (!parsed.manifest)
    return incompleteReport(node, 'EMANIFEST', parsed.error ?? 'package.json is unreadable');

  const code = codeFacts(contents);
  const ctx: CheckContext = {
    name: node.name,
    version: node.version,
    manifest: parsed.manifest,
    manifestText: parsed.text,
    contents,
    code,
    dependencyPaths: node.paths,
    readText,
  };
  const findings: Finding[] = [];
  const failures: string[] = [];
  for (const check of checks) {
    try {
      findings.push(...check.runToFindings(ctx));
    } catch (error) {
      failures.push(`${check.id}: ${errorMessage(error)}`);
    }
  }
  for (const failure of code.failures) failures.push(`${failure.path}: ${failure.reason}`);
  capTestFindings(findings, testOnlyFiles(code));
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const report: PackageReport = {
    name: node.name,
    version: node.version,
    integrity: node.integrity,
    paths: node.paths,
    capabilities: sortCapabilities([
      ...manifestCapabilities(parsed.manifest, contents),
      ...codeCapabilities(code),
    ]),
    findings,
  };
  if (failures.length > 0) {
    report.incomplete = {
      name: node.name,
      version: node.version,
      code: 'ECHECK',
      reason: `checks failed: ${failures.join('; ')}`,
    };
  }
  return report;
}

/** Code in test files nothing loads never runs for the package's users: at most low. */
function capTestFindings(findings: Finding[], testOnly: Set<string>): void {
  for (const finding of findings) {
    if (!finding.location || !testOnly.has(finding.location.file) || !atLeast(finding.severity, 'medium'))
      continue;
    finding.severity = 'low';
    finding.message = `${finding.message} (In a test file that no package code loads.)`;
  }
}

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

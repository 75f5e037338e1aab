import { resolve as resolvePath } from 'node:path';
import pLimit from 'p-limit';
import { analyseCode, type CodeAnalysis } from './analyse/code-analysis.js';
import { CompilerWarmup } from './analyse/compiler-warmup.js';
import { packageReport, type RegistryContext } from './analyse/package-report.js';
import { AnalysisPool, POOL_MIN_PACKAGES } from './analyse/pool.js';
import { analyseTarball, type TarballOutcome, type TarballTask } from './analyse/tarball-analysis.js';
import { ByteBudget } from './byte-budget.js';
import type { AnalysisCache } from './cache/analysis-cache.js';
import type { SuspectCache } from './cache/suspect-cache.js';
import type { TreeNamesCache } from './cache/tree-names.js';
import { type Check, excerpt } from './checks/check.js';
import { CHECKS } from './checks/index.js';
import type { DependencyRecord } from './diff/release.js';
import { EarlyAnalyses } from './early-analyses.js';
import { OcellusError, redactSecrets } from './errors.js';
import { PackageRoom } from './fetch/download-rooms.js';
import type { ReadLimits } from './fetch/limits.js';
import {
  cachedReleaseSize,
  cachedTarballSize,
  downloadRelease,
  downloadTarball,
  downloadWithin,
  fetchPackage,
  type ListedReleases,
  type RoomedOutcome,
} from './fetch/tarball.js';
import { compareIntegrity, strongIntegrity } from './integrity.js';
import type { Finding, IncompleteMark, PackageContents, PackageNode, PackageReport } from './model.js';
import type { NpmOptions } from './npm-config.js';
import { PriorityLimit } from './priority-limit.js';
import type { PackumentIndexCache } from './registry/index-cache.js';
import type { ReleaseRecord } from './registry/packument.js';
import { type PackumentOutcome, PackumentStore } from './registry/packument.js';
import { registryFacts } from './registry/releases.js';
import { type DocumentSource, resolveIdealTree } from './resolve/ideal-tree.js';
import { type LockedProject, resolveLockfile } from './resolve/lockfile.js';
import type { ScanSpec } from './targets/spec.js';
import type { Suspect } from './typosquat/matcher.js';
import { growYoungGenerationWhileParsing } from './young-generation.js';

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
  /** Code analyses cached by integrity; none with --no-cache. */
  cache?: AnalysisCache;
  /** Reduced registry documents, read instead of the registry with --prefer-offline; none with --no-cache. */
  packumentCache?: PackumentIndexCache;
  /** Typosquat look-alikes of names judged before; none with --no-cache. */
  suspects?: SuspectCache;
  /** The names each set of specs resolved to last time, to request their documents at once; none with --no-cache. */
  treeNames?: TreeNamesCache;
  /** The environment, for $OCELLUS_WORKERS and $OCELLUS_WORKER_HEAP_MB. */
  env?: NodeJS.ProcessEnv;
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

/**
 * Compressed tarball bytes being downloaded or waiting for an analysis thread. Downloads outrun parsing on a
 * cold scan; this is what stops them filling memory on a big tree (a package that does not fit is read again
 * from npm's cache when a thread is free: see PackageRoom). The unpacked contents exist only inside an analysis,
 * one package per thread at a time.
 */
const IN_FLIGHT_BYTES = 48 * 1024 * 1024;
/**
 * Tarballs downloaded at once (fewer when --concurrency is lower). npm's cache writes each download twice
 * (make-fetch-happen's HTTP cache, then pacote's) through streams that hold the chunks in memory while the
 * writes lag: a heap snapshot of a cold 1,359-package audit found 470 MB of tarball chunks queued there. Four at
 * once instead of sixteen: that audit's peak 2.16 -> 1.74 GB, and no cold scan slower (CPU, not downloads, is
 * what a cold scan waits for: server-filesystem 7.2-7.7 s both ways, @vue/cli 45.5 against 46.5 s).
 */
const MAX_DOWNLOADS_AT_ONCE = 4;
/**
 * Compressed bytes (with the previous release's) from which a package is analysed apart from other packages
 * this big (PriorityLimit's heavy tasks): next@15 is 63 MB, storybook@9 20 MB, typescript 9 MB.
 */
const HEAVY_PACKAGE_BYTES = 16 * 1024 * 1024;
/** Versions picked by the resolution before any is analysed early: as many as a tree needs for the pool. */
const EARLY_START_AT = POOL_MIN_PACKAGES;
/** $OCELLUS_IN_FLIGHT_MB overrides it (tests use a tiny budget to make every package wait its turn). */
function inFlightBytes(env: NodeJS.ProcessEnv = {}): number {
  const megabytes = Number(env.OCELLUS_IN_FLIGHT_MB);
  return Number.isFinite(megabytes) && megabytes > 0 ? megabytes * 1024 * 1024 : IN_FLIGHT_BYTES;
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
  const versionsOf = new Map<string, Set<string>>();
  // One store for the resolution and the scan: each registry document is requested once, for both.
  const packuments = new PackumentStore(request.npmOptions, {
    indexes: request.packumentCache,
    wanted: (name) => versionsOf.get(name),
  });
  const checkedAt = request.now ?? new Date();
  // The analysis threads, download bounds and queues: opened by the first package started, whether that is an
  // early one (during the resolution) or one of the tree.
  let opened: OpenedAnalysis | undefined;
  const open = (packages: number) => {
    opened ??= openAnalysis(request, checks, packuments, checkedAt, locked?.lockfile.name, packages);
    return opened.run;
  };
  const early = earlyAnalyses(request, locked, () => {
    const first = !opened;
    const run = open(EARLY_START_AT);
    // One analysis thread fewer while the tree is resolved: the resolution keeps a core of its own (with every
    // thread analysing, a two-core machine lost in resolution what it gained). All are given back below.
    if (first) run.analysing.concurrency = (opened?.pool?.threads ?? 1) - 1;
    return run;
  });
  try {
    const resolved = locked ?? (await resolveSpecs(request, packuments, early));
    // --changed-only: the packages the change under review added or moved to another version.
    const tree = request.onlyChanged
      ? {
          ...resolved,
          packages: resolved.packages.filter(
            (node) => !request.onlyChanged?.has(`${node.name}@${node.version}`),
          ),
        }
      : resolved;
    early?.keepOnly(new Set(tree.packages.map((node) => `${node.name}@${node.version}`)));
    if (opened) opened.run.analysing.concurrency = opened.pool?.threads ?? 1;
    const offRegistry = new Map(
      (locked?.offRegistry ?? []).map((entry) => [`${entry.name}@${entry.version}`, entry]),
    );
    for (const node of tree.packages) {
      const versions = versionsOf.get(node.name) ?? new Set<string>();
      versions.add(node.version);
      versionsOf.set(node.name, versions);
    }
    const treeNames = new Set(tree.packages.filter(fromRegistry).map((node) => node.name));
    // The store takes each name's document from the resolution synchronously when asked: every name is asked
    // now, and the rest (many megabytes for some packages) are dropped.
    for (const name of treeNames) void packuments.get(name);
    packuments.dropResolutionReads();
    await request.suspects?.load();

    const total = tree.packages.length;
    let fetched = 0;
    let analysed = 0;
    const settle = () => {
      progress({ phase: 'fetch', done: ++fetched, total });
      progress({ phase: 'analyse', done: ++analysed, total });
    };
    const run: RunContext = {
      ...open(total),
      treeNames,
      suspectsOf: request.suspects ? (name) => request.suspects?.suspectsOf(name) ?? [] : undefined,
      early,
    };
    progress({ phase: 'fetch', done: 0, total });
    const reports = await Promise.all(
      tree.packages.map(async (node): Promise<PackageReport> => {
        const source = offRegistry.get(`${node.name}@${node.version}`);
        const tarballPath = source ? localTarball(source, project?.dir) : undefined;
        if (source && tarballPath) {
          const outcome = await run.fetching(() =>
            fetchPackage({ ...node, resolved: tarballPath }, request.npmOptions, request.limits),
          );
          settle();
          const report = outcome.ok
            ? analysePackage(node, outcome.contents, checks)
            : incompleteReport(node, outcome.code, outcome.reason);
          report.findings.push(sourceFinding(node, source));
          return report;
        }
        if (source) {
          settle();
          return offRegistryReport(node, source);
        }
        const report = await scanRegistryPackage(node, run);
        settle();
        return report;
      }),
    );
    if (request.cache && request.cache.stats.writes > 0) await request.cache.prune();
    if (request.packumentCache && request.packumentCache.stats.writes > 0)
      await request.packumentCache.prune();
    await request.suspects?.save();
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
  } finally {
    // Early work the tree did not take is abandoned at once, and the threads stop (ending any still running).
    const abandoned = early?.abandon();
    opened?.run.warmup.stop();
    opened?.restore?.();
    await opened?.pool?.close();
    await abandoned;
  }
}

/**
 * The ideal tree of the specs, its documents requested at once when the same specs were resolved before, and
 * each version picked along the way handed to `early`.
 */
async function resolveSpecs(
  request: ScanRequest,
  documents: DocumentSource,
  early: EarlyAnalyses<EarlyAnalysis> | undefined,
) {
  const registry = String(request.npmOptions.registry ?? '');
  const specs = request.specs.map((spec) => spec.raw);
  const expected = (await request.treeNames?.get(registry, specs)) ?? [];
  const resolved = await resolveIdealTree(
    request.specs,
    request.npmOptions,
    documents,
    expected,
    early ? (name, version) => early.picked(name, version) : undefined,
  );
  const names = [...new Set(resolved.packages.filter(fromRegistry).map((node) => node.name))].sort();
  if (request.treeNames && names.join('\n') !== [...expected].sort().join('\n'))
    await request.treeNames.put(registry, specs, names);
  return resolved;
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

function integrityFinding(node: PackageNode, lockfile: string, how: 'serves' | 'lists'): Finding {
  return {
    checkId: 'lockfile-integrity',
    severity: 'critical',
    title: 'Tarball does not match the lockfile',
    message: `The registry ${how} ${node.name}@${node.version} with different ${how === 'serves' ? 'bytes' : 'integrity'} than ${lockfile} recorded (${node.integrity ?? 'no integrity'}): the package was replaced after it was locked, or the registry or a mirror is compromised.`,
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

/** What analysing a package needs, opened once per scan (by an early analysis or by the tree). */
interface AnalysisContext {
  request: ScanRequest;
  checks: readonly Check[];
  packuments: PackumentStore;
  checkedAt: Date;
  diff: boolean;
  /** For a project audit: the lockfile's name. */
  lockfile: string | undefined;
  /** Registry reads, cache reads and downloads: --concurrency packages at once. */
  fetching: ReturnType<typeof pLimit>;
  /** Tarball downloads: at most MAX_DOWNLOADS_AT_ONCE (see there). */
  downloading: ReturnType<typeof pLimit>;
  /** Bounds the compressed bytes downloaded and waiting for analysis, whatever the concurrency. */
  budget: ByteBudget;
  /**
   * Packages being unpacked and analysed: one per analysis thread, the biggest waiting package first. Before,
   * analysis slots and downloads shared one limit, and packages waiting for a thread held up the downloads
   * behind them (server-filesystem cold: threads idle for a second at a time, 7.4 s in all).
   */
  analysing: PriorityLimit;
  /** V8's efficiency mode while the analysis warms up. */
  warmup: CompilerWarmup;
  /** Unpacks and analyses one package: on a worker thread when the tree pays for a pool, else in-process. */
  analyse: (task: TarballTask) => Promise<TarballOutcome>;
}

interface RunContext extends AnalysisContext {
  /** Names in the scanned tree: registry facts are read for dependencies a release adds among them. */
  treeNames: Set<string>;
  /** Typosquat look-alikes by name, from the cache of names judged before. */
  suspectsOf: ((name: string) => Suspect[]) | undefined;
  /** Packages started before the tree was known. */
  early: EarlyAnalyses<EarlyAnalysis> | undefined;
}

interface OpenedAnalysis {
  run: AnalysisContext;
  pool: AnalysisPool | undefined;
  /** Undoes the in-process young-generation tuning (no pool). */
  restore: (() => void) | undefined;
}

function openAnalysis(
  request: ScanRequest,
  checks: readonly Check[],
  packuments: PackumentStore,
  checkedAt: Date,
  lockfile: string | undefined,
  packages: number,
): OpenedAnalysis {
  // Workers run the built-in checks only: a caller's own check list is run in-process.
  const pool = request.checks ? undefined : AnalysisPool.forTree(packages, request.env);
  const restore = pool ? undefined : growYoungGenerationWhileParsing();
  return {
    pool,
    restore,
    run: {
      request,
      checks,
      packuments,
      checkedAt,
      diff: request.diff ?? true,
      lockfile,
      // --concurrency packages in the registry, cache and download stages; the analysis is a queue of its own,
      // so a package waiting for a thread never holds up the downloads behind it.
      fetching: pLimit(Math.max(1, request.concurrency)),
      downloading: pLimit(Math.max(1, Math.min(request.concurrency, MAX_DOWNLOADS_AT_ONCE))),
      budget: new ByteBudget(inFlightBytes(request.env)),
      // One package per thread: in-process, parsing is the main thread's, and a second unpacked package would
      // only wait in memory.
      analysing: new PriorityLimit(pool?.threads ?? 1),
      analyse: pool ? (task) => pool.run(task) : (task) => analyseTarball(task, checks),
      warmup: CompilerWarmup.forScan(request.env),
    },
  };
}

/**
 * Versions picked during the resolution are analysed at once when the analysis would run on worker threads
 * (the resolution keeps the main thread) and once EARLY_START_AT of them are known, as many as a tree needs
 * for a pool. Not for project audits (their tree is read, not resolved), --changed-only (most of the tree is
 * left out) nor a caller's own checks (analysed in-process). $OCELLUS_EARLY=0 turns it off.
 */
function earlyAnalyses(
  request: ScanRequest,
  locked: LockedProject | undefined,
  open: () => AnalysisContext,
): EarlyAnalyses<EarlyAnalysis> | undefined {
  if (locked || request.onlyChanged || request.checks || request.env?.OCELLUS_EARLY === '0') return undefined;
  if (!AnalysisPool.forTree(EARLY_START_AT, request.env)) return undefined;
  return new EarlyAnalyses(EARLY_START_AT, (name, version, abandoned) =>
    analyseEarly(name, version, open(), abandoned),
  );
}

/** A package's code analysis made before the tree was known, with what it was made from. */
interface EarlyAnalysis {
  /** The tarball analysed (a strong integrity) and the release it was compared with. */
  integrity: string;
  previous: { version: string; integrity: string } | undefined;
  analysis: CodeAnalysis;
  /** The previous release could not be read: the analysis ran without the diff. */
  previousFailure?: { code: string; reason: string } | undefined;
  /** It came from the analysis cache (nothing to store). */
  stored: boolean;
}

/**
 * One picked version, from the registry document the resolution read (taken now, before the resolution
 * drops it): its analysis from the cache, or from its tarballs and the previous release's.
 */
function analyseEarly(
  name: string,
  version: string,
  run: AnalysisContext,
  abandoned: () => boolean,
): Promise<EarlyAnalysis | undefined> {
  const index = run.packuments.resolutionIndex(name, version);
  const registry = index ? registryFacts(index, version, run.checkedAt) : undefined;
  const integrity = registry?.release.integrity ? strongIntegrity(registry.release.integrity) : undefined;
  if (!index || !registry || !integrity) return Promise.resolve(undefined);
  const previousRecord = run.diff ? registry.previous : undefined;
  const previousIntegrity = previousRecord?.integrity ? strongIntegrity(previousRecord.integrity) : undefined;
  if (previousRecord && !previousIntegrity) return Promise.resolve(undefined);
  const previous =
    previousRecord && previousIntegrity
      ? { version: previousRecord.version, integrity: previousIntegrity }
      : undefined;
  // Only the two releases are kept while the work waits its turn: every picked version holding its name's
  // whole index (thousands of releases for some) until analysed added up on a big tree.
  const releases = new Map([[version, registry.release]]);
  if (previousRecord) releases.set(previousRecord.version, previousRecord);
  const listed: PackumentOutcome = { ok: true, index: { ...index, releases, unpublished: [] } };
  const node: PackageNode = {
    name,
    version,
    integrity: registry.release.integrity ?? null,
    resolved: registry.release.tarball ?? null,
    paths: [[name]],
    pathsTruncated: false,
    optional: false,
  };
  return (async () => {
    const key = analysisKey(run, node.name, node.version, integrity, previous?.integrity ?? null);
    const stored = key ? await run.fetching(() => run.request.cache?.get(key)) : undefined;
    if (stored) return { integrity, previous, analysis: stored, stored: true };
    if (abandoned()) return undefined;
    const history: Omit<RegistryContext, 'dependencyRecord'> = {};
    const fresh = await analyseTarballs(
      node,
      Promise.resolve(listed),
      previousRecord,
      history,
      run,
      abandoned,
    );
    if (!fresh.ok) return undefined;
    return { integrity, previous, analysis: fresh.analysis, previousFailure: history.failure, stored: false };
  })();
}

/** The analysis cache's key for a tarball compared with the release before it (none without a cache). */
function analysisKey(
  run: AnalysisContext,
  name: string,
  version: string,
  integrity: string,
  previousIntegrity: string | null,
): string | undefined {
  return run.request.cache?.key({
    name,
    version,
    integrity,
    previousIntegrity,
    checks: run.checks.filter((check) => check.scope === 'code').map((check) => check.id),
    settings: run.request.limits,
  });
}

/**
 * One registry package: its registry facts, then its code analysis from the cache (keyed by its integrity and
 * the previous release's) or from its tarballs, then the registry checks, which are never cached.
 */
async function scanRegistryPackage(node: PackageNode, run: RunContext): Promise<PackageReport> {
  const { request } = run;
  const packument = fromRegistry(node) ? run.packuments.get(node.name) : undefined;
  // Started while the tree was resolved: taken now, so nothing else starts this package's work.
  const started = run.early?.take(node.name, node.version);
  const { history, previous, extra, integrity, previousIntegrity, key, cached } = await run.fetching(
    async () => {
      const history = await registryHistory(node, packument, run.checkedAt);
      const previous = run.diff ? history.registry?.previous : undefined;
      // For a project audit: does the registry still list the bytes the lockfile pinned?
      const listed = history.registry?.release.integrity;
      const relisted =
        run.lockfile && node.integrity && listed ? compareIntegrity(node.integrity, listed) : undefined;
      const extra: Finding[] =
        run.lockfile && relisted === 'different' ? [integrityFinding(node, run.lockfile, 'lists')] : [];
      // Keyed only by a sha256+ digest (two tarballs with one key get one analysis), and for a lockfile only
      // when the registry's listing could be compared with it: a hit downloads nothing that would otherwise
      // check it.
      const integrity = node.integrity ? strongIntegrity(node.integrity) : undefined;
      const previousIntegrity = previous?.integrity ? strongIntegrity(previous.integrity) : undefined;
      const key =
        integrity &&
        packument &&
        !history.failure &&
        (!previous || previousIntegrity) &&
        (!run.lockfile || relisted === 'same')
          ? analysisKey(run, node.name, node.version, integrity, previousIntegrity ?? null)
          : undefined;
      // An early start reads the cache itself.
      const cached = key && !started ? await request.cache?.get(key) : undefined;
      return { history, previous, extra, integrity, previousIntegrity, key, cached };
    },
  );
  let analysis: CodeAnalysis | undefined = cached;
  const early = await started;
  // Used only when it analysed the very tarballs this node and its previous release name.
  if (
    !analysis &&
    early &&
    integrity === early.integrity &&
    previous?.version === early.previous?.version &&
    (previousIntegrity ?? undefined) === early.previous?.integrity
  ) {
    analysis = early.analysis;
    if (early.previousFailure) history.failure = early.previousFailure;
    if (!early.stored) await storeAnalysis(run, key, analysis, history);
  }
  // An early start that offers nothing usable read the cache under its own key, not necessarily this one.
  if (!analysis && started && key) analysis = await run.fetching(async () => request.cache?.get(key));
  if (!analysis) {
    const fresh = await analyseTarballs(node, packument, previous, history, run);
    if (!fresh.ok) {
      const served = fresh.report.findings.some((finding) => finding.checkId === 'lockfile-integrity');
      if (!served) fresh.report.findings.push(...extra);
      return fresh.report;
    }
    analysis = fresh.analysis;
    await storeAnalysis(run, key, analysis, history);
  }
  const report = packageReport(node, analysis, run.checks, {
    ...history,
    dependencyRecord: await dependencyRecords(analysis.addedDependencies, node.name, run),
    ...(run.suspectsOf ? { suspectsOf: run.suspectsOf } : {}),
  });
  report.findings.push(...extra);
  return report;
}

/** Only whole analyses are kept: one that could not read everything is recomputed next time, not replayed. */
async function storeAnalysis(
  run: AnalysisContext,
  key: string | undefined,
  analysis: CodeAnalysis,
  history: Omit<RegistryContext, 'dependencyRecord'>,
): Promise<void> {
  if (key && analysis.failures.length === 0 && !history.failure) await run.request.cache?.put(key, analysis);
}

/**
 * Downloads a package's tarball and the previous release's (in parallel), then unpacks and analyses them. The
 * compressed bytes live only in this call, the unpacked contents only inside the analysis. An early start
 * that is `abandoned` (its version is not in the tree) stops before its download and before its analysis.
 */
async function analyseTarballs(
  node: PackageNode,
  packument: Promise<PackumentOutcome> | undefined,
  previous: ReleaseRecord | undefined,
  history: Omit<RegistryContext, 'dependencyRecord'>,
  run: AnalysisContext,
  abandoned: () => boolean = () => false,
): Promise<{ ok: true; analysis: CodeAnalysis } | { ok: false; report: PackageReport }> {
  const { request } = run;
  // A download starts once a quarter of the budget is free: room is refused past the capacity, so waiting for
  // it to be merely not full would start downloads that are refused at their first bytes and read twice.
  (await run.budget.acquire(Math.ceil(run.budget.capacity / 4)))();
  const notInTree = { code: 'EABANDONED', reason: 'started early, and not in the tree' };
  if (abandoned()) return { ok: false, report: incompleteReport(node, notInTree.code, notInTree.reason) };
  const target =
    run.lockfile && !node.integrity && packument ? await withRegistryIntegrity(node, packument) : node;
  // pacote reads the registry document before downloading a tarball it does not hold: it is given the scan's.
  const document = packument ? await packument : undefined;
  const listed = document?.ok ? document.index : undefined;
  const room = new PackageRoom(run.budget);
  const held = await heldTooBig(target, previous, run);
  try {
    const downloads =
      held ??
      (await run.downloading(() =>
        abandoned()
          ? undefined
          : Promise.all([
              downloadWithin(target, request.npmOptions, request.limits, room.stream(), listed),
              previous
                ? downloadRelease(
                    node.name,
                    previous,
                    request.npmOptions,
                    request.limits,
                    room.stream(),
                    listed,
                  )
                : undefined,
            ]),
      ));
    if (!downloads) return { ok: false, report: incompleteReport(node, notInTree.code, notInTree.reason) };
    const [download, previousDownload] = downloads;
    if (!download.ok) return { ok: false, report: fetchFailure(node, download, run) };
    if (previous && previousDownload && !previousDownload.ok)
      history.failure = previousFailure(previous, previousDownload);
    // Refused room: the bytes were verified and left in npm's cache, and are read again once a thread is free.
    const withPrevious = previousDownload?.ok === true;
    const reread = room.refused || !download.tarball || (previousDownload?.ok && !previousDownload.tarball);
    if (reread) room.release();
    const sizeOf = (outcome: RoomedOutcome | undefined) =>
      !outcome?.ok ? 0 : 'size' in outcome ? outcome.size : outcome.tarball.byteLength;
    const bytes = sizeOf(download) + sizeOf(previousDownload);
    const kept: TarballsRead | undefined =
      !reread && download.tarball
        ? { tarball: download.tarball, previous: previousDownload?.ok ? previousDownload.tarball : undefined }
        : undefined;
    // The biggest first: a large package left to the end would run alone while the other threads sit idle.
    // The bytes are given back as the analysis starts: the budget bounds what waits for a thread, and the
    // threads bound what is being analysed. Held until the end, one package bigger than the budget (next)
    // kept every other download waiting, and the other thread idle, for the 20 s of its analysis.
    const outcome = await run.analysing.run(
      bytes,
      async (): Promise<TarballOutcome> => {
        room.release();
        if (abandoned()) return { ok: false, ...notInTree };
        const tarballs = kept ?? (await readAgain(target, withPrevious ? previous : undefined, run, listed));
        if ('code' in tarballs) return { ok: false, ...tarballs };
        // The previous release could not be read again: the package is analysed without the diff, and says so.
        if (tarballs.previousFailure) history.failure = tarballs.previousFailure;
        run.warmup.starting(bytes);
        const analysed = run.analyse({
          name: node.name,
          version: node.version,
          tarball: tarballs.tarball,
          ...(previous && tarballs.previous
            ? { previous: { version: previous.version, tarball: tarballs.previous } }
            : {}),
          limits: request.limits,
        });
        return analysed.finally(() => run.warmup.finished(bytes));
      },
      bytes >= HEAVY_PACKAGE_BYTES,
    );
    if (!outcome.ok) return { ok: false, report: fetchFailure(node, outcome, run) };
    if (outcome.previousFailure) history.failure = outcome.previousFailure;
    return { ok: true, analysis: outcome.analysis };
  } finally {
    room.release();
  }
}

/**
 * A package whose tarballs npm's cache already holds and which would not fit in the room left: read once, when
 * a thread is free, instead of read whole now only to be refused room and dropped (each of eight `@next/swc-*`
 * binaries, about 90 MB with the release before, was read twice, and the dropped bytes piled up on the main
 * thread until collected). The cache's sizes stand for the downloads; the read that follows verifies the bytes.
 */
async function heldTooBig(
  target: PackageNode,
  previous: ReleaseRecord | undefined,
  run: AnalysisContext,
): Promise<[RoomedOutcome, RoomedOutcome | undefined] | undefined> {
  const { npmOptions } = run.request;
  const [size, previousSize] = await Promise.all([
    cachedTarballSize(target, npmOptions),
    previous ? cachedReleaseSize(previous, npmOptions) : undefined,
  ]);
  if (size === undefined || (previous && previousSize === undefined)) return undefined;
  if (run.budget.used + size + (previousSize ?? 0) <= run.budget.capacity) return undefined;
  return [
    { ok: true, tarball: undefined, size },
    previousSize === undefined ? undefined : { ok: true, tarball: undefined, size: previousSize },
  ];
}

function previousFailure(previous: ReleaseRecord, failure: { code: string; reason: string }) {
  return {
    code: failure.code,
    reason: `the previous release ${previous.version}, needed for the version diff: ${failure.reason}`,
  };
}

/** A package's tarballs in memory, and why the previous release's is missing when it could not be read. */
interface TarballsRead {
  tarball: Buffer;
  previous?: Buffer | undefined;
  previousFailure?: { code: string; reason: string };
}

/**
 * A package's tarballs read again, whole this time: from npm's cache, where their download left them (unless
 * npm's `prefer-online` or a cache that was cleared in between sends pacote to the registry again).
 */
async function readAgain(
  target: PackageNode,
  previous: ReleaseRecord | undefined,
  run: AnalysisContext,
  listed: ListedReleases | undefined,
): Promise<TarballsRead | { code: string; reason: string }> {
  const { npmOptions, limits } = run.request;
  const [download, previousDownload] = await Promise.all([
    downloadTarball(target, npmOptions, limits, listed),
    previous ? downloadRelease(target.name, previous, npmOptions, limits, undefined, listed) : undefined,
  ]);
  if (!download.ok) return download;
  if (!previous || !previousDownload) return { tarball: download.tarball };
  if (!previousDownload.ok)
    return { tarball: download.tarball, previousFailure: previousFailure(previous, previousDownload) };
  return previousDownload.tarball
    ? { tarball: download.tarball, previous: previousDownload.tarball }
    : {
        tarball: download.tarball,
        previousFailure: previousFailure(previous, { code: 'EFETCH', reason: 'not read again' }),
      };
}

function fetchFailure(
  node: PackageNode,
  failure: { code: string; reason: string },
  run: AnalysisContext,
): PackageReport {
  const report = incompleteReport(node, failure.code, failure.reason);
  // The lockfile pins these bytes: a registry serving others is an attack or a broken mirror.
  if (run.lockfile && failure.code === 'EINTEGRITY')
    report.findings.push(integrityFinding(node, run.lockfile, 'serves'));
  return report;
}

/** What the registry says of this version and the one before it, without fetching any tarball. */
async function registryHistory(
  node: PackageNode,
  packument: Promise<PackumentOutcome> | undefined,
  checkedAt: Date,
): Promise<Omit<RegistryContext, 'dependencyRecord'>> {
  if (!packument) return {};
  const outcome = await packument;
  if (!outcome.ok) return { failure: { code: outcome.code, reason: outcome.reason } };
  const registry = registryFacts(outcome.index, node.version, checkedAt);
  if (!registry) {
    return {
      failure: {
        code: 'EPACKUMENT',
        reason: `the registry document of ${node.name} does not list version ${node.version}`,
      },
    };
  }
  return { registry };
}

/** Registry facts of the dependencies a release added, for those in the scanned tree. */
async function dependencyRecords(
  added: readonly string[],
  self: string,
  run: RunContext,
): Promise<(name: string) => DependencyRecord | undefined> {
  const records = new Map<string, DependencyRecord>();
  for (const name of added) {
    if (!run.treeNames.has(name) || name === self) continue;
    const dependency = await run.packuments.get(name);
    if (dependency.ok) {
      records.set(name, {
        ...(dependency.index.created ? { created: dependency.index.created } : {}),
        versionCount: dependency.index.releases.size,
      });
    }
  }
  return (name) => records.get(name);
}

/** What the previous release adds to one package's analysis (for callers holding both tarballs). */
export interface PackageHistory extends RegistryContext {
  previous?: { version: string; contents: PackageContents };
}

/** Pure: one package's report from its tarball (and the previous release's), without any cache. */
export function analysePackage(
  node: PackageNode,
  contents: PackageContents,
  checks: readonly Check[],
  history: PackageHistory = {},
): PackageReport {
  const code = analyseCode(node.name, node.version, contents, checks, history.previous);
  if (!code.ok) return incompleteReport(node, code.code, code.reason);
  return packageReport(node, code.analysis, checks, history);
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

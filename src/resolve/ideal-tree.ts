import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import npa from 'npm-package-arg';
import { pickRegistry } from 'npm-registry-fetch';
import pLimit from 'p-limit';
import pacote, { type Packument } from 'pacote';
import { errorMessage, npmErrorCode, OcellusError } from '../errors.js';
import { briefRetry } from '../fetch/tarball.js';
import type { PackageNode } from '../model.js';
import type { NpmOptions } from '../npm-config.js';
import { isRegistryPackageName } from '../registry/packument.js';
import type { ScanSpec } from '../targets/spec.js';
import { dependencyPaths, type GraphNode } from './dependency-paths.js';
import { DependencyPrefetch, registryWanted } from './dependency-prefetch.js';

const PREFETCH_AT_ONCE = 48;

export interface ResolvedTree {
  /** Names of the packages the user asked for, as resolved. */
  roots: string[];
  packages: PackageNode[];
  /** Optional packages npm would not install on this platform (os/cpu/libc), hence not scanned. */
  skippedForPlatform: Array<{ name: string; version: string }>;
}

// `inert` marks optional packages npm would skip on this platform; the published types predate it.
type ArboristNode = Arborist.Node;
const isInert = (node: ArboristNode) => (node as ArboristNode & { inert?: boolean }).inert === true;

/**
 * Builds the tree `npm install <specs>` would produce, without installing anything: Arborist's ideal tree,
 * built in an empty throw-away folder, reads packuments only. No tarball is extracted and no script runs.
 */
export async function resolveIdealTree(
  specs: ScanSpec[],
  npmOptions: NpmOptions,
  /**
   * Registry documents Arborist reads are left here (full ones, with publish times and publishers), so the scan
   * reads each one once instead of fetching the abbreviated and then the full document.
   */
  documents?: Map<string, Packument>,
  /** Names the tree is expected to hold (the last resolution's): their documents are requested at once. */
  expectedNames: readonly string[] = [],
): Promise<ResolvedTree> {
  const folder = await mkdtemp(join(tmpdir(), 'ocellus-resolve-'));
  // Arborist and the prefetch share one cache of documents; each one that lands in it is followed at once.
  const shared = documents ? new ObservedDocuments() : undefined;
  const requests = shared ? new DocumentRequests(npmOptions, shared) : undefined;
  const ahead = requests ? new DependencyPrefetch((name) => requests.request(name), npmOptions) : undefined;
  if (shared && ahead) shared.onDocument = (document) => ahead.documentArrived(document);
  for (const name of expectedNames) requests?.request(name);
  for (const spec of specs) {
    const given = spec.arboristSpec;
    const wanted = given ? registryWanted(() => npa(given)) : undefined;
    if (wanted) ahead?.want(wanted.name, wanted.range);
  }
  try {
    const arborist = new Arborist({
      ...npmOptions,
      // npm waits 10 s then 60 s between retries; a registry that is down should be reported in seconds.
      retry: briefRetry(npmOptions.retry),
      path: folder,
      ignoreScripts: true,
      audit: false,
      fund: false,
      save: false,
      // The throw-away root is not the user's project: never let a workspace config leak in.
      workspacesEnabled: false,
      ...(shared ? { fullMetadata: true, packumentCache: shared } : {}),
    });
    let tree: ArboristNode;
    try {
      tree = await arborist.buildIdealTree({ add: specs.map((spec) => spec.arboristSpec) });
    } catch (error) {
      throw resolveError(error, specs);
    }
    return collectPackages(tree);
  } finally {
    ahead?.close();
    // Every request settles before the documents are handed on, so none lands in the map after it is cleared.
    await requests?.settled();
    if (shared && documents) for (const [key, value] of shared) documents.set(key, value);
    await rm(folder, { recursive: true, force: true });
  }
}

/** Arborist's document cache (pacote's `packumentCache`), telling when a whole document has been stored. */
class ObservedDocuments extends Map<string, Packument> {
  onDocument: (document: Packument) => void = () => {};

  override set(key: string, value: Packument): this {
    super.set(key, value);
    // In-flight requests are stored too (as promises): only a finished document is followed.
    if (value && typeof value === 'object' && typeof (value as { then?: unknown }).then !== 'function')
      this.onDocument(value);
    return this;
  }
}

/**
 * Requests registry documents ahead of Arborist, through the same cache Arborist reads (pacote finds a request
 * in flight there and waits for it instead of sending its own). Used for the names the last resolution of the
 * same specs held and for the dependencies DependencyPrefetch follows. A request that fails is dropped from
 * the cache, so Arborist then asks for that document itself and gets its own answer (or its own error).
 */
class DocumentRequests {
  private readonly pending: Promise<unknown>[] = [];
  // npm's sockets are the real limit; this one keeps a long list from opening thousands of cache files at once.
  private readonly limit = pLimit(PREFETCH_AT_ONCE);
  private readonly options: Record<string, unknown>;
  private closed = false;

  constructor(
    private readonly npmOptions: NpmOptions,
    private readonly cache: Map<string, Packument>,
  ) {
    this.options = {
      ...npmOptions,
      fullMetadata: true,
      ignoreScripts: true,
      retry: briefRetry(npmOptions.retry),
    };
  }

  request(name: string): void {
    if (!isRegistryPackageName(name)) return;
    let url: string;
    try {
      url = `${String(pickRegistry(name, this.npmOptions)).replace(/\/+$/, '')}/${npa(name).escapedName}`;
    } catch {
      return; // not a registry name any more: Arborist will say what it is
    }
    // pacote's own key for a full document (registry.js); if it ever changes, prefetching only stops helping.
    const key = `full:${url}`;
    const request = this.limit(() => {
      // Already asked for (by Arborist while this waited its turn), or resolution is over: nothing to add.
      if (this.cache.has(key) || this.closed) return undefined;
      // pacote looks the key up before its first await, so the request is stored only once it has started;
      // stored earlier, pacote would find it and wait on itself for ever.
      const fetching = pacote.packument(name, { ...this.options, packumentCache: this.cache }).catch(() => {
        // A waiting reader gets a fresh request of its own, with its own error to report.
        this.cache.delete(key);
        return pacote.packument(name, this.options);
      });
      (this.cache as Map<string, Packument | Promise<unknown>>).set(key, fetching);
      return fetching;
    });
    this.pending.push(request.catch(() => {}));
  }

  /** No new request starts; resolves once every started one has settled. */
  async settled(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.pending);
  }
}

function collectPackages(tree: ArboristNode): ResolvedTree {
  const rootNodes: ArboristNode[] = [];
  for (const edge of tree.edgesOut.values()) if (edge.to) rootNodes.push(edge.to);

  const graphNodes = new Map<ArboristNode, GraphNode<string>>();
  const keyOf = (node: ArboristNode) => `${node.packageName}@${node.version}`;
  const toGraph = (node: ArboristNode): GraphNode<string> => {
    const cached = graphNodes.get(node);
    if (cached) return cached;
    const graphNode: GraphNode<string> = {
      id: keyOf(node),
      label: node.packageName,
      get children() {
        const children: GraphNode<string>[] = [];
        for (const edge of node.edgesOut.values()) {
          if (edge.to && !isInert(edge.to) && edge.to !== tree) children.push(toGraph(edge.to));
        }
        return children;
      },
    };
    graphNodes.set(node, graphNode);
    return graphNode;
  };
  const { paths, truncated } = dependencyPaths(rootNodes.map(toGraph));

  const packages = new Map<string, PackageNode>();
  const skippedForPlatform: ResolvedTree['skippedForPlatform'] = [];
  for (const node of tree.inventory.values()) {
    if (node === tree || node.isLink) continue;
    const key = keyOf(node);
    if (isInert(node)) {
      skippedForPlatform.push({ name: node.packageName, version: node.version });
      continue;
    }
    if (packages.has(key)) continue;
    packages.set(key, {
      name: node.packageName,
      version: node.version,
      integrity: node.integrity ?? null,
      resolved: node.resolved ?? null,
      paths: paths.get(key) ?? [[node.packageName]],
      pathsTruncated: truncated.has(key),
      optional: node.optional,
    });
  }
  const ordered = [...packages.values()].sort(
    (a, b) => (a.paths[0]?.length ?? 0) - (b.paths[0]?.length ?? 0) || a.name.localeCompare(b.name),
  );
  return { roots: rootNodes.map((node) => node.packageName), packages: ordered, skippedForPlatform };
}

function resolveError(error: unknown, specs: ScanSpec[]): OcellusError {
  const code = npmErrorCode(error);
  const detail = error as { pkgid?: string; uri?: string };
  const pkgid = typeof detail.pkgid === 'string' ? detail.pkgid : undefined;
  const named = specs.find(
    (spec) => spec.name && pkgid && (pkgid === spec.name || pkgid.startsWith(`${spec.name}@`)),
  );
  if (code === 'E404') {
    const name = named?.name ?? pkgid ?? 'a package';
    return named
      ? new OcellusError('ENOTFOUND_PACKAGE', `Package "${name}" was not found in the registry.`, {
          cause: error,
        })
      : new OcellusError(
          'ERESOLVE',
          `The registry has no package "${name}", which the tree depends on; the tree cannot be resolved.`,
          { cause: error },
        );
  }
  if (code === 'ETARGET') {
    return new OcellusError(
      'ENOVERSION',
      errorMessage(error).split('\n')[0] ?? 'No matching version found.',
      {
        cause: error,
        hint: 'Check the version or tag; `npm view <name> versions` lists what exists.',
      },
    );
  }
  if (code === 'EINTEGRITY') {
    return new OcellusError('EINTEGRITY', `Integrity check failed while resolving: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (code === 'EINVALIDPACKAGENAME' || code === 'EINVALIDTAGNAME') {
    return new OcellusError('EBADSPEC', errorMessage(error), { cause: error });
  }
  return new OcellusError('EREGISTRY', `Could not resolve the dependency tree: ${errorMessage(error)}`, {
    cause: error,
  });
}

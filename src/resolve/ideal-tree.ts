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
  const prefetched = documents ? prefetch(expectedNames, npmOptions, documents) : [];
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
      ...(documents ? { fullMetadata: true, packumentCache: documents } : {}),
    });
    let tree: ArboristNode;
    try {
      tree = await arborist.buildIdealTree({ add: specs.map((spec) => spec.arboristSpec) });
    } catch (error) {
      throw resolveError(error, specs);
    }
    return collectPackages(tree);
  } finally {
    // Every request settles before the documents are handed on, so none lands in the map after it is cleared.
    await Promise.allSettled(prefetched);
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Arborist requests registry documents level by level, as it discovers each dependency: with a warm npm cache
 * that still revalidates every document, resolution is a chain of round trips. Requesting the expected names'
 * documents at once, through the same cache Arborist reads (pacote keeps in-flight requests there too), turns
 * the chain into one parallel batch. A request that fails is dropped from the map, so Arborist then asks for
 * that document itself and gets its own answer (or its own error).
 */
function prefetch(
  names: readonly string[],
  npmOptions: NpmOptions,
  documents: Map<string, Packument>,
): Promise<unknown>[] {
  const pending: Promise<unknown>[] = [];
  const inFlight = documents as Map<string, Packument | Promise<unknown>>;
  const options = {
    ...npmOptions,
    fullMetadata: true,
    ignoreScripts: true,
    retry: briefRetry(npmOptions.retry),
  };
  // npm's sockets are the real limit; this one keeps a long list from opening thousands of cache files at once.
  const limit = pLimit(PREFETCH_AT_ONCE);
  for (const name of names) {
    if (!isRegistryPackageName(name)) continue;
    let url: string;
    try {
      url = `${String(pickRegistry(name, npmOptions)).replace(/\/+$/, '')}/${npa(name).escapedName}`;
    } catch {
      continue; // not a registry name any more: Arborist will say what it is
    }
    // pacote's own key for a full document (registry.js); if it ever changes, prefetching only stops helping.
    const key = `full:${url}`;
    const request = limit(() => {
      // Already asked for (by Arborist while this waited its turn): nothing to add.
      if (inFlight.has(key)) return undefined;
      // pacote looks the key up before its first await, so the request is stored only once it has started;
      // stored earlier, pacote would find it and wait on itself for ever.
      const fetching = pacote.packument(name, { ...options, packumentCache: documents }).catch(() => {
        // A waiting reader gets a fresh request of its own, with its own error to report.
        inFlight.delete(key);
        return pacote.packument(name, options);
      });
      inFlight.set(key, fetching);
      return fetching;
    });
    pending.push(request.catch(() => {}));
  }
  return pending;
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

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import npa from 'npm-package-arg';
import { pickRegistry } from 'npm-registry-fetch';
import pLimit from 'p-limit';
import type { Packument } from 'pacote';
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

/** Where a resolution reads registry documents instead of through npm's cache: the scan's PackumentStore. */
export interface DocumentSource {
  /** A document as Arborist reads it (installView), once per name; rejects with the registry's error. */
  installDocument(name: string): Promise<Packument>;
}

/**
 * Builds the tree `npm install <specs>` would produce, without installing anything: Arborist's ideal tree,
 * built in an empty throw-away folder, reads packuments only. No tarball is extracted and no script runs.
 */
export async function resolveIdealTree(
  specs: ScanSpec[],
  npmOptions: NpmOptions,
  /**
   * Every registry document Arborist reads comes from here (bounded in size, stored with the scan's own
   * reduction of it), and the dependencies of each are requested as it arrives. Without it, Arborist reads
   * through npm's cache alone.
   */
  source?: DocumentSource,
  /** Names the tree is expected to hold (the last resolution's): their documents are requested at once. */
  expectedNames: readonly string[] = [],
  /**
   * Told each version the prefetch picks, as the source's document for it arrives (with a source only): the
   * scan starts analysing those before the tree is known.
   */
  onPicked?: (name: string, version: string) => void,
): Promise<ResolvedTree> {
  const folder = await mkdtemp(join(tmpdir(), 'ocellus-resolve-'));
  const shared = source ? new RoutedDocuments(npmOptions, source) : undefined;
  const ahead = shared
    ? new DependencyPrefetch((name) => shared.prefetch(name), npmOptions, onPicked)
    : undefined;
  if (shared && ahead) shared.onDocument = (document) => ahead.documentArrived(document);
  for (const name of expectedNames) shared?.prefetch(name);
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
      // pacote awaits what it finds under a key, so a request in flight serves as well as a document.
      ...(shared ? { fullMetadata: true, packumentCache: shared as unknown as Map<string, Packument> } : {}),
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
    // Every request settles before the caller takes the documents over.
    await shared?.settled();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Arborist's document cache (pacote's `packumentCache`), answering every registry document Arborist asks for
 * from the DocumentSource: pacote looks a key up before fetching, and a key found holds the request in flight.
 * The same requests are started ahead of Arborist for the names the last resolution held and for the
 * dependencies DependencyPrefetch follows; each document that arrives is handed to `onDocument`.
 */
class RoutedDocuments extends Map<string, Packument | Promise<Packument>> {
  onDocument: (document: Packument) => void = () => {};
  readonly #pending: Promise<unknown>[] = [];
  // The source bounds requests by npm's sockets; this keeps a long list of names from opening thousands of
  // stored entries at once, and Arborist's own reads never wait behind it.
  readonly #limit = pLimit(PREFETCH_AT_ONCE);
  #open = true;

  constructor(
    private readonly npmOptions: NpmOptions,
    private readonly source: DocumentSource,
  ) {
    super();
  }

  override has(key: string): boolean {
    if (super.has(key)) return true;
    const name = this.#open ? this.#nameOf(key) : undefined;
    if (name === undefined) return false;
    this.#start(name, key);
    return true;
  }

  /** Requests a name's document ahead of Arborist, once a place is free. */
  prefetch(name: string): void {
    const key = this.#keyOf(name);
    if (key === undefined) return;
    // Stored only once started: a key found in the map is awaited, and a queued one would hold Arborist up.
    this.#pending.push(
      this.#limit(() => (super.has(key) || !this.#open ? undefined : this.#start(name, key))).catch(() => {}),
    );
  }

  /** No new request starts; resolves once every started one has settled. */
  async settled(): Promise<void> {
    this.#open = false;
    await Promise.allSettled(this.#pending);
  }

  #start(name: string, key: string): Promise<Packument> {
    const reading = this.source.installDocument(name).then((document) => {
      if (this.#open) this.onDocument(document);
      return document;
    });
    // A guess nobody reads may fail unheard; a reader gets the same rejection as its own error, and a later
    // reader asks again (pacote drops a failed request from its cache the same way).
    this.#pending.push(
      reading.catch(() => {
        if (super.get(key) === reading) super.delete(key);
      }),
    );
    super.set(key, reading);
    return reading;
  }

  /** pacote's own key for a full document (registry.js); if it ever changes, pacote simply fetches itself. */
  #keyOf(name: string): string | undefined {
    if (!isRegistryPackageName(name)) return undefined;
    try {
      return `full:${String(pickRegistry(name, this.npmOptions)).replace(/\/+$/, '')}/${npa(name).escapedName}`;
    } catch {
      return undefined; // not a registry name any more: Arborist will say what it is
    }
  }

  /** The name a key asks for, when it is exactly the key of that name (else pacote is left to fetch). */
  #nameOf(key: string): string | undefined {
    if (!key.startsWith('full:')) return undefined;
    let name: string;
    try {
      name = decodeURIComponent(key.slice(key.lastIndexOf('/') + 1));
    } catch {
      return undefined;
    }
    return this.#keyOf(name) === key ? name : undefined;
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
  // The scan fetches documents by name alone, so a registry error names `x@*`: the name is what matters.
  const pkgid = typeof detail.pkgid === 'string' ? detail.pkgid.replace(/@\*$/, '') : undefined;
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

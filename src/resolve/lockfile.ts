import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { errorMessage, OcellusError } from '../errors.js';
import type { PackageNode } from '../model.js';
import type { NpmOptions } from '../npm-config.js';
import { dependencyPaths, type GraphNode } from './dependency-paths.js';
import type { ResolvedTree } from './ideal-tree.js';
import {
  graphPackages,
  isRegistryTarball,
  type LockGraph,
  pnpmGraph,
  workspaceManifests,
  yarnBerryGraph,
  yarnClassicGraph,
} from './lockfile-graph.js';

/** The lockfile a project audit reads, in npm's order of precedence. */
export const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

export interface LockedProject extends ResolvedTree {
  lockfile: { path: string; name: string; text: string };
  /** Packages whose lockfile source is not the registry (git, remote tarball, local path). */
  offRegistry: Array<{ name: string; version: string; resolved: string; kind: 'git' | 'remote' | 'file' }>;
}

/**
 * A project's dependency tree exactly as its lockfile records it (Arborist's virtual tree: npm's own reading of
 * package-lock.json v1, v2 and v3 and npm-shrinkwrap.json), workspaces and dev dependencies included. Paths
 * start at the project, then the workspace, so each finding says which workspace reaches it.
 */
export async function resolveLockfile(dir: string, npmOptions: NpmOptions): Promise<LockedProject> {
  let lockfile: LockedProject['lockfile'] | undefined;
  for (const name of LOCKFILES) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      lockfile = { path, name, text };
      break;
    }
  }
  if (!lockfile) return resolveOtherLockfile(dir);
  let tree: Arborist.Node;
  try {
    tree = await new Arborist({ ...npmOptions, path: dir, ignoreScripts: true }).loadVirtual();
  } catch (error) {
    throw new OcellusError('EUSAGE', `Cannot read ${lockfile.path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return { ...collectLocked(tree), lockfile };
}

/** yarn.lock (classic or berry) or pnpm-lock.yaml, read into the same shape as an npm lockfile. */
async function resolveOtherLockfile(dir: string): Promise<LockedProject> {
  for (const name of ['yarn.lock', 'pnpm-lock.yaml']) {
    const path = join(dir, name);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const manifests = await workspaceManifests(dir);
    const projectName = manifests[0]?.name ?? 'project';
    let graph: LockGraph;
    try {
      graph =
        name === 'pnpm-lock.yaml'
          ? pnpmGraph(text, new Map(manifests.map((entry) => [entry.path, entry.name])))
          : /^__metadata:/m.test(text)
            ? yarnBerryGraph(text)
            : yarnClassicGraph(text, manifests);
    } catch (error) {
      throw new OcellusError('EUSAGE', `Cannot read ${path}: ${errorMessage(error)}`, { cause: error });
    }
    const { packages, roots } = graphPackages(graph, projectName);
    const offRegistry: LockedProject['offRegistry'] = [];
    for (const node of packages) {
      const kind = sourceKind(node.resolved);
      if (kind && node.resolved)
        offRegistry.push({ name: node.name, version: node.version, resolved: node.resolved, kind });
    }
    return { roots, packages, skippedForPlatform: [], offRegistry, lockfile: { path, name, text } };
  }
  throw new OcellusError(
    'EUSAGE',
    `${dir} has no lockfile to audit (package-lock.json, npm-shrinkwrap.json, yarn.lock or pnpm-lock.yaml).`,
    {
      hint: 'Create one without installing anything: npm install --package-lock-only --ignore-scripts',
    },
  );
}

type Node = Arborist.Node;
const real = (node: Node): Node => (node.isLink && node.target ? node.target : node);

function collectLocked(tree: Node): Omit<LockedProject, 'lockfile'> {
  const projectName = tree.packageName || 'project';
  const keyOf = (node: Node) => `${node.packageName}@${node.version}`;
  const graph = new Map<Node, GraphNode<string>>();
  const toGraph = (start: Node): GraphNode<string> => {
    const node = real(start);
    const cached = graph.get(node);
    if (cached) return cached;
    const graphNode: GraphNode<string> = {
      id: node === tree ? `${projectName}@root` : keyOf(node),
      label: node.packageName,
      get children() {
        const children: GraphNode<string>[] = [];
        for (const edge of node.edgesOut.values())
          if (edge.to && real(edge.to) !== tree) children.push(toGraph(edge.to));
        return children;
      },
    };
    graph.set(node, graphNode);
    return graphNode;
  };
  const { paths, truncated } = dependencyPaths([toGraph(tree)]);
  const packages = new Map<string, PackageNode>();
  const offRegistry: LockedProject['offRegistry'] = [];
  for (const node of tree.inventory.values()) {
    if (node === tree || node.isLink || node.isWorkspace || !node.version) continue;
    const key = keyOf(node);
    if (packages.has(key)) continue;
    const resolved = node.resolved ?? null;
    const kind = sourceKind(resolved);
    if (kind && resolved) offRegistry.push({ name: node.packageName, version: node.version, resolved, kind });
    packages.set(key, {
      name: node.packageName,
      version: node.version,
      integrity: node.integrity ?? null,
      resolved,
      paths: paths.get(key) ?? [[projectName, node.packageName]],
      pathsTruncated: truncated.has(key),
      optional: node.optional,
    });
  }
  const ordered = [...packages.values()].sort(
    (a, b) => (a.paths[0]?.length ?? 0) - (b.paths[0]?.length ?? 0) || a.name.localeCompare(b.name),
  );
  return { roots: [projectName], packages: ordered, skippedForPlatform: [], offRegistry };
}

function sourceKind(resolved: string | null): 'git' | 'remote' | 'file' | undefined {
  if (!resolved) return undefined;
  if (/^git\+|^git:|^github:|\.git(?:#|$)/.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  // A registry tarball URL ends in /-/<name>-<version>.tgz; anything else fetched over http is a remote tarball.
  if (/^https?:/.test(resolved) && !isRegistryTarball(resolved)) return 'remote';
  return undefined;
}

/** Pure: every name@version an npm lockfile (v1, v2 or v3) records, for --changed-only. */
export function lockedVersions(text: string): Set<string> {
  const found = new Set<string>();
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return found;
  }
  const packages = doc.packages as
    | Record<string, { version?: string; name?: string; link?: boolean }>
    | undefined;
  if (packages && typeof packages === 'object') {
    for (const [location, entry] of Object.entries(packages)) {
      if (!location || entry?.link || typeof entry?.version !== 'string') continue;
      const name =
        entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
      found.add(`${name}@${entry.version}`);
    }
    return found;
  }
  const visit = (dependencies: unknown) => {
    for (const [name, entry] of Object.entries(
      (dependencies as Record<string, { version?: string; dependencies?: unknown }>) ?? {},
    )) {
      if (typeof entry?.version === 'string') found.add(`${name}@${entry.version}`);
      visit(entry?.dependencies);
    }
  };
  visit(doc.dependencies);
  return found;
}

/** Pure: every name@version any supported lockfile records (by its file name), for --changed-only. */
export function lockedVersionsOf(name: string, text: string): Set<string> {
  if (name === 'yarn.lock') {
    const graph = /^__metadata:/m.test(text) ? yarnBerryGraph(text) : yarnClassicGraph(text, []);
    return new Set(graph.entries.keys());
  }
  if (name === 'pnpm-lock.yaml') return new Set(pnpmGraph(text, new Map()).entries.keys());
  return lockedVersions(text);
}

/** Pure: the line of each name@version's entry in any supported lockfile, for SARIF results that point at it. */
export function lockfileLines(text: string, name = 'package-lock.json'): Map<string, number> {
  if (name === 'yarn.lock' || name === 'pnpm-lock.yaml') return keyedLines(text);
  return npmLockfileLines(text);
}

/**
 * yarn (`"a@^1.0.0", a@^1.1.0:` then `version "1.2.0"` or `version: 1.2.0`) and pnpm (`/a@1.2.0:` or
 * `a@1.2.0(peer@1):`): an entry's key line, matched with the version it resolves to.
 */
function keyedLines(text: string): Map<string, number> {
  const located = new Map<string, number>();
  let pending: { names: string[]; line: number } | undefined;
  text.split('\n').forEach((line, index) => {
    const pnpm = /^\s{0,4}'?\/?((?:@[^/@\s']+\/)?[^@\s'/]+)@([0-9][^(:'\s]*)/.exec(line);
    if (pnpm?.[1] && pnpm[2] && line.trimEnd().endsWith(':')) {
      const id = `${pnpm[1]}@${pnpm[2]}`;
      if (!located.has(id)) located.set(id, index + 1);
    }
    if (/^"?[^\s#]/.test(line) && line.trimEnd().endsWith(':')) {
      const names = line
        .split(',')
        .map((part) => /^\s*"?((?:@[^/@\s"]+\/)?[^@\s"]+)@/.exec(part)?.[1])
        .filter((value): value is string => Boolean(value));
      pending = names.length > 0 ? { names, line: index + 1 } : undefined;
      return;
    }
    const version = /^\s+version:?\s+"?([^"\s]+)"?/.exec(line);
    if (pending && version?.[1]) {
      for (const entryName of pending.names) {
        const id = `${entryName}@${version[1]}`;
        if (!located.has(id)) located.set(id, pending.line);
      }
      pending = undefined;
    }
  });
  return located;
}

function npmLockfileLines(text: string): Map<string, number> {
  const lines = text.split('\n');
  const located = new Map<string, number>();
  let pending: { name: string; line: number } | undefined;
  lines.forEach((line, index) => {
    const key = /^\s*"((?:[^"]*node_modules\/)?((?:@[^/"]+\/)?[^/"]+))":\s*\{\s*$/.exec(line);
    if (key?.[2]) {
      pending = { name: key[2], line: index + 1 };
      return;
    }
    const version = /^\s*"version":\s*"([^"]+)"/.exec(line);
    if (pending && version?.[1]) {
      const id = `${pending.name}@${version[1]}`;
      if (!located.has(id)) located.set(id, pending.line);
      pending = undefined;
    }
  });
  return located;
}

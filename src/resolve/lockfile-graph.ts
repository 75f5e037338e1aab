import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { PackageNode } from '../model.js';
import { dependencyPaths, type GraphNode } from './dependency-paths.js';

/** One locked package: its exact version, what the lockfile says about its bytes, and what it depends on. */
export interface LockEntry {
  name: string;
  version: string;
  integrity: string | null;
  resolved: string | null;
  /** Ids (name@version) of the entries it depends on. */
  dependencies: string[];
}

/** A lockfile read into entries and importers (the project and each workspace with its direct dependencies). */
export interface LockGraph {
  importers: Array<{ name: string; dependencies: string[] }>;
  entries: Map<string, LockEntry>;
}

// A CommonJS module whose named exports ESM cannot see on every Node version (nor through every bundler's
// interop): require gives the same object everywhere.
const yarnLockfile = createRequire(import.meta.url)(
  '@yarnpkg/lockfile',
) as typeof import('@yarnpkg/lockfile');

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** `@scope/name@^1.0.0` → `@scope/name`. */
function nameOf(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? descriptor : descriptor.slice(0, at);
}

/** Pure: a yarn v1 (classic) lockfile plus the package.json of the project and each workspace. */
export function yarnClassicGraph(
  text: string,
  manifests: Array<{ name: string; manifest: Json }>,
): LockGraph {
  const parsed = yarnLockfile.parse(text);
  if (parsed.type !== 'success') throw new Error('yarn.lock has merge conflicts');
  const bySpec = new Map<string, string>();
  const entries = new Map<string, LockEntry>();
  const raw = parsed.object as unknown as Record<string, Json>;
  for (const [spec, value] of Object.entries(raw)) {
    const name = nameOf(spec);
    const version = String(value.version ?? '');
    const id = `${name}@${version}`;
    bySpec.set(spec, id);
    if (!entries.has(id)) {
      entries.set(id, {
        name,
        version,
        integrity: typeof value.integrity === 'string' ? value.integrity : null,
        resolved: typeof value.resolved === 'string' ? value.resolved : null,
        dependencies: [],
      });
    }
  }
  for (const [spec, value] of Object.entries(raw)) {
    const entry = entries.get(bySpec.get(spec) ?? '');
    if (!entry) continue;
    for (const field of ['dependencies', 'optionalDependencies'] as const) {
      for (const [dependency, range] of Object.entries(asObject(value[field]))) {
        const id = bySpec.get(`${dependency}@${range}`);
        if (id && !entry.dependencies.includes(id)) entry.dependencies.push(id);
      }
    }
  }
  const importers = manifests.map(({ name, manifest }) => ({
    name,
    dependencies: DEPENDENCY_FIELDS.flatMap((field) =>
      Object.entries(asObject(manifest[field])).flatMap(([dependency, range]) => {
        const id = bySpec.get(`${dependency}@${range}`);
        return id ? [id] : [];
      }),
    ),
  }));
  return { importers, entries };
}

/** Pure: a yarn berry (v2+) lockfile; workspaces are its `@workspace:` entries. Berry's checksums are not npm integrity. */
export function yarnBerryGraph(text: string): LockGraph {
  const doc = asObject(parseYaml(text));
  const bySpec = new Map<string, string>();
  const entries = new Map<string, LockEntry>();
  const importers: LockGraph['importers'] = [];
  const raw = Object.entries(doc).filter(([key]) => key !== '__metadata');
  const idOf = (resolution: string) => {
    const name = nameOf(resolution);
    const version = resolution.slice(name.length + 1).replace(/^npm:/, '');
    return { name, version, id: `${name}@${version}` };
  };
  for (const [keys, value] of raw) {
    const entry = asObject(value);
    const resolution = String(entry.resolution ?? '');
    const { name, version, id } = idOf(resolution);
    for (const spec of keys.split(/,\s*/))
      bySpec.set(spec.trim(), resolution.includes('@workspace:') ? `workspace:${name}` : id);
    if (resolution.includes('@workspace:') || !/^npm:/.test(resolution.slice(name.length + 1))) continue;
    entries.set(id, {
      name,
      version: String(entry.version ?? version),
      integrity: null,
      resolved: null,
      dependencies: [],
    });
  }
  const lookup = (dependency: string, range: string) =>
    bySpec.get(`${dependency}@${range}`) ?? bySpec.get(`${dependency}@npm:${range}`);
  for (const [, value] of raw) {
    const entry = asObject(value);
    const resolution = String(entry.resolution ?? '');
    const dependencies = [
      ...Object.entries(asObject(entry.dependencies)),
      ...Object.entries(asObject(entry.optionalDependencies)),
    ].flatMap(([dependency, range]) => {
      const id = lookup(dependency, String(range));
      return id && !id.startsWith('workspace:') ? [id] : [];
    });
    // The project itself (`@workspace:.`) is the first importer; the others are its workspaces.
    if (resolution.endsWith('@workspace:.')) importers.unshift({ name: nameOf(resolution), dependencies });
    else if (resolution.includes('@workspace:')) importers.push({ name: nameOf(resolution), dependencies });
    else {
      const target = entries.get(idOf(resolution).id);
      if (target) target.dependencies = dependencies;
    }
  }
  return { importers, entries };
}

/** Pure: a pnpm lockfile (v6 or v9); importers are its workspaces, named from their package.json when known. */
export function pnpmGraph(text: string, importerNames: ReadonlyMap<string, string>): LockGraph {
  const doc = asObject(parseYaml(text));
  const packages = asObject(doc.packages);
  const snapshots = asObject(doc.snapshots);
  // `/name@1.0.0(peer@2)` (v6) or `name@1.0.0(peer@2)` (v9) → name@1.0.0.
  const idOf = (key: string) => key.replace(/^\//, '').replace(/\(.*$/, '');
  const entries = new Map<string, LockEntry>();
  for (const [key, value] of Object.entries(packages)) {
    const id = idOf(key);
    const name = nameOf(id);
    const resolution = asObject(asObject(value).resolution);
    entries.set(id, {
      name,
      version: id.slice(name.length + 1),
      integrity: typeof resolution.integrity === 'string' ? resolution.integrity : null,
      resolved: typeof resolution.tarball === 'string' ? resolution.tarball : null,
      dependencies: [],
    });
  }
  const versionOf = (value: unknown) =>
    String(typeof value === 'object' ? asObject(value).version : (value ?? ''));
  const depIds = (dependencies: unknown) =>
    Object.entries(asObject(dependencies)).flatMap(([dependency, value]) => {
      const version = versionOf(value);
      if (version.startsWith('link:') || version.startsWith('workspace:')) return [];
      const id = version.startsWith('/') ? idOf(version) : `${dependency}@${version.replace(/\(.*$/, '')}`;
      return entries.has(id) ? [id] : [];
    });
  for (const [key, value] of Object.entries({ ...packages, ...snapshots })) {
    const entry = entries.get(idOf(key));
    if (!entry) continue;
    for (const id of [
      ...depIds(asObject(value).dependencies),
      ...depIds(asObject(value).optionalDependencies),
    ])
      if (!entry.dependencies.includes(id)) entry.dependencies.push(id);
  }
  const importers = Object.entries(asObject(doc.importers ?? { '.': doc })).map(([path, value]) => ({
    name: importerNames.get(path) ?? path,
    dependencies: DEPENDENCY_FIELDS.flatMap((field) => depIds(asObject(value)[field])),
  }));
  return { importers, entries };
}

/** Pure: a lock graph to the scanned packages, paths starting at the project, then the workspace. */
export function graphPackages(
  graph: LockGraph,
  projectName: string,
): { packages: PackageNode[]; roots: string[] } {
  const nodes = new Map<string, GraphNode<string>>();
  const toGraph = (id: string): GraphNode<string> => {
    const cached = nodes.get(id);
    if (cached) return cached;
    const entry = graph.entries.get(id);
    const node: GraphNode<string> = {
      id,
      label: entry?.name ?? id,
      get children() {
        return (entry?.dependencies ?? []).map(toGraph);
      },
    };
    nodes.set(id, node);
    return node;
  };
  const [root, ...workspaces] = graph.importers;
  const project: GraphNode<string> = {
    id: `${projectName}@root`,
    label: projectName,
    children: [
      ...(root?.dependencies ?? []).map(toGraph),
      ...workspaces.map((workspace) => ({
        id: `${workspace.name}@workspace`,
        label: workspace.name,
        children: workspace.dependencies.map(toGraph),
      })),
    ],
  };
  const { paths, truncated } = dependencyPaths([project]);
  const packages = [...graph.entries.entries()].map(
    ([id, entry]): PackageNode => ({
      name: entry.name,
      version: entry.version,
      integrity: entry.integrity,
      // A registry tarball URL (registry.yarnpkg.com, a mirror) is fetched as name@version through the user's
      // configured registry, with the lockfile's integrity; anything else keeps its source.
      resolved: entry.resolved && !isRegistryTarball(entry.resolved) ? entry.resolved : null,
      paths: paths.get(id) ?? [[projectName, entry.name]],
      pathsTruncated: truncated.has(id),
      optional: false,
    }),
  );
  packages.sort(
    (a, b) => (a.paths[0]?.length ?? 0) - (b.paths[0]?.length ?? 0) || a.name.localeCompare(b.name),
  );
  return { packages, roots: [projectName] };
}

/** The project's package.json and its workspaces' (`packages/*` and exact paths), for yarn classic and pnpm. */
export async function workspaceManifests(
  dir: string,
): Promise<Array<{ path: string; name: string; manifest: Json }>> {
  const read = async (folder: string) => {
    try {
      return asObject(JSON.parse(await readFile(join(folder, 'package.json'), 'utf8')));
    } catch {
      return undefined;
    }
  };
  const root = (await read(dir)) ?? {};
  const patterns = Array.isArray(root.workspaces)
    ? root.workspaces
    : Array.isArray(asObject(root.workspaces).packages)
      ? (asObject(root.workspaces).packages as unknown[])
      : await pnpmWorkspacePatterns(dir);
  const found = [{ path: '.', name: String(root.name ?? 'project'), manifest: root }];
  for (const pattern of patterns.filter((value): value is string => typeof value === 'string')) {
    const folders = pattern.endsWith('/*')
      ? (await readdir(join(dir, pattern.slice(0, -2)), { withFileTypes: true }).catch(() => []))
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(dir, pattern.slice(0, -2), entry.name))
      : [join(dir, pattern)];
    for (const folder of folders) {
      const manifest = await read(folder);
      if (manifest)
        found.push({
          path: relative(dir, folder).split('\\').join('/'),
          name: String(manifest.name ?? folder),
          manifest,
        });
    }
  }
  return found;
}

async function pnpmWorkspacePatterns(dir: string): Promise<unknown[]> {
  try {
    const doc = asObject(parseYaml(await readFile(join(dir, 'pnpm-workspace.yaml'), 'utf8')));
    return Array.isArray(doc.packages) ? doc.packages : [];
  } catch {
    return [];
  }
}

/** `https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#sha1`: a registry tarball, not a dependency from elsewhere. */
export function isRegistryTarball(resolved: string): boolean {
  return /^https?:\/\/[^#]*\/-\/[^/#]+\.tgz(?:#.*)?$/.test(resolved);
}

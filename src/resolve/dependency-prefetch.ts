import npa from 'npm-package-arg';
import pickManifest from 'npm-pick-manifest';
import type { Packument } from 'pacote';
import { isRegistryPackageName } from '../registry/packument.js';

/** The most names followed ahead of Arborist: real trees hold a few thousand; a hostile graph gets no more. */
const MAX_NAMES = 10_000;
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * Follows dependency ranges through registry documents as they arrive, and asks for the documents the
 * resolution will most likely need next, before Arborist gets to them.
 *
 * Arborist resolves one node at a time and fetches a node's dependencies only when it reaches that node, so a
 * cold resolution is a chain of round trips, one per level and per node (22 s of a 64 s cold scan of @vue/cli,
 * the CPU idle). Here each document that arrives is read at once: the version npm would pick for each range
 * asked of it (npm-pick-manifest, npm's own choice), then that version's dependencies are requested. A wrong
 * guess (Arborist dedupes to another version) costs one extra document; the tree is still Arborist's alone.
 */
export class DependencyPrefetch {
  /** Ranges asked of each name so far. */
  private readonly ranges = new Map<string, Set<string>>();
  private readonly arrived = new Map<string, Packument>();
  /** `name@version` whose dependencies were already asked for. */
  private readonly followed = new Set<string>();
  private open = true;

  constructor(
    /** Starts fetching one name's document (it must come back through `documentArrived`). */
    private readonly request: (name: string) => void,
    /** npm's options: the default tag, `before`, the Node version npm-pick-manifest prefers engines for. */
    private readonly pickOptions: Record<string, unknown>,
    /** Told each version picked (once per version): the tree will most likely hold it. */
    private readonly onPicked: (name: string, version: string) => void = () => {},
  ) {}

  /** A name and range the resolution needs (a spec the user gave, or a dependency of a followed version). */
  want(name: string, range: string): void {
    if (!this.open || !isRegistryPackageName(name)) return;
    let ranges = this.ranges.get(name);
    if (!ranges) {
      if (this.ranges.size >= MAX_NAMES) return;
      ranges = new Set();
      this.ranges.set(name, ranges);
      this.request(name);
    }
    if (ranges.has(range)) return;
    ranges.add(range);
    const document = this.arrived.get(name);
    if (document) this.follow(document, range);
  }

  /** A full registry document reached the cache (fetched by Arborist or by this prefetch). */
  documentArrived(document: Packument): void {
    if (!this.open || typeof document.name !== 'string' || this.arrived.has(document.name)) return;
    this.arrived.set(document.name, document);
    for (const range of this.ranges.get(document.name) ?? []) this.follow(document, range);
  }

  /** Resolution is over: nothing more is requested, and the documents are let go. */
  close(): void {
    this.open = false;
    this.arrived.clear();
  }

  private follow(document: Packument, range: string): void {
    let manifest: Record<string, unknown>;
    try {
      manifest = pickManifest(document, range, this.pickOptions);
    } catch {
      return; // no version matches: Arborist will report it
    }
    const id = `${document.name}@${String(manifest.version)}`;
    if (this.followed.has(id)) return;
    this.followed.add(id);
    this.onPicked(document.name, String(manifest.version));
    for (const [name, wanted] of dependencyRanges(manifest)) this.want(name, wanted);
  }
}

/** The registry names and ranges a manifest's installed dependencies ask for (bundled ones ship inside). */
export function dependencyRanges(manifest: Record<string, unknown>): Array<[string, string]> {
  const bundled = manifest.bundleDependencies ?? manifest.bundledDependencies;
  if (bundled === true) return [];
  const inside = new Set(Array.isArray(bundled) ? bundled.filter((name) => typeof name === 'string') : []);
  const peerMeta = (manifest.peerDependenciesMeta ?? {}) as Record<
    string,
    { optional?: unknown } | undefined
  >;
  const out: Array<[string, string]> = [];
  for (const field of DEPENDENCY_FIELDS) {
    const entries = manifest[field];
    if (!entries || typeof entries !== 'object') continue;
    for (const [name, range] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof range !== 'string' || inside.has(name)) continue;
      if (field === 'peerDependencies' && peerMeta[name]?.optional === true) continue;
      const target = registryTarget(name, range);
      if (target) out.push(target);
    }
  }
  return out;
}

/** `^1.2.0` → itself; `npm:other@^2` → the aliased name and range; git, file and URL specs → nothing to fetch. */
function registryTarget(name: string, range: string): [string, string] | undefined {
  const target = registryWanted(() => npa.resolve(name, range));
  return target ? [target.name, target.range] : undefined;
}

/**
 * The registry name and range a spec asks for (`@vue/cli`, `x@^2`, `alias@npm:x@2`), or nothing for git, file and
 * URL specs and for what npm-package-arg cannot read (Arborist reports those itself).
 */
export function registryWanted(parse: () => npa.Result): { name: string; range: string } | undefined {
  try {
    const parsed = parse();
    const spec = parsed.type === 'alias' ? (parsed as npa.AliasResult).subSpec : parsed;
    if ((spec.type === 'range' || spec.type === 'version' || spec.type === 'tag') && spec.name)
      return { name: spec.name, range: spec.fetchSpec ?? 'latest' };
  } catch {
    // not a spec npm would read either
  }
  return undefined;
}

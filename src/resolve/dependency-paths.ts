/**
 * Dependency paths from the scanned roots to every package, shortest first.
 *
 * The number of simple paths in a dependency graph can grow exponentially, so each package keeps at most
 * `maxPathsPerPackage`. Paths are found breadth-first, so the kept ones are the shortest; a package is
 * expanded at most that many times, which bounds the work on graphs with cycles and diamonds.
 */
export interface GraphNode<Id> {
  id: Id;
  label: string;
  children: Iterable<GraphNode<Id>>;
}

export interface PathsOf<Id> {
  paths: Map<Id, string[][]>;
  truncated: Set<Id>;
}

export function dependencyPaths<Id>(roots: Iterable<GraphNode<Id>>, maxPathsPerPackage = 10): PathsOf<Id> {
  const paths = new Map<Id, string[][]>();
  const truncated = new Set<Id>();
  type Entry = { node: GraphNode<Id>; labels: string[]; ids: Set<Id> };
  let frontier: Entry[] = [];
  for (const root of roots) frontier.push({ node: root, labels: [root.label], ids: new Set([root.id]) });

  while (frontier.length > 0) {
    const next: Entry[] = [];
    for (const entry of frontier) {
      const kept = paths.get(entry.node.id) ?? [];
      if (kept.length >= maxPathsPerPackage) {
        truncated.add(entry.node.id);
        continue;
      }
      kept.push(entry.labels);
      paths.set(entry.node.id, kept);
      for (const child of entry.node.children) {
        if (entry.ids.has(child.id)) continue; // a cycle: the path would revisit a package
        const ids = new Set(entry.ids);
        ids.add(child.id);
        next.push({ node: child, labels: [...entry.labels, child.label], ids });
      }
    }
    frontier = next;
  }
  return { paths, truncated };
}

import { describe, expect, it } from 'vitest';
import { dependencyPaths, type GraphNode } from '../../src/resolve/dependency-paths.js';

/** Builds graph nodes from an adjacency list: name → children names. */
function graph(edges: Record<string, string[]>): (name: string) => GraphNode<string> {
  const nodes = new Map<string, GraphNode<string>>();
  const get = (name: string): GraphNode<string> => {
    let node = nodes.get(name);
    if (!node) {
      node = {
        id: name,
        label: name,
        get children() {
          return (edges[name] ?? []).map(get);
        },
      };
      nodes.set(name, node);
    }
    return node;
  };
  return get;
}

describe('dependencyPaths', () => {
  it('gives a deep package its full path from the root', () => {
    const get = graph({
      server: ['docs-helper'],
      'docs-helper': ['markdown-parser'],
      'markdown-parser': ['data-collector'],
    });
    const { paths } = dependencyPaths([get('server')]);
    expect(paths.get('data-collector')).toEqual([
      ['server', 'docs-helper', 'markdown-parser', 'data-collector'],
    ]);
    expect(paths.get('server')).toEqual([['server']]);
  });

  it('lists every path to a shared package, shortest first', () => {
    const get = graph({ root: ['a', 'b', 'shared'], a: ['shared'], b: ['c'], c: ['shared'] });
    expect(dependencyPaths([get('root')]).paths.get('shared')).toEqual([
      ['root', 'shared'],
      ['root', 'a', 'shared'],
      ['root', 'b', 'c', 'shared'],
    ]);
  });

  it('terminates on cycles and never repeats a package within a path', () => {
    const get = graph({ root: ['a'], a: ['b'], b: ['a', 'c'], c: ['root'] });
    const { paths } = dependencyPaths([get('root')]);
    expect(paths.get('c')).toEqual([['root', 'a', 'b', 'c']]);
    for (const list of paths.values()) for (const path of list) expect(new Set(path).size).toBe(path.length);
  });

  it('caps paths per package on exponential diamonds and says so', () => {
    // 12 layers of 2-way diamonds: 4096 distinct paths to the bottom.
    const edges: Record<string, string[]> = { root: ['l0a', 'l0b'] };
    for (let layer = 0; layer < 12; layer++) {
      const next = layer === 11 ? ['bottom'] : [`l${layer + 1}a`, `l${layer + 1}b`];
      edges[`l${layer}a`] = next;
      edges[`l${layer}b`] = next;
    }
    const { paths, truncated } = dependencyPaths([graph(edges)('root')], 5);
    expect(paths.get('bottom')).toHaveLength(5);
    expect(truncated.has('bottom')).toBe(true);
  });

  it('starts paths at each of several roots', () => {
    const get = graph({ one: ['dep'], two: ['dep'] });
    expect(dependencyPaths([get('one'), get('two')]).paths.get('dep')).toEqual([
      ['one', 'dep'],
      ['two', 'dep'],
    ]);
  });
});

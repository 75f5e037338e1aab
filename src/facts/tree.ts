import type { EsNode } from './parse.js';

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'regex', 'bigint']);
const INDEX = Symbol('tree index');

export function isNode(value: unknown): value is EsNode {
  return !!value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** A node's child nodes in source order, appended to `out` (computed each time: see Tree). */
export function childNodes(node: EsNode, out: EsNode[] = []): EsNode[] {
  // for-in reads V8's cached key list where Object.keys copies it into a new array for every node. Own keys
  // come first and in the same order; the three parsers' nodes inherit no enumerable keys (meriyah's are plain
  // objects; acorn's and @babel/parser's prototypes were checked), and an inherited method would be skipped
  // below like any value that is not an object.
  for (const key in node) {
    const value = node[key];
    // Most values are strings, numbers, booleans or null: ruled out before the key is looked up.
    if (value === null || typeof value !== 'object' || SKIP_KEYS.has(key)) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

/**
 * A parsed file's nodes in pre-order, with each node's parent, enclosing function and subtree extent kept
 * as indices in typed arrays. A 9 MB bundle has about a million nodes: a cached child array on every node
 * plus Maps for parents and scopes cost more memory than the AST itself, where these arrays cost 12 bytes
 * a node. A node knows its own index through one symbol property (checked against `nodes`, so a node of
 * another tree is never mistaken for one of this one).
 */
export class Tree {
  /** Every node, in pre-order (children in source order); a node shared by two parents appears twice. */
  readonly nodes: EsNode[] = [];
  private parent: Int32Array;
  /** One past the index of a node's last descendant: a subtree is the range [index, end). */
  private end: Int32Array;
  /** The index of the function a node's code runs in, or 0 (the program). */
  private scope: Int32Array;

  constructor(readonly root: EsNode) {
    let capacity = 1024;
    let parent = new Int32Array(capacity);
    let end = new Int32Array(capacity);
    // Iterative (hostile nesting cannot overflow the stack): an open entry is a node and its parent's
    // index; a close entry (null) carries the index of the node whose subtree it ends.
    const pending: Array<EsNode | null> = [root];
    const numbers: number[] = [-1];
    const children: EsNode[] = [];
    while (pending.length > 0) {
      const node = pending.pop() as EsNode | null;
      const number = numbers.pop() as number;
      if (node === null) {
        end[number] = this.nodes.length;
        continue;
      }
      const index = this.nodes.length;
      if (index === capacity) {
        capacity *= 2;
        parent = grown(parent, capacity);
        end = grown(end, capacity);
      }
      this.nodes.push(node);
      parent[index] = number;
      (node as unknown as Record<symbol, number>)[INDEX] = index;
      pending.push(null);
      numbers.push(index);
      children.length = 0;
      childNodes(node, children);
      for (let i = children.length - 1; i >= 0; i--) {
        pending.push(children[i] as EsNode);
        numbers.push(index);
      }
    }
    const count = this.nodes.length;
    this.parent = parent.slice(0, count);
    this.end = end.slice(0, count);
    this.scope = new Int32Array(count);
    for (let i = 1; i < count; i++) {
      const p = this.parent[i] as number;
      this.scope[i] = isFunctionType((this.nodes[p] as EsNode).type) ? p : (this.scope[p] as number);
    }
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The node's index in `nodes` (its last place, if shared), or -1 when it is not in this tree. */
  indexOf(node: EsNode): number {
    const index = (node as unknown as Record<symbol, number | undefined>)[INDEX];
    return index !== undefined && this.nodes[index] === node ? index : -1;
  }

  parentOf(node: EsNode): EsNode | undefined {
    const index = this.indexOf(node);
    return index > 0 ? this.nodes[this.parent[index] as number] : undefined;
  }

  /** One past the index of the node's last descendant. */
  endOf(index: number): number {
    return this.end[index] as number;
  }

  parentIndex(index: number): number {
    return this.parent[index] as number;
  }

  /** The function (or program) a node's code runs in. A function's own node belongs to its parent's scope. */
  scopeOf(node: EsNode): EsNode {
    const index = this.indexOf(node);
    return index > 0 ? (this.nodes[this.scope[index] as number] as EsNode) : this.root;
  }

  /**
   * Visits a subtree in pre-order, up to `limit` nodes; nodes of the `opaque` types below the root are
   * visited but not entered.
   */
  walk(
    root: EsNode,
    visit: (node: EsNode) => void,
    limit = Number.POSITIVE_INFINITY,
    opaque?: ReadonlySet<string>,
  ): void {
    const start = this.indexOf(root);
    if (start < 0) {
      walkDetached(root, visit, limit, opaque);
      return;
    }
    const stop = this.end[start] as number;
    let visited = 0;
    for (let i = start; i < stop && visited < limit; ) {
      const node = this.nodes[i] as EsNode;
      visited++;
      visit(node);
      i = opaque && i !== start && opaque.has(node.type) ? (this.end[i] as number) : i + 1;
    }
  }
}

function isFunctionType(type: string): boolean {
  return (
    type === 'FunctionExpression' || type === 'ArrowFunctionExpression' || type === 'FunctionDeclaration'
  );
}

function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(capacity);
  next.set(array);
  return next;
}

/** The same walk over nodes outside the tree (none are expected: kept so a stray node is still read). */
function walkDetached(
  root: EsNode,
  visit: (node: EsNode) => void,
  limit: number,
  opaque?: ReadonlySet<string>,
): void {
  const stack: EsNode[] = [root];
  const children: EsNode[] = [];
  let visited = 0;
  while (stack.length > 0 && visited < limit) {
    const node = stack.pop() as EsNode;
    visited++;
    visit(node);
    if (opaque && node !== root && opaque.has(node.type)) continue;
    children.length = 0;
    childNodes(node, children);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as EsNode);
  }
}

import type { EsNode } from './parse.js';
import type { Tree } from './tree.js';

const FUNCTION_TYPES = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);

/**
 * Function-level scopes: which function (or the program) declares a name seen at a given node. Block
 * scopes are folded into their function, which is enough to keep minified code's reused one-letter
 * names (`n = 0` in one function, `n = require('./data')` in another) apart.
 */
export class Scopes {
  private readonly declared = new Map<EsNode, Set<string>>();
  private readonly program: EsNode;
  /** Per identifier node (by tree index): the index + 1 of the scope its own name resolves to, 0 when not yet known. */
  private readonly resolved: Int32Array;

  constructor(private readonly tree: Tree) {
    const program = tree.root;
    this.program = program;
    this.resolved = new Int32Array(tree.size);
    // The walk only dispatches: a loop body holding every case was optimised again for each new node shape.
    for (const node of tree.nodes) this.declareFrom(node);
  }

  /** The names one node declares, in the scope they belong to. */
  private declareFrom(node: EsNode): void {
    switch (node.type) {
      case 'VariableDeclarator':
        this.declare(this.scopeOf(node), patternNames(node.id as EsNode));
        break;
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if ((node.id as EsNode | null)?.type === 'Identifier')
          this.declare(this.scopeOf(node), [(node.id as EsNode).name as string]);
        if (node.type === 'FunctionDeclaration')
          this.declare(node, (node.params as EsNode[]).flatMap(patternNames));
        break;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.declare(node, (node.params as EsNode[]).flatMap(patternNames));
        if ((node.id as EsNode | null)?.type === 'Identifier')
          this.declare(node, [(node.id as EsNode).name as string]);
        break;
      case 'CatchClause':
        if (node.param) this.declare(this.scopeOf(node), patternNames(node.param as EsNode));
        break;
      case 'ImportDeclaration':
        for (const specifier of node.specifiers as EsNode[])
          this.declare(this.program, [(specifier.local as EsNode).name as string]);
        break;
    }
  }

  /** The function (or program) a node's code runs in. A function's own node belongs to its parent's scope. */
  scopeOf(node: EsNode): EsNode {
    return this.tree.scopeOf(node);
  }

  /** The scope that declares `name` as seen from `at`; the program when nothing does (an implicit global). */
  resolve(name: string, at: EsNode): EsNode {
    // Identifiers are resolved again and again (every round, every origin walk): remember the answer.
    const index = at.type === 'Identifier' && at.name === name ? this.tree.indexOf(at) : -1;
    if (index >= 0) {
      const known = this.resolved[index] as number;
      if (known > 0) return this.tree.nodes[known - 1] as EsNode;
    }
    const scope = this.lookup(name, at);
    if (index >= 0) {
      const scopeIndex = this.tree.indexOf(scope);
      if (scopeIndex >= 0) this.resolved[index] = scopeIndex + 1;
    }
    return scope;
  }

  private lookup(name: string, at: EsNode): EsNode {
    let scope = FUNCTION_TYPES.has(at.type) ? at : this.scopeOf(at);
    for (let hops = 0; hops < 10_000; hops++) {
      if (this.declared.get(scope)?.has(name) || scope === this.program) return scope;
      scope = this.scopeOf(scope);
    }
    return this.program;
  }

  /** Whether anything in the file declares `name` in that scope (parameters included). */
  declares(scope: EsNode, name: string): boolean {
    return this.declared.get(scope)?.has(name) ?? false;
  }

  private declare(scope: EsNode, names: string[]): void {
    let set = this.declared.get(scope);
    if (!set) {
      set = new Set();
      this.declared.set(scope, set);
    }
    for (const name of names) set.add(name);
  }
}

/** Names a binding pattern introduces: `a`, `{ b: c, ...d }`, `[e = 1, f]`. */
export function patternNames(pattern: EsNode | null | undefined): string[] {
  if (!pattern) return [];
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name as string];
    case 'ObjectPattern':
      return (pattern.properties as EsNode[]).flatMap((property) =>
        property.type === 'RestElement'
          ? patternNames(property.argument as EsNode)
          : patternNames(property.value as EsNode),
      );
    case 'ArrayPattern':
      return (pattern.elements as Array<EsNode | null>).flatMap((element) => patternNames(element));
    case 'AssignmentPattern':
      return patternNames(pattern.left as EsNode);
    case 'RestElement':
      return patternNames(pattern.argument as EsNode);
    default:
      return [];
  }
}

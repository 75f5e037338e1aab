import { type ConstantLookup, type Folded, fold, foldNamedCall } from './fold.js';
import { keptForCallee } from './kept-calls.js';
import { LineIndex } from './line-index.js';
import type {
  AccessFact,
  AssignmentFact,
  CallFact,
  FileSignals,
  JsFileFacts,
  ModuleUse,
  ObjectFact,
  Origin,
  Position,
  StringFact,
  ToolFact,
  ValueFact,
} from './model.js';
import {
  canonicalCallee,
  GLOBAL_ROOTS,
  isDecoder,
  isExec,
  isFileRead,
  isHostInfo,
  isNetwork,
  KNOWN_GLOBALS,
  normalizeModule,
} from './names.js';
import type { EsNode } from './parse.js';
import { Scopes } from './scopes.js';
import { sensitivePathsIn } from './sensitive-paths.js';
import { Tree } from './tree.js';

/** What a variable holds, as far as a single file-wide pass can tell (shadowing is ignored on purpose). */
interface Binding {
  ref?: string;
  constant?: Folded;
  origins: Set<Origin>;
  /** The value is (or is built from) a credential or wallet path: `join(homedir(), '.npmrc')`. */
  sensitivePath?: boolean;
  /** A small function returning one expression (`function e(r) { return ... }`), for folding calls to it. */
  fn?: { params: string[]; body: EsNode };
  /** The function a name is bound to, whatever its shape. */
  fnNode?: EsNode;
  /** Obtained through a computed key (`global['ev' + 'al']`): the name hides what it holds. */
  hidden?: boolean;
}

const MUTATORS = new Set(['append', 'push', 'unshift', 'set', 'add', 'write']);
const ITERATION = new Set(['forEach', 'map', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find', 'then']);
const FUNCTION_TYPES = new Set(['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration']);
/** The node types resolveBindings learns bindings from. */
const BINDER_TYPES = new Set([
  'VariableDeclarator',
  'AssignmentExpression',
  'ForOfStatement',
  'ForInStatement',
  'ImportDeclaration',
  'CallExpression',
]);
/**
 * Globals a file may define a function of its own under. Not require, eval or Function: a local wrapper named
 * like them would hide every call made through it.
 */
const SHADOWED_BY_LOCAL_FUNCTIONS = new Set(['fetch']);
const MAX_STRINGS = 20_000;
/** MCP declarations kept per file, and the longest description kept (the model reads all of it). */
const MAX_TOOLS = 500;
const MAX_DESCRIPTION = 20_000;
const MAX_STRING_KEPT = 4_096;
const NO_ORIGINS: ReadonlySet<Origin> = new Set();
/** What `extract` gathers while it walks a file, filled by one method per kind of node. */
interface Extracted {
  imports: ModuleUse[];
  calls: CallFact[];
  accesses: AccessFact[];
  assignments: AssignmentFact[];
  strings: StringFact[];
  valueRefs: JsFileFacts['valueRefs'];
  objects: ObjectFact[];
  tools: ToolFact[];
  hexIdentifiers: number;
  stringArray: boolean;
  escapedChars: number;
}

/** Twenty or more string literals in one array: the table an obfuscator reads its strings from. */
function isStringArray(node: EsNode): boolean {
  const elements = node.elements as Array<EsNode | null>;
  return (
    elements.length >= 20 &&
    elements.every((element) => element?.type === 'Literal' && typeof element.value === 'string')
  );
}

/**
 * The one empty list that every argument without origins or refs shares (nearly all of a bundle's: two
 * arrays for each of 130,000 arguments in typescript.js were a sixth of its facts' memory). Frozen, so a
 * consumer that tried to add to it would fail loudly instead of changing every other argument's list.
 */
const NONE = Object.freeze([]) as unknown as never[];
const listOf = <T>(set: ReadonlySet<T>): T[] => (set.size > 0 ? [...set] : NONE);

/**
 * Extracts what one parsed file does: modules it loads, calls with their canonical callee and what flows
 * into each argument, environment access, global hooks, and every string (literal or folded).
 */
export class FactExtractor implements ConstantLookup {
  /** Bindings per scope (function or program), then per name. */
  private readonly bindings = new Map<EsNode, Map<string, Binding>>();
  private readonly scopes: Scopes;
  private reassigned: (binding: Binding) => boolean = () => false;
  private readonly networkCallbacks = new Set<EsNode>();
  private readonly tree: Tree;
  private readonly nodes: readonly EsNode[];
  private readonly lines: LineIndex;
  /**
   * originsOf answers per tree node, valid while originStamp[node] is originGeneration (bumped whenever a
   * binding changes): none (most nodes) is undefined in originOf.
   */
  private readonly originStamp: Int32Array;
  private readonly originOf: Array<ReadonlySet<Origin> | undefined>;
  private originGeneration = 1;
  /** Per identifier node (by tree index): its binding, once one exists (see bindingAt). */
  private readonly bindingOfNode: Array<Binding | undefined>;
  /**
   * Per identifier node: bindingsCreated + 1 when it was found to have no binding (globals, most names of a
   * bundle), which stays true until another binding is created.
   */
  private readonly unboundAt: Int32Array;
  private bindingsCreated = 0;

  constructor(
    private readonly text: string,
    private readonly program: EsNode,
    private readonly moduleConstant?: (specifier: string) => Folded | undefined,
    lines?: LineIndex,
    /** Keep a fact for every call, read or not (see kept-calls.ts): tests compare the checks both ways. */
    private readonly everyCall = false,
  ) {
    this.lines = lines ?? new LineIndex(text);
    this.tree = new Tree(program);
    this.nodes = this.tree.nodes;
    this.originStamp = new Int32Array(this.tree.size);
    this.originOf = new Array(this.tree.size);
    this.bindingOfNode = new Array(this.tree.size);
    this.unboundAt = new Int32Array(this.tree.size);
    this.scopes = new Scopes(this.tree);
    for (const node of this.nodes) this.collectFunction(node);
  }

  /** The binding of `name` as seen at `at`, honouring function scopes; created on demand when asked. */
  private bindingAt(name: string, at: EsNode, create = false): Binding | undefined {
    // An identifier's scope and name never change and bindings are never removed: once found, its binding is
    // read from one array slot instead of a scope lookup and two maps (every identifier is read many times).
    const index = at.type === 'Identifier' && at.name === name ? this.tree.indexOf(at) : -1;
    if (index >= 0) {
      const known = this.bindingOfNode[index];
      if (known) return known;
      if (!create && this.unboundAt[index] === this.bindingsCreated + 1) return undefined;
    }
    const binding = this.findBinding(name, at, create);
    if (index >= 0) {
      if (binding) this.bindingOfNode[index] = binding;
      else this.unboundAt[index] = this.bindingsCreated + 1;
    }
    return binding;
  }

  private findBinding(name: string, at: EsNode, create: boolean): Binding | undefined {
    const scope = this.scopes.resolve(name, at);
    let table = this.bindings.get(scope);
    if (!table) {
      if (!create) return undefined;
      table = new Map();
      this.bindings.set(scope, table);
    }
    let binding = table.get(name);
    if (!binding && create) {
      binding = { origins: new Set() };
      table.set(name, binding);
      this.bindingsCreated++;
    }
    return binding;
  }

  private collectFunction(node: EsNode): void {
    let id: EsNode | undefined;
    let fn: EsNode | undefined;
    if (node.type === 'FunctionDeclaration' && (node.id as EsNode | null)?.type === 'Identifier') {
      id = node.id as EsNode;
      fn = node;
    } else if (node.type === 'VariableDeclarator' && (node.id as EsNode).type === 'Identifier') {
      const init = node.init as EsNode | null;
      if (init && (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression')) {
        id = node.id as EsNode;
        fn = init;
      }
    }
    if (!id || !fn) return;
    const named = this.bindingAt(id.name as string, node.type === 'FunctionDeclaration' ? node : id, true);
    if (named) named.fnNode = fn;
    const params = fn.params as EsNode[];
    if (!params.every((param) => param.type === 'Identifier')) return;
    let body = fn.body as EsNode;
    if (body.type === 'BlockStatement') {
      const statements = body.body as EsNode[];
      if (statements.length !== 1 || statements[0]?.type !== 'ReturnStatement') return;
      body = statements[0].argument as EsNode;
      if (!body) return;
    }
    // A function declaration's name lives in the enclosing scope: resolve it from the declaration itself.
    const binding = this.bindingAt(id.name as string, node.type === 'FunctionDeclaration' ? node : id, true);
    if (binding) binding.fn = { params: params.map((param) => param.name as string), body };
  }

  constantOf(name: string, at?: EsNode): Folded | undefined {
    return this.bindingAt(name, at ?? this.program)?.constant;
  }

  /**
   * `e('2e2f74...')` where `function e(r) { return Buffer.from(r, 'hex').toString() }`: small local
   * functions that return one expression are folded with their arguments (obfuscators' decoders), and
   * `require('./data')` folds to what that package file exports when it is a constant.
   */
  callConstant(call: EsNode, depth: number): Folded | undefined {
    const callee = call.callee as EsNode;
    if (callee.type !== 'Identifier' || depth > 30) return undefined;
    const name = callee.name as string;
    const args = call.arguments as EsNode[];
    if (this.refOf(callee) === 'require') {
      const specifier = fold(args[0], this, depth + 1)?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return undefined;
      return this.moduleConstant?.(specifier);
    }
    // An alias of a decoding builtin: `const decode = typeof atob === 'function' ? atob : ...`.
    const alias = this.bindingAt(name, callee)?.ref;
    if (alias && alias !== name) {
      const folded = foldNamedCall(alias, args, (child) => fold(child as EsNode, this, depth + 1));
      if (folded) return folded;
    }
    const fn = this.bindingAt(name, callee)?.fn;
    if (!fn || fn.params.length < args.length) return undefined;
    const values = new Map<string, Folded>();
    for (let i = 0; i < args.length; i++) {
      const value = fold(args[i], this, depth + 1);
      if (!value) return undefined;
      values.set(fn.params[i] as string, value);
    }
    const scope: ConstantLookup = {
      constantOf: (param, at) => values.get(param) ?? this.constantOf(param, at),
      callConstant: (inner, innerDepth) => this.callConstant(inner, innerDepth),
    };
    return fold(fn.body, scope, depth + 1);
  }

  /** What `module.exports = <constant>` makes this file export, for files that require it. */
  exportsConstant(): Folded | undefined {
    for (const node of this.nodes) {
      if (node.type !== 'AssignmentExpression' || node.operator !== '=') continue;
      if (this.refOf(node.left as EsNode) !== 'module.exports') continue;
      return fold(node.right as EsNode, this);
    }
    return undefined;
  }

  extract(path: string): Omit<JsFileFacts, 'parse' | 'parseError' | 'signals'> & {
    hexIdentifiers: number;
    stringArray: boolean;
    escapedChars: number;
  } {
    this.resolveBindings();
    const out: Extracted = {
      imports: [],
      calls: [],
      accesses: [],
      assignments: [],
      strings: [],
      valueRefs: [],
      objects: [],
      tools: [],
      hexIdentifiers: 0,
      stringArray: false,
      escapedChars: 0,
    };
    const inNetworkCallback = this.networkCallbackNodes();
    // One small method per kind of node, not one function holding them all: V8 optimises this loop's body
    // again each time a node of a new shape reaches code compiled for fewer, and recompiling everything took
    // about a third of a cold scan's CPU (each worker thread compiles it again).
    for (const node of this.nodes) {
      switch (node.type) {
        case 'ImportDeclaration':
          this.importFact(node, out);
          break;
        case 'ImportExpression':
          this.dynamicImportFact(node, out);
          break;
        case 'CallExpression':
        case 'NewExpression':
          this.callFact(node, out, inNetworkCallback);
          break;
        case 'MemberExpression':
          this.envAccessFact(node, out);
          break;
        case 'ObjectExpression':
          this.objectFact(node, out);
          break;
        case 'AssignmentExpression':
          this.assignmentFact(node, out);
          break;
        case 'Literal':
          this.literalFact(node, out);
          break;
        case 'TemplateLiteral':
        case 'BinaryExpression':
          this.stringFact(node, out);
          break;
        case 'Identifier':
          this.identifierFact(node, out);
          break;
        case 'ArrayExpression':
          if (isStringArray(node)) out.stringArray = true;
          break;
      }
    }
    this.collectFoldedCalls(out.strings);
    return {
      path,
      size: this.text.length,
      imports: out.imports,
      calls: out.calls,
      accesses: out.accesses,
      assignments: out.assignments,
      strings: out.strings,
      objects: out.objects,
      tools: out.tools,
      valueRefs: out.valueRefs,
      hexIdentifiers: out.hexIdentifiers,
      stringArray: out.stringArray,
      escapedChars: out.escapedChars,
    };
  }

  private importFact(node: EsNode, out: Extracted): void {
    const source = (node.source as EsNode).value;
    if (typeof source === 'string')
      out.imports.push({
        module: normalizeModule(source),
        how: 'import',
        computed: false,
        ...this.at(node),
      });
  }

  /**
   * A path built from the file's own folder, as `./…`: `__dirname + '/lib/x.dat'`, `${__dirname}/lib/x.dat`,
   * `path.join(__dirname, 'lib', 'x.dat')` or `path.resolve(__dirname, …)` (what a loader names its payload by).
   */
  private besideFile(arg: EsNode | undefined): string | undefined {
    if (!arg) return undefined;
    const isDirname = (node: EsNode | undefined) =>
      node?.type === 'Identifier' && node.name === '__dirname' && !this.bindingAt('__dirname', node);
    const text = (node: EsNode | undefined) => {
      const value = node ? fold(node, this)?.value : undefined;
      return typeof value === 'string' ? value : undefined;
    };
    let rest: Array<string | undefined> | undefined;
    if (arg.type === 'BinaryExpression' && arg.operator === '+' && isDirname(arg.left as EsNode)) {
      rest = [text(arg.right as EsNode)];
    } else if (arg.type === 'TemplateLiteral') {
      const quasis = arg.quasis as EsNode[];
      const expressions = arg.expressions as EsNode[];
      const cooked = (quasi: EsNode | undefined) => (quasi?.value as { cooked?: string } | undefined)?.cooked;
      if (expressions.length === 1 && isDirname(expressions[0]) && cooked(quasis[0]) === '')
        rest = [cooked(quasis[1])];
    } else if (arg.type === 'CallExpression') {
      const callee = this.refOf(arg.callee as EsNode);
      const args = arg.arguments as EsNode[];
      if ((callee === 'path.join' || callee === 'path.resolve') && isDirname(args[0]))
        rest = args.slice(1).map(text);
    }
    if (!rest || rest.length === 0 || rest.some((part) => part === undefined)) return undefined;
    const joined = rest.join('/').replace(/\/+/g, '/').replace(/^\//, '');
    return joined.startsWith('../') ? joined : `./${joined.replace(/^\.\//, '')}`;
  }

  private dynamicImportFact(node: EsNode, out: Extracted): void {
    const folded = fold(node.source as EsNode, this);
    out.imports.push({
      module: typeof folded?.value === 'string' ? normalizeModule(folded.value) : '?',
      how: 'dynamic-import',
      computed: (node.source as EsNode).type !== 'Literal',
      ...this.at(node),
    });
  }

  private callFact(node: EsNode, out: Extracted, inNetworkCallback: (node: EsNode) => boolean): void {
    const { imports, calls, strings, assignments, tools } = out;
    const callee = node.callee as EsNode;
    const ref = this.refOf(callee);
    if (ref === 'require' && node.type === 'CallExpression') {
      const arg = (node.arguments as EsNode[])[0];
      const folded = fold(arg, this);
      imports.push({
        module:
          typeof folded?.value === 'string' ? normalizeModule(folded.value) : (this.besideFile(arg) ?? '?'),
        how: 'require',
        computed: arg?.type !== 'Literal',
        ...this.at(node),
      });
    }
    let name = ref !== undefined ? canonicalCallee(ref) : this.writtenCallee(callee);
    const written = this.excerpt(callee, 80);
    const hidden =
      isComputedAccess(callee) ||
      (callee.type === 'Identifier' && !!this.bindingAt(callee.name as string, callee)?.hidden);
    const given = (node.arguments as EsNode[]).slice(0, 8);
    const kept =
      this.everyCall ||
      keptForCallee({ resolved: ref !== undefined, name, written, hidden }) ||
      given.some(
        (arg) => this.originsOf(arg.type === 'SpreadElement' ? (arg.argument as EsNode) : arg).size > 0,
      );
    if (!kept) {
      const declared = this.toolFromCall(node, name);
      if (declared && tools.length < MAX_TOOLS) tools.push(declared);
      return;
    }
    let args = given.map((arg) => this.describe(arg, 0));
    // `eval.call(null, code)`, `exec.apply(cp, [cmd])`, `Reflect.apply(eval, null, [code])`: the call underneath.
    if (ref !== undefined && /\.(?:call|apply)$/.test(name) && name !== 'Reflect.apply') {
      const isApply = name.endsWith('.apply');
      name = name.slice(0, name.lastIndexOf('.'));
      args = isApply ? (args[1]?.elements ?? []) : args.slice(1);
    } else if (name === 'Reflect.apply') {
      const target = this.refOf((node.arguments as EsNode[])[0]);
      if (target !== undefined) {
        name = canonicalCallee(target);
        args = args[2]?.elements ?? [];
      }
    }
    calls.push({
      callee: name,
      written,
      isNew: node.type === 'NewExpression',
      hidden,
      args,
      inNetworkCallback: inNetworkCallback(node),
      ...this.at(node),
    });
    const declared = this.toolFromCall(node, name);
    if (declared && tools.length < MAX_TOOLS) tools.push(declared);
    if (/^path\.(?:posix\.|win32\.)?(?:join|resolve)$/.test(name) && strings.length < MAX_STRINGS) {
      // `join(env.APPDATA, 'discord', 'Local Storage', 'leveldb')`: the path is only visible joined.
      const joined = args.map((arg) => arg.value ?? '…').join('/');
      if (args.length > 1 && joined.length >= 3)
        strings.push({
          value: joined.slice(0, MAX_STRING_KEPT),
          derived: true,
          decoded: false,
          ...this.at(node),
        });
    }
    if (name === 'Object.defineProperty' || name === 'Reflect.defineProperty') {
      const target = this.refOf((node.arguments as EsNode[])[0]);
      const key = fold((node.arguments as EsNode[])[1], this)?.value;
      if (target !== undefined && typeof key === 'string') {
        assignments.push({
          target: target ? `${target}.${key}` : key,
          via: 'defineProperty',
          ...this.at(node),
        });
      }
    }
  }

  private envAccessFact(node: EsNode, out: Extracted): void {
    const ref = this.refOf(node);
    if (ref === undefined || !ref.startsWith('process.env')) return;
    const parent = this.tree.parentOf(node);
    if (parent?.type === 'MemberExpression' && parent.object === node) return; // the longer path is recorded
    const whole = ref === 'process.env';
    out.accesses.push({
      path: ref,
      whole,
      ...(whole ? { context: this.useOf(node) } : {}),
      ...this.at(node),
    });
  }

  private objectFact(node: EsNode, out: Extracted): void {
    const object = this.emailObject(node);
    if (object && out.objects.length < 1_000) out.objects.push(object);
    const listed = this.toolFromObject(node);
    if (listed && out.tools.length < MAX_TOOLS) out.tools.push(listed);
  }

  private assignmentFact(node: EsNode, out: Extracted): void {
    const left = node.left as EsNode;
    if (left.type !== 'MemberExpression') return;
    const key = left.computed ? fold(left.property as EsNode, this)?.value : (left.property as EsNode).name;
    const assigned = fold(node.right as EsNode, this)?.value;
    if (
      typeof key === 'string' &&
      typeof assigned === 'string' &&
      assigned.includes('@') &&
      out.objects.length < 1_000
    ) {
      out.objects.push({ properties: { [key]: assigned }, via: 'assignment', ...this.at(node) });
    }
    const target = this.refOf(left);
    if (target) out.assignments.push({ target, via: 'assign', ...this.at(node) });
  }

  private literalFact(node: EsNode, out: Extracted): void {
    const value = node.value;
    if (typeof value !== 'string') return;
    if (out.escapedChars < 100_000) {
      const raw = this.text.slice(node.start, Math.min(node.end, node.start + 100_000));
      if (raw.includes('\\')) out.escapedChars += countEscapes(raw);
    }
    if (out.strings.length < MAX_STRINGS && value.length >= 3) {
      out.strings.push({
        value: value.slice(0, MAX_STRING_KEPT),
        derived: false,
        decoded: false,
        ...this.at(node),
      });
    }
  }

  /** A string built from parts (`'ht' + 'tp'`, a template): the outermost expression, folded. */
  private stringFact(node: EsNode, out: Extracted): void {
    const { strings } = out;
    if (strings.length >= MAX_STRINGS) return;
    const parent = this.tree.parentOf(node);
    if (parent && (parent.type === 'BinaryExpression' || parent.type === 'TemplateLiteral')) return;
    const folded = fold(node, this);
    if (typeof folded?.value === 'string' && folded.value.length >= 3) {
      strings.push(this.foldedString(node, folded.value, folded.decoded));
    } else if (node.type === 'TemplateLiteral') {
      // Partly dynamic templates still name hosts and paths in their constant parts.
      for (const quasi of node.quasis as EsNode[]) {
        const cooked = (quasi.value as { cooked?: string })?.cooked;
        if (cooked && cooked.length >= 3)
          strings.push({
            value: cooked.slice(0, MAX_STRING_KEPT),
            derived: false,
            decoded: false,
            ...this.at(quasi),
          });
      }
    }
  }

  private identifierFact(node: EsNode, out: Extracted): void {
    const name = node.name as string;
    // The first character rules out nearly every name before the pattern runs.
    if (name.charCodeAt(0) === 95 && /^_0x[0-9a-f]{3,}$/i.test(name)) out.hexIdentifiers++;
    if ((name === 'eval' || name === 'Function') && this.isValueUse(node)) {
      const parent = this.tree.parentOf(node) as EsNode;
      const context =
        parent.type === 'CallExpression' ? this.writtenCallee(parent.callee as EsNode) : parent.type;
      out.valueRefs.push({ name, context, ...this.at(node) });
    }
  }

  /** Strings produced by calls that fold (`atob('...')`, `String.fromCharCode(...)`, `[...].join('')`). */
  private collectFoldedCalls(strings: StringFact[]): void {
    for (const node of this.nodes) {
      if (strings.length >= MAX_STRINGS) return;
      if (node.type !== 'CallExpression') continue;
      const parent = this.tree.parentOf(node);
      // Only the outermost call of a chain (`x.split('').reverse().join('')`).
      if (parent?.type === 'MemberExpression' && parent.object === node) continue;
      const folded = fold(node, this);
      if (typeof folded?.value === 'string' && folded.value.length >= 3) {
        strings.push(this.foldedString(node, folded.value, folded.decoded));
      }
    }
  }

  /** An object literal with an email-like constant, keys and constant values kept. */
  private emailObject(node: EsNode): ObjectFact | undefined {
    const properties: ObjectFact['properties'] = {};
    let hasEmail = false;
    for (const property of (node.properties as EsNode[]).slice(0, 60)) {
      if (property.type !== 'Property') continue;
      const keyNode = property.key as EsNode;
      const key = property.computed ? fold(keyNode, this)?.value : (keyNode.name ?? keyNode.value);
      if (typeof key !== 'string') continue;
      const folded = fold(property.value as EsNode, this)?.value;
      const value = typeof folded === 'string' ? folded : Array.isArray(folded) ? folded.map(String) : null;
      if ((typeof value === 'string' ? [value] : (value ?? [])).some((item) => item.includes('@')))
        hasEmail = true;
      properties[key] = value;
    }
    return hasEmail ? { properties, via: 'literal', ...this.at(node) } : undefined;
  }

  private foldedString(node: EsNode, value: string, decoded: boolean): StringFact {
    return { value: value.slice(0, MAX_STRING_KEPT), derived: true, decoded, ...this.at(node) };
  }

  private at(node: EsNode): Position {
    return this.lines.locate(node.start);
  }

  private excerpt(node: EsNode, max = 160): string {
    const raw = this.text.slice(node.start, Math.min(node.end, node.start + max * 2));
    const oneLine = raw.replace(/\s+/g, ' ');
    return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  }

  private writtenCallee(callee: EsNode): string {
    if (callee.type === 'MemberExpression') {
      const property = callee.computed
        ? fold(callee.property as EsNode, this)?.value
        : (callee.property as EsNode).name;
      const object = this.refOf(callee.object as EsNode);
      return `${object ?? '<expr>'}.${typeof property === 'string' ? property : '<computed>'}`;
    }
    if (callee.type === 'Identifier') {
      const name = callee.name as string;
      // A file's own function named like a global (see SHADOWED_BY_LOCAL_FUNCTIONS) is not that global.
      return SHADOWED_BY_LOCAL_FUNCTIONS.has(name) && this.bindingAt(name, callee)?.fnNode
        ? `local ${name}`
        : name;
    }
    return '<expr>';
  }

  /** Whether an identifier is used as a value (passed, assigned) rather than called or declared. */
  private isValueUse(node: EsNode): boolean {
    const parent = this.tree.parentOf(node);
    if (!parent) return false;
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node)
      return false;
    if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return false;
    if (parent.type === 'Property' && parent.key === node) return false;
    if (parent.type === 'VariableDeclarator' && parent.id === node) return false;
    return (
      parent.type === 'CallExpression' ||
      parent.type === 'VariableDeclarator' ||
      parent.type === 'AssignmentExpression' ||
      parent.type === 'SequenceExpression'
    );
  }

  /** How a whole `process.env` is used: serialised, iterated, spread, passed to a call. */
  private useOf(node: EsNode): string {
    const parent = this.tree.parentOf(node);
    if (!parent) return 'value';
    if (parent.type === 'SpreadElement') return 'spread';
    if (parent.type === 'CallExpression' || parent.type === 'NewExpression') {
      const callee = this.refOf(parent.callee as EsNode) ?? this.writtenCallee(parent.callee as EsNode);
      return `argument of ${canonicalCallee(callee)}`;
    }
    if (parent.type === 'Property') {
      const key = (parent.key as EsNode).name ?? (parent.key as EsNode).value;
      const grand = this.tree.parentOf(parent);
      const call = grand ? this.tree.parentOf(grand) : undefined;
      if (call && (call.type === 'CallExpression' || call.type === 'NewExpression')) {
        const callee = this.refOf(call.callee as EsNode) ?? this.writtenCallee(call.callee as EsNode);
        return `property ${String(key)} in argument of ${canonicalCallee(callee)}`;
      }
      return `property ${String(key)}`;
    }
    if (parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') return 'iterated';
    return parent.type === 'VariableDeclarator' ? 'assigned' : 'value';
  }

  /**
   * The canonical name an expression refers to: `child_process.exec` for `cp.exec` after
   * `const cp = require('child' + '_process')`, `eval` for `global['ev' + 'al']`, `process.env`.
   */
  refOf(node: EsNode | undefined, depth = 0): string | undefined {
    if (!node || depth > 50) return undefined;
    switch (node.type) {
      case 'Identifier':
        return this.identifierRef(node);
      case 'MemberExpression':
        return this.memberRef(node, depth);
      case 'CallExpression':
        return this.callRef(node, depth);
      case 'NewExpression': {
        const callee = this.refOf(node.callee as EsNode, depth + 1);
        return callee === undefined ? undefined : `${callee}()`;
      }
      case 'AwaitExpression':
        return this.refOf(node.argument as EsNode, depth + 1);
      case 'ImportExpression': {
        const folded = fold(node.source as EsNode, this);
        return typeof folded?.value === 'string' ? normalizeModule(folded.value) : undefined;
      }
      case 'ChainExpression':
      case 'ParenthesizedExpression':
        return this.refOf(node.expression as EsNode, depth + 1);
      case 'SequenceExpression': {
        const list = node.expressions as EsNode[];
        return this.refOf(list[list.length - 1], depth + 1);
      }
      case 'LogicalExpression':
        return this.refOf(node.left as EsNode, depth + 1) ?? this.refOf(node.right as EsNode, depth + 1);
      case 'ConditionalExpression':
        // `typeof window !== 'undefined' ? window : globalThis`
        return (
          this.refOf(node.consequent as EsNode, depth + 1) ?? this.refOf(node.alternate as EsNode, depth + 1)
        );
      default:
        return undefined;
    }
  }

  private identifierRef(node: EsNode): string | undefined {
    const name = node.name as string;
    const binding = this.bindingAt(name, node);
    if (binding?.ref !== undefined) return binding.ref;
    // `function fetch(tag, nodes) {...}` (domutils): a local helper, not the network. What it does inside
    // is read like any other code, so a wrapper around the real fetch is still seen there.
    if (binding?.fnNode && SHADOWED_BY_LOCAL_FUNCTIONS.has(name)) return undefined;
    if (GLOBAL_ROOTS.has(name)) return '';
    return KNOWN_GLOBALS.has(name) ? name : undefined;
  }

  private memberRef(node: EsNode, depth: number): string | undefined {
    const property = node.computed
      ? fold(node.property as EsNode, this)?.value
      : ((node.property as EsNode).name as string | undefined);
    if (typeof property !== 'string') return undefined;
    // `''.constructor.constructor`, `(() => {}).constructor`, `[].constructor.constructor`: Function itself.
    if (property === 'constructor' && isConstructorOfValue(node.object as EsNode, this)) return 'Function';
    const object = this.refOf(node.object as EsNode, depth + 1);
    if (object === undefined) return undefined;
    if (object === '') return GLOBAL_ROOTS.has(property) ? '' : property;
    if (object === 'process' && property === 'mainModule') return 'module';
    if (object === 'module' && property === 'require') return 'require';
    if (object === 'require.main' && property === 'require') return 'require';
    // Module._load(request) is what require calls.
    if (property === '_load' && /(?:^|\.)(?:module|Module|module\.constructor)$/.test(object))
      return 'require';
    if (object === 'Function.prototype' && property === 'constructor') return 'Function';
    return `${object}.${property}`;
  }

  private callRef(node: EsNode, depth: number): string | undefined {
    const callee = this.refOf(node.callee as EsNode, depth + 1);
    if (callee === 'require') {
      const folded = fold((node.arguments as EsNode[])[0], this);
      return typeof folded?.value === 'string' ? normalizeModule(folded.value) : undefined;
    }
    if (callee === 'module.createRequire' || callee === 'module.createRequireFromPath') return 'require';
    if (callee?.endsWith('.bind')) return callee.slice(0, -'.bind'.length);
    // `https.request(...)` → `https.request()`, so `req.end(data)` reads `https.request().end`.
    return callee ? `${canonicalCallee(callee)}()` : undefined;
  }

  /** Bindings from declarations, assignments and imports, repeated until aliases of aliases settle. */
  private resolveBindings(): void {
    // A name written more than once is not a constant (`let b = ''; b += chunk`; minified `n = 0 ... n = x`).
    const writes = new Map<Binding, number>();
    const countWrite = (id: EsNode) => {
      const binding = this.bindingAt(id.name as string, id, true) as Binding;
      writes.set(binding, (writes.get(binding) ?? 0) + 1);
    };
    // The nodes the rounds below act on, in tree order: each round then reads a fraction of the tree.
    const binders: EsNode[] = [];
    for (const node of this.nodes) {
      if (BINDER_TYPES.has(node.type)) binders.push(node);
      if (node.type === 'VariableDeclarator' && node.init && (node.id as EsNode).type === 'Identifier')
        countWrite(node.id as EsNode);
      else if (node.type === 'AssignmentExpression' && (node.left as EsNode).type === 'Identifier')
        countWrite(node.left as EsNode);
      else if (node.type === 'UpdateExpression' && (node.argument as EsNode).type === 'Identifier')
        countWrite(node.argument as EsNode);
      else if (
        (node.type === 'ForOfStatement' || node.type === 'ForInStatement') &&
        (node.left as EsNode).type === 'Identifier'
      )
        countWrite(node.left as EsNode);
    }
    this.reassigned = (binding) => (writes.get(binding) ?? 0) > 1;
    // Aliases of aliases settle in two or three rounds; constants and paths in two (they are the costly part).
    // Each kind of binder is a method of its own (see extract: one large loop body was optimised again and again).
    for (let round = 0; round < 3; round++) {
      const settleConstants = round < 2;
      let changed = false;
      this.clearOrigins();
      for (const node of binders) {
        if (this.learnFrom(node, settleConstants)) changed = true;
      }
      if (!changed) break;
    }
    this.clearOrigins();
  }

  /** What one binder node teaches about the names it binds; true when a binding changed. */
  private learnFrom(node: EsNode, settleConstants: boolean): boolean {
    switch (node.type) {
      case 'VariableDeclarator':
        return node.init
          ? this.learnAssigned(node.id as EsNode, node.init as EsNode, settleConstants)
          : false;
      case 'AssignmentExpression':
        if (node.operator === '=')
          return this.learnAssigned(node.left as EsNode, node.right as EsNode, settleConstants);
        // `b += chunk`: the data accumulates in b.
        if ((node.left as EsNode).type === 'Identifier')
          return this.bind(node.left as EsNode, undefined, undefined, this.originsOf(node.right as EsNode));
        return false;
      case 'ForOfStatement':
      case 'ForInStatement':
        return this.learnLoopVariables(node);
      case 'ImportDeclaration':
        return this.learnImports(node);
      case 'CallExpression': {
        const network = this.markNetworkCallbacks(node);
        const module = this.learnModuleCallback(node);
        return this.taintReceiver(node) || network || module;
      }
    }
    return false;
  }

  /**
   * `import('child_process').then((cp) => cp.exec(…))`, `.then(({ execSync }) => …)`, and the same with
   * `require(…)` or `Promise.resolve(require(…))`: the callback's parameter is the module.
   */
  private learnModuleCallback(call: EsNode): boolean {
    const callee = call.callee as EsNode;
    if (callee.type !== 'MemberExpression' || callee.computed || (callee.property as EsNode).name !== 'then')
      return false;
    let loaded = callee.object as EsNode;
    const wrapper = loaded.callee as EsNode | undefined;
    if (
      loaded.type === 'CallExpression' &&
      wrapper?.type === 'MemberExpression' &&
      (wrapper.object as EsNode).type === 'Identifier' &&
      (wrapper.object as EsNode).name === 'Promise' &&
      (wrapper.property as EsNode).name === 'resolve' &&
      !this.bindingAt('Promise', wrapper.object as EsNode)
    )
      loaded = (loaded.arguments as EsNode[])[0] as EsNode;
    const isModule =
      loaded?.type === 'ImportExpression' ||
      (loaded?.type === 'CallExpression' && this.refOf(loaded.callee as EsNode) === 'require');
    if (!isModule || this.refOf(loaded) === undefined) return false;
    const callback = (call.arguments as EsNode[])[0];
    const param =
      callback && FUNCTION_TYPES.has(callback.type) ? (callback.params as EsNode[])[0] : undefined;
    return param ? this.learnAssigned(param, loaded, false) : false;
  }

  /** `target = init` or `const target = init`, for a name or an object pattern. */
  private learnAssigned(target: EsNode, init: EsNode, settleConstants: boolean): boolean {
    if (target.type === 'Identifier') {
      let changed = this.bind(
        target,
        this.refOf(init),
        settleConstants ? fold(init, this) : undefined,
        this.originsOf(init),
      );
      const binding = this.bindingAt(target.name as string, target, true) as Binding;
      if (!binding.hidden && isComputedAccess(init)) {
        binding.hidden = true;
        changed = true;
        this.bindingsChanged();
      }
      if (settleConstants && !binding.sensitivePath && this.namesSensitivePath(init)) {
        binding.sensitivePath = true;
        changed = true;
        this.bindingsChanged();
      }
      return changed;
    }
    if (target.type !== 'ObjectPattern') return false;
    let changed = false;
    const base = this.refOf(init);
    const origins = this.originsOf(init);
    // `const { DEBUG } = process.env` reads one variable; only `...rest` holds the rest of the environment.
    const oneEach: ReadonlySet<Origin> =
      base === 'process.env' && origins.has('env-all')
        ? new Set([...origins].map((origin) => (origin === 'env-all' ? 'env' : origin)))
        : origins;
    for (const property of target.properties as EsNode[]) {
      if (property.type === 'RestElement' && (property.argument as EsNode).type === 'Identifier') {
        if (this.bind(property.argument as EsNode, base, undefined, origins)) changed = true;
        continue;
      }
      if (property.type !== 'Property') continue;
      const key = property.computed
        ? fold(property.key as EsNode, this)?.value
        : ((property.key as EsNode).name ?? (property.key as EsNode).value);
      let value = property.value as EsNode;
      if (value.type === 'AssignmentPattern') value = value.left as EsNode;
      if (value.type !== 'Identifier' || typeof key !== 'string') continue;
      const ref = base === undefined ? undefined : base === '' ? key : `${base}.${key}`;
      if (this.bind(value, ref, undefined, oneEach)) changed = true;
    }
    return changed;
  }

  /** `for (const x of data)`: every name the loop binds gets the data's origins. */
  private learnLoopVariables(node: EsNode): boolean {
    const left = node.left as EsNode;
    const ids =
      left.type === 'VariableDeclaration'
        ? (left.declarations as EsNode[]).map((d) => d.id as EsNode)
        : [left];
    const origins = this.originsOf(node.right as EsNode);
    let changed = false;
    for (const id of ids)
      for (const part of this.subtree(id, 50))
        if (part.type === 'Identifier' && this.bind(part, undefined, undefined, origins)) changed = true;
    return changed;
  }

  private learnImports(node: EsNode): boolean {
    const module = normalizeModule(String((node.source as EsNode).value));
    let changed = false;
    for (const specifier of node.specifiers as EsNode[]) {
      const local = specifier.local as EsNode;
      const ref =
        specifier.type === 'ImportSpecifier'
          ? `${module}.${String((specifier.imported as EsNode).name ?? (specifier.imported as EsNode).value)}`
          : module;
      if (this.bind(local, ref, undefined, NO_ORIGINS)) changed = true;
    }
    return changed;
  }

  /** Records what a binding of `id` learned (a ref, a constant, origins); true when anything was new. */
  private bind(
    id: EsNode,
    ref: string | undefined,
    constant: Folded | undefined,
    origins: ReadonlySet<Origin>,
  ): boolean {
    const existing = this.bindingAt(id.name as string, id, true) as Binding;
    let changed = false;
    if (ref !== undefined && existing.ref === undefined) {
      existing.ref = ref;
      changed = true;
      this.bindingsChanged();
    }
    if (constant !== undefined && existing.constant === undefined && !this.reassigned(existing)) {
      existing.constant = constant;
      changed = true;
      this.bindingsChanged();
    }
    return this.addOrigins(existing, origins) || changed;
  }

  /** Adds what a binding does not hold yet of `origins`; true when it held less. */
  private addOrigins(binding: Binding, origins: Iterable<Origin>): boolean {
    let changed = false;
    for (const origin of origins) {
      if (!binding.origins.has(origin)) {
        binding.origins.add(origin);
        changed = true;
        this.bindingsChanged();
      }
    }
    return changed;
  }

  private clearOrigins(): void {
    this.bindingsChanged();
    this.originOf.fill(undefined);
  }

  /**
   * Functions passed to a network call (or to a method of a response) get network-tainted parameters;
   * functions passed to `forEach`/`map`/... of tainted data get that data's origins.
   */
  private markNetworkCallbacks(call: EsNode): boolean {
    const callee = call.callee as EsNode;
    const ref = this.refOf(callee);
    let network = ref !== undefined && isNetwork(canonicalCallee(ref));
    let passedOn: ReadonlySet<Origin> = NO_ORIGINS;
    if (callee.type === 'MemberExpression') {
      const objectOrigins = this.originsOf(callee.object as EsNode);
      if (objectOrigins.has('network')) network = true;
      const method = (callee.property as EsNode).name;
      if (typeof method === 'string' && ITERATION.has(method)) passedOn = objectOrigins;
    }
    // Most calls pass nothing on: no Set for them (this runs for every call of the file, every round).
    if (!network && passedOn.size === 0) return false;
    const inherited = new Set<Origin>(passedOn);
    if (network) inherited.add('network');
    let changed = false;
    for (const arg of call.arguments as EsNode[]) {
      if (!FUNCTION_TYPES.has(arg.type)) continue;
      if (network && !this.networkCallbacks.has(arg)) {
        this.networkCallbacks.add(arg);
        changed = true;
        this.bindingsChanged();
      }
      for (const param of arg.params as EsNode[]) {
        for (const name of this.subtree(param, 50)) {
          if (name.type !== 'Identifier') continue;
          const origins = (this.bindingAt(name.name as string, name, true) as Binding).origins;
          for (const origin of inherited) {
            if (!origins.has(origin)) {
              origins.add(origin);
              changed = true;
              this.bindingsChanged();
            }
          }
        }
      }
    }
    return changed;
  }

  /** `form.append('f', loot)`, `parts.push(token)`, `Object.assign(body, env)`: the receiver now holds the data. */
  private taintReceiver(call: EsNode): boolean {
    const callee = call.callee as EsNode;
    const args = call.arguments as EsNode[];
    let receiver: EsNode | undefined;
    let sources: EsNode[] = [];
    if (
      callee.type === 'MemberExpression' &&
      !callee.computed &&
      MUTATORS.has((callee.property as EsNode).name as string)
    ) {
      receiver = callee.object as EsNode;
      sources = args;
    } else if (this.refOf(callee) === 'Object.assign') {
      receiver = args[0];
      sources = args.slice(1);
    }
    if (receiver?.type !== 'Identifier') return false;
    const origins = new Set<Origin>();
    for (const source of sources) for (const origin of this.originsOf(source)) origins.add(origin);
    if (origins.size === 0) return false;
    return this.addOrigins(this.bindingAt(receiver.name as string, receiver, true) as Binding, origins);
  }

  /** Whether a node is inside a function passed to a network call (one flag per node, by tree index). */
  private networkCallbackNodes(): (node: EsNode) => boolean {
    if (this.networkCallbacks.size === 0) return () => false;
    const inside = new Uint8Array(this.tree.size);
    for (let i = 0; i < this.nodes.length; i++) {
      const parent = this.tree.parentIndex(i);
      inside[i] =
        this.networkCallbacks.has(this.nodes[i] as EsNode) || (parent >= 0 && inside[parent] === 1) ? 1 : 0;
    }
    return (node) => {
      const index = this.tree.indexOf(node);
      return index >= 0 && inside[index] === 1;
    };
  }

  /** Every node of a subtree in pre-order, up to `limit`; nodes of the `opaque` types below the root are not entered. */
  private subtree(root: EsNode, limit = Number.POSITIVE_INFINITY, opaque?: ReadonlySet<string>): EsNode[] {
    const out: EsNode[] = [];
    this.tree.walk(root, (node) => void out.push(node), limit, opaque);
    return out;
  }

  /**
   * Where the value of an expression may come from (environment, files, network, decoding...): what its own
   * nodes contribute, function bodies below it not entered (a function value carries no data of its own).
   *
   * A node's origins are its own contribution and its children's origins, so each node is worked out once per
   * state of the bindings and remembered: the thousand calls of a `set.add(1).add(2)...` chain each ask for the
   * chain below them, which re-walked it every time (0.7 MB of regenerate-unicode-properties took 4 s).
   */
  originsOf(root: EsNode | undefined): ReadonlySet<Origin> {
    if (!root) return NO_ORIGINS;
    const rootIndex = this.tree.indexOf(root);
    if (rootIndex < 0) return this.detachedOrigins(root);
    const known = this.knownOrigins(rootIndex);
    if (known) return known;
    // The nodes to work out, in pre-order; function bodies below the root and nodes already known are not entered.
    const order: number[] = [];
    const stop = this.tree.endOf(rootIndex);
    for (let i = rootIndex; i < stop; ) {
      order.push(i);
      const opaque =
        i !== rootIndex &&
        (FUNCTION_TYPES.has((this.nodes[i] as EsNode).type) || this.knownOrigins(i) !== undefined);
      i = opaque ? this.tree.endOf(i) : i + 1;
    }
    // Children before their parents (reverse pre-order). A parent shares its only contributing child's set.
    const fromChildren = new Map<number, { origins: ReadonlySet<Origin>; owned: boolean }>();
    for (let j = order.length - 1; j >= 0; j--) {
      const i = order[j] as number;
      const node = this.nodes[i] as EsNode;
      if (i !== rootIndex && FUNCTION_TYPES.has(node.type)) continue;
      let origins = i !== rootIndex ? this.knownOrigins(i) : undefined;
      if (!origins) {
        const gathered = fromChildren.get(i);
        fromChildren.delete(i);
        origins = this.ownOrigins(node, gathered?.origins ?? NO_ORIGINS);
        this.originStamp[i] = this.originGeneration;
        this.originOf[i] = origins.size > 0 ? origins : undefined;
      }
      if (i === rootIndex || origins.size === 0) continue;
      const parent = this.tree.parentIndex(i);
      const gathered = fromChildren.get(parent);
      if (!gathered) fromChildren.set(parent, { origins, owned: false });
      else if (gathered.origins !== origins) {
        let grown: Set<Origin> | undefined;
        for (const origin of origins) {
          if (gathered.origins.has(origin)) continue;
          grown ??= gathered.owned ? (gathered.origins as Set<Origin>) : new Set(gathered.origins);
          grown.add(origin);
        }
        if (grown) fromChildren.set(parent, { origins: grown, owned: true });
      }
    }
    return this.knownOrigins(rootIndex) ?? NO_ORIGINS;
  }

  /** A node's remembered origins, when the bindings have not changed since they were worked out. */
  private knownOrigins(index: number): ReadonlySet<Origin> | undefined {
    if (this.originStamp[index] !== this.originGeneration) return undefined;
    return this.originOf[index] ?? NO_ORIGINS;
  }

  /** What bindings hold changed: every remembered origin may be out of date. */
  private bindingsChanged(): void {
    this.originGeneration++;
  }

  /** The same answer for a node outside the tree (none are expected: kept so a stray node is still read). */
  private detachedOrigins(root: EsNode): ReadonlySet<Origin> {
    const origins = new Set<Origin>();
    this.tree.walk(
      root,
      (node) => {
        for (const origin of this.ownOrigins(node, NO_ORIGINS)) origins.add(origin);
      },
      Number.POSITIVE_INFINITY,
      FUNCTION_TYPES,
    );
    return origins;
  }

  /** A node's own contribution to the origins of an expression it is part of, added to `below`. */
  private ownOrigins(node: EsNode, below: ReadonlySet<Origin>): ReadonlySet<Origin> {
    let own: Set<Origin> | undefined;
    switch (node.type) {
      case 'Identifier': {
        const binding = this.bindingAt(node.name as string, node);
        const origins = binding?.origins;
        // A copy: the binding's own set grows as bindings settle.
        if (origins && origins.size > 0) own = new Set(origins);
        // `const { env } = process`: the name is `process.env`, read whole or by name as that is. Only a name
        // written once: minified code reuses a name, and its first meaning is not what it holds later.
        if (binding?.ref === 'process.env' && !this.reassigned(binding)) {
          const parent = this.tree.parentOf(node);
          if (parent?.type === 'MemberExpression' && parent.object === node) own = withOrigin(own, 'env');
          // Whole only where the value itself is passed on: `env && !env.NO_COLOR` (picocolors) is a test.
          else if (parent && passesValueOn(parent, node)) own = withOrigin(own, 'env-all');
        }
        break;
      }
      case 'MemberExpression':
        own = this.memberOrigins(node);
        break;
      case 'CallExpression':
      case 'NewExpression':
        own = this.callOrigins(node);
        break;
      case 'Literal':
        if (typeof node.value === 'string' && node.value.includes('169.254.169.254'))
          own = new Set(['host-info']);
        break;
    }
    if (!own) return below;
    for (const origin of below) own.add(origin);
    return own;
  }

  /** `process.env` read whole or by name. */
  private memberOrigins(node: EsNode): Set<Origin> | undefined {
    const ref = this.refOf(node);
    if (ref === 'process.env') {
      const parent = this.tree.parentOf(node);
      return new Set([parent?.type === 'MemberExpression' && parent.object === node ? 'env' : 'env-all']);
    }
    if (ref === undefined && node.computed && this.refOf(node.object as EsNode) === 'process.env')
      return new Set(['env']); // process.env[name]
    return undefined;
  }

  /** What a call's result holds: a file read, host details, decoded or fetched data, a command's output. */
  private callOrigins(node: EsNode): Set<Origin> | undefined {
    let own: Set<Origin> | undefined;
    const ref = this.refOf(node.callee as EsNode);
    const callee = ref === undefined ? '' : canonicalCallee(ref);
    if (isFileRead(callee)) {
      own = withOrigin(own, 'file');
      const target = (node.arguments as EsNode[])[0];
      if (target && this.namesSensitivePath(target)) own.add('sensitive-file');
    }
    if (isHostInfo(callee)) own = withOrigin(own, 'host-info');
    if (isDecoder(callee)) own = withOrigin(own, 'decoded');
    if (isExec(callee)) own = withOrigin(own, 'command-output');
    if (isNetwork(callee)) own = withOrigin(own, 'network');
    if ((node.callee as EsNode).type === 'Identifier') {
      const fnNode = this.bindingAt((node.callee as EsNode).name as string, node.callee as EsNode)?.fnNode;
      // `fetchText(url)`, `read(path)`: a local helper returns what it received or read.
      const effects = fnNode ? this.effectsOf(fnNode) : undefined;
      if (effects?.network) own = withOrigin(own, 'network');
      if (effects?.fileRead) {
        own = withOrigin(own, 'file');
        if ((node.arguments as EsNode[]).some((arg) => this.namesSensitivePath(arg)))
          own.add('sensitive-file');
      }
    }
    if (fold(node, this)?.decoded) own = withOrigin(own, 'decoded');
    return own;
  }

  private readonly functionEffects = new Map<EsNode, { network: boolean; fileRead: boolean }>();

  /** What a local helper does inside (memoised): makes requests, reads files. Nested functions count. */
  private effectsOf(fn: EsNode): { network: boolean; fileRead: boolean } {
    const known = this.functionEffects.get(fn);
    if (known) return known;
    const effects = { network: false, fileRead: false };
    this.functionEffects.set(fn, effects); // recursion guard
    for (const node of this.subtree(fn, 20_000)) {
      if (node.type !== 'CallExpression' && node.type !== 'NewExpression') continue;
      const ref = this.refOf(node.callee as EsNode);
      if (ref === undefined) continue;
      const callee = canonicalCallee(ref);
      if (isNetwork(callee)) effects.network = true;
      if (isFileRead(callee)) effects.fileRead = true;
    }
    return effects;
  }

  /** Whether an expression (a path argument) names a credential or wallet location. */
  namesSensitivePath(node: EsNode): boolean {
    const folded = fold(node, this);
    if (typeof folded?.value === 'string' && sensitivePathsIn(folded.value).length > 0) return true;
    if (
      node.type === 'CallExpression' &&
      /^path\.(?:join|resolve)$/.test(this.refOf(node.callee as EsNode) ?? '')
    ) {
      const joined = (node.arguments as EsNode[]).map((arg) => fold(arg, this)?.value ?? '…').join('/');
      if (sensitivePathsIn(joined).length > 0) return true;
    }
    for (const part of this.subtree(node, 200)) {
      if (
        part.type === 'Literal' &&
        typeof part.value === 'string' &&
        sensitivePathsIn(part.value).length > 0
      )
        return true;
      if (part.type === 'Identifier') {
        const binding = this.bindingAt(part.name as string, part);
        if (binding?.sensitivePath) return true;
        const constant = binding?.constant?.value;
        if (typeof constant === 'string' && sensitivePathsIn(constant).length > 0) return true;
      }
    }
    return false;
  }

  /** The constant parts of a concatenation or template, `…` standing for what is not constant. */
  private partial(node: EsNode, depth: number): string {
    if (depth > 30) return '…';
    const folded = fold(node, this);
    if (folded && !Array.isArray(folded.value)) return String(folded.value);
    if (node.type === 'BinaryExpression' && node.operator === '+') {
      return this.partial(node.left as EsNode, depth + 1) + this.partial(node.right as EsNode, depth + 1);
    }
    if (node.type === 'TemplateLiteral') {
      const quasis = node.quasis as EsNode[];
      const expressions = node.expressions as EsNode[];
      return quasis
        .map(
          (quasi, i) =>
            ((quasi.value as { cooked?: string })?.cooked ?? '') +
            (i < expressions.length ? this.partial(expressions[i] as EsNode, depth + 1) : ''),
        )
        .join('');
    }
    return '…';
  }

  /** An argument as checks see it: its constant value, where it comes from, what it references. */
  private hasProperty(node: EsNode, key: string): boolean {
    return (node.properties as EsNode[]).some(
      (property) =>
        property.type === 'Property' &&
        ((property.key as EsNode).name ?? (property.key as EsNode).value) === key,
    );
  }

  /** A constant string property of an object literal, folded (`description: 'Add ' + 'two numbers'`). */
  private constantProperty(node: EsNode | undefined, key: string): string | undefined {
    if (node?.type !== 'ObjectExpression') return undefined;
    for (const property of node.properties as EsNode[]) {
      if (property.type !== 'Property') continue;
      const keyNode = property.key as EsNode;
      const name = property.computed ? fold(keyNode, this)?.value : (keyNode.name ?? keyNode.value);
      if (name !== key) continue;
      const value = fold(property.value as EsNode, this)?.value;
      return typeof value === 'string' ? value.slice(0, MAX_DESCRIPTION) : undefined;
    }
    return undefined;
  }

  /**
   * `server.tool(name, description, schema, handler)`, `server.registerTool(name, { description })`, and the
   * prompt and resource forms of both, as the MCP TypeScript SDK and its look-alikes declare them.
   */
  private toolFromCall(node: EsNode, callee: string): ToolFact | undefined {
    const method = /(?:^|\.)(tool|registerTool|prompt|registerPrompt|resource|registerResource)$/.exec(
      callee,
    )?.[1];
    if (!method || node.type !== 'CallExpression' || callee === method) return undefined;
    const args = node.arguments as EsNode[];
    const name = fold(args[0], this)?.value;
    if (typeof name !== 'string' || name.length === 0 || name.length > 200) return undefined;
    const kind = method.toLowerCase().includes('prompt')
      ? 'prompt'
      : method.toLowerCase().includes('resource')
        ? 'resource'
        : 'tool';
    let description: string | undefined;
    let dynamic = false;
    for (const arg of args.slice(1, 4)) {
      if (arg.type === 'ObjectExpression') {
        description ??= this.constantProperty(arg, 'description');
        if (description === undefined && this.hasProperty(arg, 'description')) dynamic = true;
      } else if (kind !== 'resource' || arg !== args[1]) {
        const value = fold(arg, this)?.value;
        // The second argument of `tool()` is its description; a resource's second is its URI.
        if (typeof value === 'string' && arg === args[1]) description ??= value.slice(0, MAX_DESCRIPTION);
        else if (arg === args[1] && kind === 'tool' && !FUNCTION_TYPES.has(arg.type)) dynamic = true;
      }
    }
    return {
      kind,
      name,
      description: description ?? '',
      via: callee.split('.').pop() ?? callee,
      ...(description === undefined && dynamic ? { dynamic: true as const } : {}),
      ...this.at(node),
    };
  }

  /** `{ name, description, inputSchema }` in a tools/list answer, FastMCP's `addTool({...})` and the like. */
  private toolFromObject(node: EsNode): ToolFact | undefined {
    const keys = new Set<string>();
    for (const property of node.properties as EsNode[]) {
      if (property.type === 'Property' && !property.computed) {
        const keyNode = property.key as EsNode;
        const key = keyNode.name ?? keyNode.value;
        if (typeof key === 'string') keys.add(key);
      }
    }
    if (!keys.has('name') || !keys.has('description')) return undefined;
    const kind =
      keys.has('inputSchema') || keys.has('input_schema') || keys.has('parameters') || keys.has('execute')
        ? 'tool'
        : keys.has('arguments')
          ? 'prompt'
          : keys.has('uri') || keys.has('mimeType')
            ? 'resource'
            : undefined;
    if (!kind) return undefined;
    const name = this.constantProperty(node, 'name');
    if (!name) return undefined;
    const description = this.constantProperty(node, 'description');
    return {
      kind,
      name,
      description: description ?? '',
      via: 'object literal',
      ...(description === undefined ? { dynamic: true as const } : {}),
      ...this.at(node),
    };
  }

  private describe(node: EsNode, depth: number): ValueFact {
    const target = node.type === 'SpreadElement' ? (node.argument as EsNode) : node;
    const folded = fold(target, this);
    const refs = new Set<string>();
    this.tree.walk(
      target,
      (part) => {
        if (part.type === 'Identifier' || part.type === 'MemberExpression') {
          const ref = this.refOf(part);
          if (ref) refs.add(canonicalCallee(ref));
        }
      },
      400,
    );
    const pattern = folded === undefined ? this.partial(target, 0) : undefined;
    const fact: ValueFact = {
      ...(typeof folded?.value === 'string' ? { value: folded.value.slice(0, MAX_STRING_KEPT) } : {}),
      ...(pattern !== undefined && pattern !== '…' ? { pattern: pattern.slice(0, MAX_STRING_KEPT) } : {}),
      decoded: folded?.decoded ?? false,
      origins: listOf(this.originsOf(target)),
      kind: kindOf(target),
      refs: refs.size > 0 ? [...refs].slice(0, 50) : NONE,
      text: this.excerpt(target),
    };
    if (depth < 2 && target.type === 'ObjectExpression') {
      const properties: Record<string, ValueFact> = {};
      for (const property of (target.properties as EsNode[]).slice(0, 50)) {
        if (property.type !== 'Property') continue;
        const keyNode = property.key as EsNode;
        const key = property.computed ? fold(keyNode, this)?.value : (keyNode.name ?? keyNode.value);
        if (typeof key === 'string') properties[key] = this.describe(property.value as EsNode, depth + 1);
      }
      fact.properties = properties;
    }
    if (depth < 2 && target.type === 'ArrayExpression') {
      fact.elements = (target.elements as Array<EsNode | null>)
        .slice(0, 50)
        .filter((element): element is EsNode => element !== null)
        .map((element) => this.describe(element, depth + 1));
    }
    return fact;
  }
}

/** Whether `node.constructor` is the Function constructor: `x.constructor.constructor`, `(() => {}).constructor`. */
function isConstructorOfValue(node: EsNode, names: FactExtractor): boolean {
  if (FUNCTION_TYPES.has(node.type)) return true;
  if (node.type !== 'MemberExpression') return false;
  const key = node.computed ? fold(node.property as EsNode, names)?.value : (node.property as EsNode).name;
  return key === 'constructor';
}

function kindOf(node: EsNode): ValueFact['kind'] {
  if (node.type === 'Literal' || node.type === 'TemplateLiteral') return 'literal';
  if (FUNCTION_TYPES.has(node.type)) return 'function';
  if (node.type === 'ObjectExpression') return 'object';
  if (node.type === 'ArrayExpression') return 'array';
  if (node.type === 'Identifier') return 'identifier';
  return 'other';
}

/** The set, made when there is none yet, with one more origin. */
function withOrigin(set: Set<Origin> | undefined, origin: Origin): Set<Origin> {
  const out = set ?? new Set<Origin>();
  out.add(origin);
  return out;
}

/** Whether `parent` hands `child`'s value on (an argument, a property's value, a spread, an assignment…). */
function passesValueOn(parent: EsNode, child: EsNode): boolean {
  switch (parent.type) {
    case 'CallExpression':
    case 'NewExpression':
      return parent.callee !== child;
    case 'Property':
      return parent.value === child;
    case 'AssignmentExpression':
      return parent.right === child;
    case 'VariableDeclarator':
      return parent.init === child;
    case 'SpreadElement':
    case 'ArrayExpression':
    case 'ReturnStatement':
    case 'AwaitExpression':
      return true;
    default:
      return false;
  }
}

/** `x['ev' + 'al']`, `x[k]`: a member reached through a computed key that is not a plain literal. */
function isComputedAccess(node: EsNode): boolean {
  let current: EsNode | undefined = node;
  for (let depth = 0; current && depth < 20; depth++) {
    if (current.type === 'ChainExpression' || current.type === 'ParenthesizedExpression') {
      current = current.expression as EsNode;
      continue;
    }
    if (current.type !== 'MemberExpression') return false;
    if (current.computed && (current.property as EsNode).type !== 'Literal') return true;
    current = current.object as EsNode;
  }
  return false;
}

/** `\xNN` and `\uNNNN` escapes in a piece of source text (string literals only: regexes use them honestly). */
export function countEscapes(raw: string): number {
  let count = 0;
  let ranges = 0;
  for (const match of raw.matchAll(/(\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4})(-(?=\\[xu]))?/g)) {
    count++;
    if (match[2]) ranges++;
    if (count >= 100_000) break;
  }
  // A table of escaped character ranges ("\xc0-\xd6\xd8-\xf6...", the Unicode identifier classes parsers such as
  // acorn and cjs-module-lexer carry) is data for a regular expression, not a hidden string: an obfuscator
  // escapes every character, '-' included, so its strings hold no such ranges.
  return ranges >= 10 && ranges * 2 >= count * 0.4 ? 0 : count;
}

export function fileSignals(
  text: string,
  lines: LineIndex,
  hexIdentifiers: number,
  stringArray: boolean,
  escapedChars: number,
): FileSignals {
  const longestLine = lines.longestLine(text.length);
  const averageLine = text.length / Math.max(1, lines.lineCount);
  return {
    minified: longestLine > 1_000 && averageLine > 200,
    longestLine,
    lines: lines.lineCount,
    hexIdentifiers,
    stringArray,
    escapedChars,
    sourceMap: /\/\/[#@] ?sourceMappingURL=/.test(text.slice(-4_096)),
  };
}

import type { EsNode } from './parse.js';

/** A constant an expression evaluates to, and whether getting there took decoding. */
export interface Folded {
  value: string | number | Array<string | number>;
  decoded: boolean;
}

/** What folding needs to know about names: the constant a variable holds, if any. */
export interface ConstantLookup {
  /** The constant a name holds as seen at `at` (scopes differ: minified code reuses short names). */
  constantOf(name: string, at?: EsNode): Folded | undefined;
  /** Constants that need more than one expression: a local decoder function, a required data file. */
  callConstant?(call: EsNode, depth: number): Folded | undefined;
}

const MAX_DEPTH = 40;
const MAX_LENGTH = 1_000_000;

const node = (value: unknown): EsNode | undefined =>
  value && typeof value === 'object' && 'type' in value ? (value as EsNode) : undefined;

/**
 * Evaluates the constant parts of an expression the way obfuscated code builds names and URLs:
 * concatenation, template literals, `[..].join`, `String.fromCharCode`, `.split('').reverse().join('')`,
 * `Buffer.from(<base64|hex>).toString()`, `atob`, `decodeURIComponent`. Anything else is not constant.
 * Never runs code, never builds a RegExp from the input.
 */
export function fold(expression: EsNode | undefined, names: ConstantLookup, depth = 0): Folded | undefined {
  if (!expression || depth > MAX_DEPTH) return undefined;
  // One function per kind of expression: V8 recompiles a function each time a node of a new shape reaches it,
  // and a small one costs little to recompile (see FactExtractor.extract).
  switch (expression.type) {
    case 'Literal':
      return foldLiteral(expression);
    case 'TemplateLiteral':
      return foldTemplate(expression, names, depth);
    case 'BinaryExpression':
      return foldBinary(expression, names, depth);
    case 'Identifier':
      return names.constantOf(expression.name as string, expression);
    case 'ArrayExpression':
      return foldArray(expression, names, depth);
    case 'MemberExpression':
      return foldMember(expression, names, depth);
    case 'CallExpression':
      return foldCall(expression, names, depth);
    case 'ParenthesizedExpression':
    case 'ChainExpression':
      return fold(node(expression.expression), names, depth + 1);
    case 'SequenceExpression': {
      const list = expression.expressions as EsNode[];
      return fold(node(list[list.length - 1]), names, depth + 1);
    }
    default:
      return undefined;
  }
}

function foldLiteral(expression: EsNode): Folded | undefined {
  const value = expression.value;
  return typeof value === 'string' || typeof value === 'number' ? { value, decoded: false } : undefined;
}

function foldTemplate(expression: EsNode, names: ConstantLookup, depth: number): Folded | undefined {
  const quasis = expression.quasis as EsNode[];
  const expressions = expression.expressions as EsNode[];
  let out = '';
  let decoded = false;
  for (let i = 0; i < quasis.length; i++) {
    out += ((quasis[i]?.value as { cooked?: string })?.cooked ?? '') as string;
    if (i < expressions.length) {
      const part = fold(node(expressions[i]), names, depth + 1);
      if (!part || Array.isArray(part.value)) return undefined;
      out += String(part.value);
      decoded ||= part.decoded;
    }
  }
  return bounded({ value: out, decoded });
}

function foldBinary(expression: EsNode, names: ConstantLookup, depth: number): Folded | undefined {
  const left = fold(node(expression.left), names, depth + 1);
  const right = fold(node(expression.right), names, depth + 1);
  if (!left || !right || Array.isArray(left.value) || Array.isArray(right.value)) return undefined;
  const decoded = left.decoded || right.decoded;
  const a = left.value;
  const b = right.value;
  switch (expression.operator) {
    case '+':
      return bounded({
        value: typeof a === 'number' && typeof b === 'number' ? a + b : String(a) + String(b),
        decoded,
      });
    case '-':
    case '*':
    case '^':
    case '|':
    case '&':
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return { value: arithmetic(expression.operator, a, b), decoded };
    default:
      return undefined;
  }
}

function foldArray(expression: EsNode, names: ConstantLookup, depth: number): Folded | undefined {
  const values: Array<string | number> = [];
  let decoded = false;
  for (const element of expression.elements as Array<EsNode | null>) {
    const part = fold(node(element), names, depth + 1);
    if (!part || Array.isArray(part.value)) return undefined;
    values.push(part.value);
    decoded ||= part.decoded;
  }
  return { value: values, decoded };
}

function foldMember(expression: EsNode, names: ConstantLookup, depth: number): Folded | undefined {
  const object = fold(node(expression.object), names, depth + 1);
  if (!object) return undefined;
  const key = expression.computed
    ? fold(node(expression.property), names, depth + 1)?.value
    : ((expression.property as EsNode).name as string);
  if (key === 'length') return { value: object.value.toString().length, decoded: object.decoded };
  if (typeof key !== 'number' && !(typeof key === 'string' && /^\d+$/.test(key))) return undefined;
  const element =
    typeof object.value === 'number'
      ? undefined
      : (object.value as string | Array<string | number>)[Number(key)];
  return element === undefined ? undefined : { value: element, decoded: object.decoded };
}

function arithmetic(operator: string, a: number, b: number): number {
  switch (operator) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '^':
      return a ^ b;
    case '|':
      return a | b;
    default:
      return a & b;
  }
}

function bounded(folded: Folded): Folded | undefined {
  return typeof folded.value === 'string' && folded.value.length > MAX_LENGTH ? undefined : folded;
}

function calleeName(callee: EsNode): string | undefined {
  if (callee.type === 'Identifier') return callee.name as string;
  if (callee.type === 'MemberExpression' && !callee.computed) {
    const object = callee.object as EsNode;
    const property = (callee.property as EsNode).name as string;
    if (object.type === 'Identifier') return `${object.name as string}.${property}`;
  }
  return undefined;
}

function foldCall(call: EsNode, names: ConstantLookup, depth: number): Folded | undefined {
  const next = (child: unknown) => fold(node(child), names, depth + 1);
  const special = names.callConstant?.(call, depth);
  if (special) return special;
  const callee = call.callee as EsNode;
  const args = call.arguments as EsNode[];
  const name = calleeName(callee);

  const named = name === undefined ? undefined : foldNamedCall(name, args, next);
  if (named) return named;

  if (callee.type !== 'MemberExpression') return undefined;
  const method = callee.computed
    ? next(callee.property)?.value
    : ((callee.property as EsNode).name as string);
  if (typeof method !== 'string') return undefined;
  // `Buffer.from(x, 'base64').toString()`: the buffer folds to its decoded text already.
  const target = next(callee.object);
  if (!target) return undefined;
  return applyMethod(target, method, args.map(next));
}

/**
 * Calls of the builtins that decode or build strings, by canonical name. Exported so a caller that resolved
 * an alias (`const decode = atob`) can fold through it.
 */
export function foldNamedCall(
  name: string,
  args: EsNode[],
  next: (child: unknown) => Folded | undefined,
): Folded | undefined {
  if (name === 'String.fromCharCode') {
    const codes: number[] = [];
    for (const arg of args) {
      const target = arg.type === 'SpreadElement' ? (arg.argument as EsNode) : arg;
      const part = next(target);
      if (!part) return undefined;
      for (const code of Array.isArray(part.value) ? part.value : [part.value]) {
        if (typeof code !== 'number') return undefined;
        codes.push(code);
      }
    }
    return bounded({ value: String.fromCharCode(...codes.slice(0, 100_000)), decoded: true });
  }
  if (name === 'atob' || name === 'window.atob' || name === 'globalThis.atob') {
    const input = next(args[0]);
    return typeof input?.value === 'string' ? decodeBase64(input.value) : undefined;
  }
  if (name === 'decodeURIComponent' || name === 'decodeURI' || name === 'unescape') {
    const input = next(args[0]);
    if (typeof input?.value !== 'string') return undefined;
    try {
      return { value: decodeURIComponent(input.value), decoded: true };
    } catch {
      return undefined;
    }
  }
  if (name === 'String') return next(args[0]);
  if (name === 'Buffer.from') return bufferFrom(args, next);

  return undefined;
}

function bufferFrom(args: EsNode[], next: (child: unknown) => Folded | undefined): Folded | undefined {
  const input = next(args[0]);
  if (!input) return undefined;
  if (Array.isArray(input.value)) {
    if (!input.value.every((item) => typeof item === 'number')) return undefined;
    return { value: Buffer.from(input.value as number[]).toString('utf8'), decoded: true };
  }
  if (typeof input.value !== 'string') return undefined;
  const encoding = args[1] ? next(args[1])?.value : 'utf8';
  if (encoding === 'base64' || encoding === 'base64url') return decodeBase64(input.value);
  if (encoding === 'hex') {
    if (!/^(?:[0-9a-f]{2})*$/i.test(input.value)) return undefined;
    return { value: Buffer.from(input.value, 'hex').toString('utf8'), decoded: true };
  }
  if (encoding === 'utf8' || encoding === 'utf-8' || encoding === 'latin1' || encoding === 'binary') {
    return { value: input.value, decoded: input.decoded };
  }
  return undefined;
}

function decodeBase64(text: string): Folded | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  return { value: Buffer.from(text, 'base64').toString('utf8'), decoded: true };
}

function applyMethod(target: Folded, method: string, args: Array<Folded | undefined>): Folded | undefined {
  const value = target.value;
  const decoded = target.decoded || args.some((arg) => arg?.decoded);
  const arg = (index: number) => args[index]?.value;
  if (Array.isArray(value)) {
    switch (method) {
      case 'join': {
        const separator = args.length === 0 ? ',' : arg(0);
        return typeof separator === 'string' ? bounded({ value: value.join(separator), decoded }) : undefined;
      }
      case 'reverse':
        return { value: [...value].reverse(), decoded: true };
      case 'concat':
        return { value: value.concat(...args.map((a) => (a ? a.value : []))), decoded };
      case 'slice': {
        const from = arg(0);
        const to = arg(1);
        return {
          value: value.slice(typeof from === 'number' ? from : 0, typeof to === 'number' ? to : undefined),
          decoded,
        };
      }
      default:
        return undefined;
    }
  }
  const text = String(value);
  switch (method) {
    case 'toString':
    case 'valueOf':
    case 'trim':
      return { value: method === 'trim' ? text.trim() : text, decoded };
    case 'toLowerCase':
      return { value: text.toLowerCase(), decoded };
    case 'toUpperCase':
      return { value: text.toUpperCase(), decoded };
    case 'split': {
      const separator = arg(0);
      if (typeof separator !== 'string') return undefined;
      return { value: text.split(separator).slice(0, 100_000), decoded };
    }
    case 'concat':
      return bounded({ value: text + args.map((a) => (a ? String(a.value) : '')).join(''), decoded });
    case 'slice':
    case 'substring': {
      const from = arg(0);
      const to = arg(1);
      if (typeof from !== 'number') return undefined;
      const end = typeof to === 'number' ? to : undefined;
      return { value: method === 'slice' ? text.slice(from, end) : text.substring(from, end), decoded };
    }
    case 'substr': {
      const from = arg(0);
      const length = arg(1);
      if (typeof from !== 'number') return undefined;
      return { value: text.substr(from, typeof length === 'number' ? length : undefined), decoded };
    }
    case 'charAt':
      return typeof arg(0) === 'number' ? { value: text.charAt(arg(0) as number), decoded } : undefined;
    case 'replace':
    case 'replaceAll': {
      // Only plain-string patterns: a RegExp built from package input could backtrack without end.
      const pattern = arg(0);
      const replacement = arg(1);
      if (typeof pattern !== 'string' || typeof replacement !== 'string') return undefined;
      return bounded({
        value:
          method === 'replace'
            ? text.replace(pattern, () => replacement)
            : text.split(pattern).join(replacement),
        decoded,
      });
    }
    default:
      return undefined;
  }
}

import { LineIndex } from './line-index.js';
import type { CallFact, JsFileFacts, ModuleUse, Position, StringFact } from './model.js';
import { canonicalCallee, normalizeModule } from './names.js';

const ID = 1;
const STR = 2;
const PUNCT = 3;

/**
 * Tokens as parallel arrays: kind, source offset and text of token i. A large file read this way has up
 * to two million tokens, and an object for each cost 100 MB.
 */
export interface Tokens {
  length: number;
  /** ID, STR or PUNCT; undefined past the end. */
  kinds: Uint8Array;
  offsets: Int32Array;
  texts: string[];
}

const MAX_TOKENS = 2_000_000;

/**
 * A linear tokenizer: identifiers, string literals (quotes and plain templates) and punctuation. Used when
 * no parser accepts a file, so a syntax error (deliberate or not) cannot hide the code around it.
 */
export function tokenize(text: string): Tokens {
  const capacity = Math.min(text.length, MAX_TOKENS);
  const kinds = new Uint8Array(capacity);
  const offsets = new Int32Array(capacity);
  const texts: string[] = [];
  const push = (kind: number, token: string, offset: number) => {
    kinds[texts.length] = kind;
    offsets[texts.length] = offset;
    texts.push(token);
  };
  let i = 0;
  while (i < text.length && texts.length < MAX_TOKENS) {
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === 34 || c === 39 || c === 96) {
      const start = i;
      let value = '';
      i++;
      // Plain characters are taken as whole runs: a string built one character at a time is a chain of
      // one node per character (a 4 MB literal took 200 MB).
      let run = i;
      while (i < text.length && text.charCodeAt(i) !== c) {
        if (text.charCodeAt(i) === 92 && i + 1 < text.length) {
          value += text.slice(run, i) + unescapeOne(text, i);
          i += escapeLength(text, i);
          run = i;
        } else {
          if (c !== 96 && text.charCodeAt(i) === 10) break; // unterminated: stop at the line end
          i++;
        }
      }
      if (i > run) value += text.slice(run, i);
      i++;
      push(STR, value, start);
    } else if (/[A-Za-z_$]/.test(text[i] ?? '')) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i] ?? '')) i++;
      push(ID, text.slice(start, i), start);
    } else if (c <= 32) {
      i++;
    } else {
      push(PUNCT, text[i] ?? '', i);
      i++;
    }
  }
  // Views of the used part: reading past the last token gives undefined, as for an array.
  return {
    length: texts.length,
    kinds: kinds.subarray(0, texts.length),
    offsets: offsets.subarray(0, texts.length),
    texts,
  };
}

function escapeLength(text: string, at: number): number {
  const next = text[at + 1];
  if (next === 'x') return 4;
  if (next === 'u') return text[at + 2] === '{' ? Math.max(3, text.indexOf('}', at) - at + 1) : 6;
  return 2;
}

function unescapeOne(text: string, at: number): string {
  const next = text[at + 1] ?? '';
  if (next === 'x') return String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 4), 16) || 0);
  if (next === 'u' && text[at + 2] !== '{')
    return String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16) || 0);
  if (next === 'n') return '\n';
  if (next === 't') return '\t';
  return next;
}

/** A call seen in tokens: only a string literal right after the parenthesis (`first`) is known of its arguments. */
function tokenCall(
  callee: string,
  written: string,
  isNew: boolean,
  first: string | undefined,
  position: Position,
): CallFact {
  const args =
    first !== undefined
      ? [
          {
            value: first,
            kind: 'literal' as const,
            decoded: false,
            origins: [],
            refs: [],
            text: JSON.stringify(first).slice(0, 160),
          },
        ]
      : [];
  return { callee, written, isNew, hidden: false, args, inNetworkCallback: false, ...position };
}

/** Facts from tokens: modules loaded, dotted calls with aliases resolved, and every string. */
export function tokenFacts(
  path: string,
  text: string,
  parseError: string,
): Omit<JsFileFacts, 'signals'> & { hexIdentifiers: number } {
  const lines = new LineIndex(text);
  const { length, kinds, offsets, texts } = tokenize(text);
  // The literal at token i, if it is one (the first argument of a call).
  const literalAt = (i: number) => (kinds[i] === STR ? texts[i] : undefined);
  const at = (offset: number) => lines.locate(offset);
  const imports: ModuleUse[] = [];
  const strings: StringFact[] = [];
  const calls: CallFact[] = [];
  const aliases = new Map<string, string>();
  let hexIdentifiers = 0;

  for (let i = 0; i < length; i++) {
    const token = texts[i] as string;
    const offset = offsets[i] as number;
    if (kinds[i] === STR) {
      // Adjacent literals joined by `+` are folded, as the parser path would.
      let value = token;
      let j = i;
      while (texts[j + 1] === '+' && kinds[j + 2] === STR) {
        value += texts[j + 2];
        j += 2;
      }
      if (value.length >= 3 && strings.length < 20_000)
        strings.push({ value: value.slice(0, 4096), derived: j > i, decoded: false, ...at(offset) });
      continue;
    }
    if (kinds[i] !== ID) continue;
    if (/^_0x[0-9a-f]{3,}$/i.test(token)) hexIdentifiers++;
    if ((token === 'require' || token === 'import') && texts[i + 1] === '(' && kinds[i + 2] === STR) {
      const module = normalizeModule(texts[i + 2] ?? '');
      imports.push({
        module,
        how: token === 'require' ? 'require' : 'dynamic-import',
        computed: texts[i + 3] !== ')',
        ...at(offset),
      });
      // `const x = require('m')`
      if (texts[i - 1] === '=' && kinds[i - 2] === ID) aliases.set(texts[i - 2] ?? '', module);
      // `require('m').a.b(` is a call of m.a.b
      if (texts[i + 3] === ')') {
        const chain = [module];
        let j = i + 3;
        while (texts[j + 1] === '.' && kinds[j + 2] === ID) {
          chain.push(texts[j + 2] ?? '');
          j += 2;
        }
        if (chain.length > 1 && texts[j + 1] === '(') {
          calls.push(
            tokenCall(
              canonicalCallee(chain.join('.')),
              `require('${module}').${chain.slice(1).join('.')}`,
              false,
              literalAt(j + 2),
              at(offset),
            ),
          );
        }
      }
    }
    if (token === 'from' && kinds[i + 1] === STR) {
      imports.push({
        module: normalizeModule(texts[i + 1] ?? ''),
        how: 'import',
        computed: false,
        ...at(offset),
      });
    }
    // A dotted call: a.b.c( — only the start of a chain.
    if (texts[i - 1] === '.') continue;
    const parts = [token];
    let j = i;
    while (texts[j + 1] === '.' && kinds[j + 2] === ID) {
      parts.push(texts[j + 2] ?? '');
      j += 2;
    }
    if (texts[j + 1] !== '(') continue;
    const head = aliases.get(parts[0] ?? '');
    const name = canonicalCallee(head ? [head, ...parts.slice(1)].join('.') : parts.join('.'));
    calls.push(tokenCall(name, parts.join('.'), texts[i - 1] === 'new', literalAt(j + 2), at(offset)));
  }
  const accesses: JsFileFacts['accesses'] = [];
  for (let i = 0; i < length; i++) {
    if (texts[i] === 'process' && texts[i + 1] === '.' && texts[i + 2] === 'env')
      accesses.push({
        path: texts[i + 3] === '.' ? `process.env.${texts[i + 4] ?? ''}` : 'process.env',
        whole: texts[i + 3] !== '.' && texts[i + 3] !== '[',
        ...at(offsets[i] as number),
      });
  }
  return {
    path,
    size: text.length,
    parse: 'tokens',
    parseError,
    imports,
    calls,
    accesses,
    assignments: [],
    strings,
    objects: [],
    tools: [],
    valueRefs: [],
    hexIdentifiers,
  };
}

import { LineIndex } from './line-index.js';
import type { CallFact, JsFileFacts, ModuleUse, Position, StringFact } from './model.js';
import { canonicalCallee, normalizeModule } from './names.js';

type Token = { kind: 'id' | 'str' | 'punct'; text: string; offset: number };

const MAX_TOKENS = 2_000_000;

/**
 * A linear tokenizer: identifiers, string literals (quotes and plain templates) and punctuation. Used when
 * no parser accepts a file, so a syntax error (deliberate or not) cannot hide the code around it.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length && tokens.length < MAX_TOKENS) {
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
      tokens.push({ kind: 'str', text: value, offset: start });
    } else if (/[A-Za-z_$]/.test(text[i] ?? '')) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i] ?? '')) i++;
      tokens.push({ kind: 'id', text: text.slice(start, i), offset: start });
    } else if (c <= 32) {
      i++;
    } else {
      tokens.push({ kind: 'punct', text: text[i] ?? '', offset: i });
      i++;
    }
  }
  return tokens;
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

/** A call seen in tokens: only a string literal right after the parenthesis is known of its arguments. */
function tokenCall(
  callee: string,
  written: string,
  isNew: boolean,
  first: Token | undefined,
  position: Position,
): CallFact {
  const args =
    first?.kind === 'str'
      ? [
          {
            value: first.text,
            kind: 'literal' as const,
            decoded: false,
            origins: [],
            refs: [],
            text: JSON.stringify(first.text).slice(0, 160),
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
  const tokens = tokenize(text);
  const at = (offset: number) => lines.locate(offset);
  const imports: ModuleUse[] = [];
  const strings: StringFact[] = [];
  const calls: CallFact[] = [];
  const aliases = new Map<string, string>();
  let hexIdentifiers = 0;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'str') {
      // Adjacent literals joined by `+` are folded, as the parser path would.
      let value = token.text;
      let j = i;
      while (tokens[j + 1]?.text === '+' && tokens[j + 2]?.kind === 'str') {
        value += tokens[j + 2]?.text;
        j += 2;
      }
      if (value.length >= 3 && strings.length < 20_000)
        strings.push({ value: value.slice(0, 4096), derived: j > i, decoded: false, ...at(token.offset) });
      continue;
    }
    if (token.kind !== 'id') continue;
    if (/^_0x[0-9a-f]{3,}$/i.test(token.text)) hexIdentifiers++;
    if (
      (token.text === 'require' || token.text === 'import') &&
      tokens[i + 1]?.text === '(' &&
      tokens[i + 2]?.kind === 'str'
    ) {
      const module = normalizeModule(tokens[i + 2]?.text ?? '');
      imports.push({
        module,
        how: token.text === 'require' ? 'require' : 'dynamic-import',
        computed: tokens[i + 3]?.text !== ')',
        ...at(token.offset),
      });
      // `const x = require('m')`
      if (tokens[i - 1]?.text === '=' && tokens[i - 2]?.kind === 'id')
        aliases.set(tokens[i - 2]?.text ?? '', module);
      // `require('m').a.b(` is a call of m.a.b
      if (tokens[i + 3]?.text === ')') {
        const chain = [module];
        let j = i + 3;
        while (tokens[j + 1]?.text === '.' && tokens[j + 2]?.kind === 'id') {
          chain.push(tokens[j + 2]?.text ?? '');
          j += 2;
        }
        if (chain.length > 1 && tokens[j + 1]?.text === '(') {
          calls.push(
            tokenCall(
              canonicalCallee(chain.join('.')),
              `require('${module}').${chain.slice(1).join('.')}`,
              false,
              tokens[j + 2],
              at(token.offset),
            ),
          );
        }
      }
    }
    if (token.text === 'from' && tokens[i + 1]?.kind === 'str') {
      imports.push({
        module: normalizeModule(tokens[i + 1]?.text ?? ''),
        how: 'import',
        computed: false,
        ...at(token.offset),
      });
    }
    // A dotted call: a.b.c( — only the start of a chain.
    if (tokens[i - 1]?.text === '.') continue;
    const parts = [token.text];
    let j = i;
    while (tokens[j + 1]?.text === '.' && tokens[j + 2]?.kind === 'id') {
      parts.push(tokens[j + 2]?.text ?? '');
      j += 2;
    }
    if (tokens[j + 1]?.text !== '(') continue;
    const head = aliases.get(parts[0] ?? '');
    const name = canonicalCallee(head ? [head, ...parts.slice(1)].join('.') : parts.join('.'));
    calls.push(
      tokenCall(name, parts.join('.'), tokens[i - 1]?.text === 'new', tokens[j + 2], at(token.offset)),
    );
  }
  const accesses = tokens.flatMap((token, i) =>
    token.text === 'process' && tokens[i + 1]?.text === '.' && tokens[i + 2]?.text === 'env'
      ? [
          {
            path: tokens[i + 3]?.text === '.' ? `process.env.${tokens[i + 4]?.text ?? ''}` : 'process.env',
            whole: tokens[i + 3]?.text !== '.' && tokens[i + 3]?.text !== '[',
            ...at(token.offset),
          },
        ]
      : [],
  );
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

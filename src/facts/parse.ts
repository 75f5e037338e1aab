import { parse as babelParse } from '@babel/parser';
import * as acorn from 'acorn';
import * as acornLoose from 'acorn-loose';
import { parse as meriyahParse } from 'meriyah';

/** The ESTree node shape the extractor walks. Parsers differ in extras; only these fields are relied on. */
export interface EsNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export type ParseOutcome =
  | { mode: 'parsed' | 'recovered'; program: EsNode; error?: string }
  | { mode: 'failed'; error: string };

export interface ParseRequest {
  typescript: boolean;
  jsx: boolean;
}

const DEPTH_ERROR = 'nesting too deep for the parser';

/**
 * acorn computes a line and column for every error it raises by scanning from the start of the file;
 * acorn-loose recovers from thousands of errors in garbage input, which made that quadratic (seconds for
 * 250 KB of binary). The recovering tokenizer only needs the offsets.
 */
class OffsetOnlyParser extends acorn.Parser {
  raise(pos: number, message: string): never {
    const error = new SyntaxError(message) as SyntaxError & { pos: number; raisedAt: number };
    error.pos = pos;
    error.raisedAt = (this as unknown as { pos: number }).pos;
    throw error;
  }

  raiseRecoverable(pos: number, message: string): never {
    return this.raise(pos, message);
  }
}

// acorn-loose builds its tokenizer from `this.constructor.BaseParser`: a subclass swaps in the one above.
type LooseParserClass = (new (
  input: string,
  options: acorn.Options,
) => { parse(): acorn.Program }) & {
  BaseParser: typeof acorn.Parser;
};
const QuickLooseParser = (() => {
  const Loose = acornLoose.LooseParser as unknown as LooseParserClass;
  class Quick extends Loose {
    static parse(input: string, options: acorn.Options): acorn.Program {
      return new Quick(input, options).parse();
    }
  }
  (Quick as unknown as LooseParserClass).BaseParser = OffsetOnlyParser;
  return Quick;
})();
const LOOSE_PARSE_LIMIT = 256 * 1024;

/** Stack exhaustion in a parser is a property of the input, not a bug: it sends the file to the token reader. */
function isStackExhaustion(error: unknown): boolean {
  return error instanceof RangeError || /stack space|call stack/i.test((error as Error)?.message ?? '');
}

/**
 * Parses a file the way a scanner needs (parsers chosen by measurement: test/bench/parsers.js).
 * JavaScript: meriyah (fastest pure-JS parser measured, Annex B syntax with `webcompat`) as a module, then
 * as CommonJS, then with JSX; if all reject it, acorn-loose recovers the code before and after the error,
 * so a deliberate syntax error cannot hide it. TypeScript: @babel/parser with error recovery. Native
 * parsers are not used in-process: the fastest one measured crashes the process on hostile nesting.
 */
export function parseJavaScript(
  text: string,
  request: ParseRequest = { typescript: false, jsx: false },
): ParseOutcome {
  if (request.typescript) return parseTypeScript(text, request.jsx);
  let firstError = '';
  const attempts: Array<{ sourceType: 'module' | 'commonjs'; jsx: boolean }> = [
    { sourceType: 'module', jsx: request.jsx },
    { sourceType: 'commonjs', jsx: request.jsx },
    ...(request.jsx ? [] : [{ sourceType: 'module' as const, jsx: true }]),
  ];
  for (const attempt of attempts) {
    try {
      const program = meriyahParse(text, {
        sourceType: attempt.sourceType,
        next: true,
        webcompat: true,
        // Offsets only: `ranges: true` also gives every node a `range` array, a third of the AST's memory.
        ranges: { start: true, end: true },
        jsx: attempt.jsx,
      }) as unknown as EsNode;
      return { mode: 'parsed', program };
    } catch (error) {
      if (isStackExhaustion(error)) return { mode: 'failed', error: DEPTH_ERROR };
      firstError ||= (error as Error).message;
    }
  }
  // acorn-loose recomputes line numbers on every error it recovers from: quadratic on large garbage. Past
  // this size a file no strict parser accepts is read as tokens instead.
  if (text.length > LOOSE_PARSE_LIMIT) return { mode: 'failed', error: firstError };
  try {
    const program = QuickLooseParser.parse(text, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      allowHashBang: true,
    }) as unknown as EsNode;
    return { mode: 'recovered', program, error: firstError };
  } catch (error) {
    return { mode: 'failed', error: isStackExhaustion(error) ? DEPTH_ERROR : firstError };
  }
}

function parseTypeScript(text: string, jsx: boolean): ParseOutcome {
  try {
    const file = babelParse(text, {
      sourceType: 'unambiguous',
      errorRecovery: true,
      attachComment: false,
      plugins: ['estree', 'typescript', 'decorators', ...(jsx ? (['jsx'] as const) : [])],
    }) as unknown as { program: EsNode; errors?: Array<{ message: string }> };
    const errors = file.errors ?? [];
    return errors.length > 0
      ? { mode: 'recovered', program: file.program, error: errors[0]?.message ?? 'syntax error' }
      : { mode: 'parsed', program: file.program };
  } catch (error) {
    return { mode: 'failed', error: isStackExhaustion(error) ? DEPTH_ERROR : (error as Error).message };
  }
}

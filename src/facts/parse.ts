import { parse as babelParse } from '@babel/parser';
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
        ranges: true,
        jsx: attempt.jsx,
      }) as unknown as EsNode;
      return { mode: 'parsed', program };
    } catch (error) {
      if (isStackExhaustion(error)) return { mode: 'failed', error: DEPTH_ERROR };
      firstError ||= (error as Error).message;
    }
  }
  try {
    const program = acornLoose.parse(text, {
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

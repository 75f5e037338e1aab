import { detachStrings } from './detach.js';
import { countEscapes, FactExtractor, fileSignals } from './extract.js';
import type { Folded } from './fold.js';
import { LineIndex } from './line-index.js';
import type { FactOptions, JsFileFacts } from './model.js';
import { parseJavaScript } from './parse.js';
import { tokenFacts } from './token-fallback.js';

/** Resolves `require('./x')` inside the package to the constant that file exports, if any. */
export type ModuleConstants = (specifier: string) => Folded | undefined;

function parseRequestFor(path: string) {
  return { typescript: /\.[cm]?tsx?$/i.test(path), jsx: /\.[jt]sx$/i.test(path) };
}

/** Parses one file once and extracts its facts; a file no parser accepts is read token by token instead. */
export function jsFileFacts(
  path: string,
  text: string,
  modules?: ModuleConstants,
  options: FactOptions = {},
): JsFileFacts {
  const lines = new LineIndex(text);
  const parsed = parseJavaScript(text, parseRequestFor(path));
  if (parsed.mode !== 'failed') {
    try {
      const extracted = new FactExtractor(text, parsed.program, modules, lines, options.everyCall).extract(
        path,
      );
      const { hexIdentifiers, stringArray, escapedChars, ...facts } = extracted;
      return detachStrings({
        ...facts,
        parse: parsed.mode,
        ...(parsed.error ? { parseError: parsed.error } : {}),
        signals: fileSignals(text, lines, hexIdentifiers, stringArray, escapedChars),
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // Fall through: a tree too deep to walk is read as tokens.
    }
  }
  const { hexIdentifiers, ...facts } = tokenFacts(
    path,
    text,
    parsed.mode === 'failed' ? parsed.error : 'tree too deep',
  );
  return detachStrings({
    ...facts,
    signals: fileSignals(text, lines, hexIdentifiers, false, countEscapes(text)),
  });
}

/** The constant a file assigns to module.exports (a data file of strings, a key table), if any. */
export function exportsConstant(path: string, text: string, modules?: ModuleConstants): Folded | undefined {
  const parsed = parseJavaScript(text, parseRequestFor(path));
  if (parsed.mode === 'failed') return undefined;
  try {
    return new FactExtractor(text, parsed.program, modules).exportsConstant();
  } catch {
    return undefined;
  }
}

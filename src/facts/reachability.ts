import { posix } from 'node:path';
import type { DeclaredTool } from '../model.js';
import { type CodeFacts, declaredTools } from './package-facts.js';

const TEST_PATH =
  /(?:^|\/)(?:test|tests|__tests__|spec|specs|__mocks__|fixtures?|examples?|benchmarks?|docs?)\/|\.(?:test|spec|bench)\.[cm]?[jt]sx?$/i;
const SUFFIXES = ['', '.js', '.cjs', '.mjs', '.json', '/index.js', '.ts'];

/**
 * Test, example and fixture files that no other file of the package loads. Their code never runs when the
 * package is used, so what they contain is reported at low at most. A test file that package code does load
 * (the flatmap-stream payload sat in test/data.js, required by the main file) stays fully graded.
 */
export function testOnlyFiles(code: CodeFacts): Set<string> {
  const paths = new Set(code.js.map((file) => file.path));
  const loaded = new Set<string>();
  for (const file of code.js) {
    if (TEST_PATH.test(file.path)) continue;
    for (const use of file.imports) {
      if (!use.module.startsWith('.')) continue;
      const base = posix.normalize(posix.join(posix.dirname(file.path), use.module));
      for (const suffix of SUFFIXES) if (paths.has(base + suffix)) loaded.add(base + suffix);
    }
  }
  return new Set([...paths].filter((path) => TEST_PATH.test(path) && !loaded.has(path)));
}

/** The tools a server offers: those declared outside examples and tests that nothing loads. */
export function offeredTools(code: CodeFacts): DeclaredTool[] {
  const testOnly = testOnlyFiles(code);
  return declaredTools(code).filter((tool) => !testOnly.has(tool.file));
}

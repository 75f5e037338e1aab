/** The fields of package.json the checks read. Everything is optional: a hostile manifest may hold anything. */
export interface PackageManifest {
  name?: unknown;
  version?: unknown;
  main?: unknown;
  bin?: unknown;
  scripts?: unknown;
  gypfile?: unknown;
  [key: string]: unknown;
}

export interface ParsedManifest {
  manifest: PackageManifest | null;
  text: string | null;
  error?: string;
}

export function parseManifest(text: string | undefined): ParsedManifest {
  if (text === undefined) return { manifest: null, text: null, error: 'package.json is missing' };
  try {
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { manifest: null, text, error: 'package.json is not an object' };
    }
    return { manifest: value as PackageManifest, text };
  } catch (error) {
    return { manifest: null, text, error: `package.json is not valid JSON: ${(error as Error).message}` };
  }
}

/** Lifecycle scripts as a plain string map, ignoring non-string values. */
export function scriptsOf(manifest: PackageManifest | null): Record<string, string> {
  const scripts = manifest?.scripts;
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(scripts)) {
    if (typeof value === 'string') result[key] = value;
  }
  return result;
}

/**
 * Finds the 1-based line and column of a JSON key in the manifest text, so a finding can point at it.
 * Searches for `"key"` followed by a colon; under `parentKey` when given (e.g. "postinstall" inside "scripts").
 */
export function locateKey(
  text: string | null,
  key: string,
  parentKey?: string,
): { line: number; column: number } | undefined {
  if (!text) return undefined;
  let from = 0;
  if (parentKey) {
    const parent = findKeyOffset(text, parentKey, 0);
    if (parent === -1) return undefined;
    from = parent;
  }
  const offset = findKeyOffset(text, key, from);
  if (offset === -1) return undefined;
  return offsetToLineColumn(text, offset);
}

function findKeyOffset(text: string, key: string, from: number): number {
  const needle = JSON.stringify(key);
  let index = text.indexOf(needle, from);
  while (index !== -1) {
    let after = index + needle.length;
    while (after < text.length && /\s/.test(text[after] ?? '')) after++;
    if (text[after] === ':') return index;
    index = text.indexOf(needle, index + 1);
  }
  return -1;
}

export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

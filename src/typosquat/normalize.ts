/**
 * Name normal forms used to spot imitation. Each form erases one kind of difference a person does not see
 * or does not remember (separators, look-alike characters, filler words), so two names that meet in a form
 * differ only by that trick.
 */

export interface SplitName {
  /** Scope without the `@`, or undefined for an unscoped name. */
  scope: string | undefined;
  /** The part after the scope, or the whole name. */
  bare: string;
}

export function splitName(name: string): SplitName {
  const match = /^@([^/]+)\/(.+)$/.exec(name);
  return match ? { scope: match[1], bare: match[2] as string } : { scope: undefined, bare: name };
}

export function joinName(scope: string | undefined, bare: string): string {
  return scope === undefined ? bare : `@${scope}/${bare}`;
}

const SEPARATORS = /[-_.]/g;

/** `file-system`, `file_system`, `file.system` and `filesystem` meet here. */
export function withoutSeparators(name: string): string {
  return name.replace(SEPARATORS, '');
}

/** Words of a name, split on separators (the scope, if any, is a word of its own). */
export function nameTokens(name: string): string[] {
  const { scope, bare } = splitName(name);
  const words = bare.split(SEPARATORS).filter(Boolean);
  return scope === undefined ? words : [scope, ...words];
}

/**
 * Letters from other scripts that render like Latin ones in most fonts. NFKD already folds fullwidth and
 * styled forms (ｅ, 𝐞) and splits accents off; these are the look-alikes it leaves alone.
 */
const HOMOGLYPHS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  һ: 'h',
  і: 'i',
  ї: 'i',
  ј: 'j',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Latin letters that are not a-z
  ı: 'i',
  ɡ: 'g',
  ł: 'l',
  ø: 'o',
  đ: 'd',
};

/** Printable ASCII (anything else takes the full path, which gives the same result for plain ASCII). */
const ASCII = /^[ -~]*$/;

/** ASCII sequences that read as another letter at a glance, longest first. */
const ASCII_CONFUSABLES: ReadonlyArray<readonly [string, string]> = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
  ['1', 'l'],
  ['|', 'l'],
  ['0', 'o'],
];

/**
 * Folds a name to the letters it looks like: Unicode homoglyphs and accents to ASCII, a capital I (which
 * looks like l) to l, then `rn`→m, `vv`→w, `cl`→d, `1`→l, `0`→o. Two different names with the same folded
 * form look the same to a reader.
 */
export function foldConfusables(name: string): string {
  const capitalIAsL = name.replace(/I/g, 'l');
  // ASCII is its own NFKD form and has no marks or homoglyphs: the per-character pass only changes other names
  // (and cost a third of the typosquat index's build, over 10,000 ASCII names).
  let folded = ASCII.test(capitalIAsL) ? capitalIAsL.toLowerCase() : '';
  if (!folded) {
    for (const char of capitalIAsL.normalize('NFKD').toLowerCase()) {
      if (/\p{M}/u.test(char)) continue; // accents split off by NFKD
      folded += HOMOGLYPHS[char] ?? char;
    }
  }
  for (const [from, to] of ASCII_CONFUSABLES) folded = folded.split(from).join(to);
  return folded;
}

/** Describes what folding changed, for the finding message ("'rn' for 'm'", "Cyrillic 'о' for 'o'"). */
export function describeConfusion(suspect: string, target: string): string {
  const nonAscii = [...suspect].filter((char) => char.charCodeAt(0) > 0x7f);
  if (nonAscii.length > 0) {
    const shown = [...new Set(nonAscii)].map((char) => `'${char}' (U+${codePoint(char)})`).join(', ');
    return `non-Latin look-alike ${shown}`;
  }
  for (const [from, to] of ASCII_CONFUSABLES) {
    if (suspect.includes(from) && !target.includes(from) && target.includes(to))
      return `'${from}' for '${to}'`;
  }
  if (suspect.includes('I')) return "'I' for 'l'";
  return 'look-alike characters';
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Filler people add or drop when they half-remember a name (`jquery.js`, `node-fetch`, `nodemailer-js`).
 * An imitation that only adds one of these to a popular name claims to be that package.
 */
export const NOISE_PREFIXES = ['nodejs-', 'node-', 'node.', 'node', 'js-'] as const;
export const NOISE_SUFFIXES = [
  '-nodejs',
  '-node',
  '.node',
  '-js',
  '.js',
  '_js',
  'js',
  '-npm',
  '-lib',
  '.dll',
] as const;
/** Filler that marks an MCP server; only noise when the name it decorates is an MCP server's. */
export const MCP_NOISE_PREFIXES = ['mcp-server-', 'mcp-', 'server-'] as const;
export const MCP_NOISE_SUFFIXES = ['-mcp-server', '-mcp', '-server', '-mcp-js'] as const;

export interface NoiseVariant {
  /** The name with the filler removed. */
  core: string;
  /** The filler, as written (`node-`, `.js`). */
  removed: string[];
}

/**
 * Every way to remove one filler prefix, one filler suffix, or both, leaving at least three characters.
 */
export function noiseVariants(
  bare: string,
  prefixes: readonly string[] = NOISE_PREFIXES,
  suffixes: readonly string[] = NOISE_SUFFIXES,
): NoiseVariant[] {
  const variants: NoiseVariant[] = [];
  const withPrefixRemoved: NoiseVariant[] = [{ core: bare, removed: [] }];
  for (const prefix of prefixes) {
    if (bare.startsWith(prefix) && bare.length - prefix.length >= 3) {
      withPrefixRemoved.push({ core: bare.slice(prefix.length), removed: [prefix] });
    }
  }
  for (const start of withPrefixRemoved) {
    if (start.removed.length > 0) variants.push(start);
    for (const suffix of suffixes) {
      if (start.core.endsWith(suffix) && start.core.length - suffix.length >= 2) {
        variants.push({ core: start.core.slice(0, -suffix.length), removed: [...start.removed, suffix] });
      }
    }
  }
  return variants;
}

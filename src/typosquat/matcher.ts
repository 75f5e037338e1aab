import levenshtein from 'fast-levenshtein';
import { DeletionIndex, isDeletionOf } from './deletion-index.js';
import { describeSingleEdit, singleDeletions, trigrams } from './edits.js';
import {
  describeConfusion,
  foldConfusables,
  MCP_NOISE_PREFIXES,
  MCP_NOISE_SUFFIXES,
  nameTokens,
  noiseVariants,
  splitName,
  withoutSeparators,
} from './normalize.js';
import { isLegitimateSibling, REPORT_THRESHOLD, scoreSuspect, type Technique } from './score.js';

/** An MCP server people install by name (src/data/mcp-servers.json). */
export interface McpServerEntry {
  name: string;
  /** The vendor word an impersonator must use (`postmark`), or null for generic reference servers. */
  brand: string | null;
  vendor: string;
  /** Other names people type for it, such as the command it installs (`mcp-server-filesystem`). */
  aliases: string[];
  /** npm scopes (`@supabase`) and unscoped names the vendor itself publishes under. */
  scopes: string[];
  monthlyDownloads: number | null;
}

/** One string a look-alike can be compared with, and the real package it stands for. */
interface TargetForm {
  form: string;
  name: string;
  monthlyDownloads: number | undefined;
  mcpServer: McpServerEntry | undefined;
}

export interface Suspect {
  /** The real package the name imitates. */
  target: string;
  technique: Technique;
  /** How the name differs from the target, for people: "inserted 'r'", "'-' removed". */
  detail: string;
  /** 0 to 1: how likely the name is an imitation (see score.ts). */
  score: number;
  targetDownloads: number | undefined;
  /** Set when the target is a known MCP server. */
  targetVendor: string | undefined;
}

export interface NameIndex {
  /** Monthly downloads of a name in the popular list, or undefined when it is not there. */
  downloadsOf(name: string): number | undefined;
  /** True when the name is a popular package or a known MCP server. */
  isKnown(name: string): boolean;
  readonly forms: readonly TargetForm[];
  readonly byForm: ReadonlyMap<string, TargetForm[]>;
  readonly bySeparatorless: ReadonlyMap<string, TargetForm[]>;
  readonly byFolded: ReadonlyMap<string, TargetForm[]>;
  /** Every form's one-character deletions, to find names one edit apart (positions in `forms`). */
  readonly byDeletion: DeletionIndex;
  readonly byTrigram: ReadonlyMap<string, number[]>;
  readonly byTokenSet: ReadonlyMap<string, TargetForm[]>;
  readonly byDotJsCore: ReadonlyMap<string, TargetForm[]>;
  readonly byMcpCore: ReadonlyMap<string, TargetForm[]>;
  readonly byScopedBare: ReadonlyMap<string, TargetForm[]>;
  readonly byFlattenedScope: ReadonlyMap<string, TargetForm[]>;
  /** Each scope in the list, with its most downloaded package. */
  readonly topOfScope: ReadonlyMap<string, TargetForm>;
  readonly brands: ReadonlyArray<McpServerEntry & { brand: string }>;
  /** Every word used in the known names (`global`, `local`, `server`): a word traded for one of these is a new name. */
  readonly words: ReadonlySet<string>;
}

/** Scopes whose packages are named after someone else's package: types, forks, integrations, polyfills. */
const DERIVATIVE_SCOPES = new Set([
  'types',
  'nolyfill',
  'isaacs',
  'nx',
  'jest',
  'vitest',
  'storybook',
  'volar',
  'esbuild',
]);

function isDerivativeScope(name: string): boolean {
  const scope = splitName(name).scope;
  return scope !== undefined && DERIVATIVE_SCOPES.has(scope);
}

/** Two edits only count on names this long: shorter names two edits apart are simply different words. */
const MIN_LENGTH_DISTANCE_TWO = 8;
/** Plain substitutions and insertions only count on targets this long (`pg`→`pug` is another package). */
const MIN_LENGTH_PLAIN_EDIT = 5;
/** Repeats, drops and swaps only count on targets this long. */
const MIN_LENGTH_SLIP = 4;

/**
 * Bare names too generic to claim: `@acme/utils` does not imitate `@other/utils`. A scoped bare name has to
 * be distinctive before an unscoped or re-scoped copy of it is reported.
 */
const GENERIC_BARE_NAMES = new Set([
  'core',
  'utils',
  'util',
  'cli',
  'types',
  'common',
  'shared',
  'config',
  'client',
  'server',
  'plugin',
  'parser',
  'runtime',
  'helpers',
  'logger',
  'eslint-config',
  'eslint-plugin',
  'prettier-config',
  'tsconfig',
  'icons',
  'components',
  'react',
  'node',
  'sdk',
  'api',
  'mcp',
  'cache',
  'schema',
  'compiler',
  'shared-utils',
  'mutex',
  'storage',
  'auth',
  'browser',
  'testing',
]);

function isDistinctiveBare(bare: string): boolean {
  return bare.length >= 5 && !GENERIC_BARE_NAMES.has(bare);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function tokenSetKey(name: string): string {
  return nameTokens(name).sort().join(' ');
}

/** The word an MCP server is named after, with MCP filler removed: `server-filesystem` → `filesystem`. */
function mcpCore(bare: string): string | undefined {
  const variants = noiseVariants(bare, MCP_NOISE_PREFIXES, MCP_NOISE_SUFFIXES);
  const shortest = variants.sort((a, b) => a.core.length - b.core.length)[0];
  return shortest?.core;
}

/** Builds the look-up structures once; each query is then a handful of map reads. */
export function buildNameIndex(
  popular: ReadonlyArray<readonly [string, number]>,
  mcpServers: readonly McpServerEntry[],
): NameIndex {
  const downloads = new Map<string, number>(popular.map(([name, count]) => [name, count]));
  const forms: TargetForm[] = popular.map(([name, count]) => ({
    form: name,
    name,
    monthlyDownloads: count,
    mcpServer: undefined,
  }));
  const mcpByName = new Map(mcpServers.map((server) => [server.name, server]));
  for (const form of forms) form.mcpServer = mcpByName.get(form.name);
  for (const server of mcpServers) {
    const serverDownloads = downloads.get(server.name) ?? server.monthlyDownloads ?? undefined;
    if (!downloads.has(server.name)) {
      forms.push({
        form: server.name,
        name: server.name,
        monthlyDownloads: serverDownloads,
        mcpServer: server,
      });
    }
    for (const alias of server.aliases) {
      forms.push({ form: alias, name: server.name, monthlyDownloads: serverDownloads, mcpServer: server });
    }
  }

  const byForm = new Map<string, TargetForm[]>();
  const bySeparatorless = new Map<string, TargetForm[]>();
  const byFolded = new Map<string, TargetForm[]>();
  const byTrigram = new Map<string, number[]>();
  const byTokenSet = new Map<string, TargetForm[]>();
  const byDotJsCore = new Map<string, TargetForm[]>();
  const byMcpCore = new Map<string, TargetForm[]>();
  const byScopedBare = new Map<string, TargetForm[]>();
  const byFlattenedScope = new Map<string, TargetForm[]>();
  const topOfScope = new Map<string, TargetForm>();

  const words = new Set<string>();
  forms.forEach((target, position) => {
    const { form } = target;
    for (const word of nameTokens(form)) words.add(word);
    push(byForm, form, target);
    push(bySeparatorless, withoutSeparators(form), target);
    push(byFolded, withoutSeparators(foldConfusables(form)), target);
    if (form.length >= MIN_LENGTH_DISTANCE_TWO) {
      for (const gram of trigrams(form)) push(byTrigram, gram, position);
    }
    if (nameTokens(form).length >= 2) push(byTokenSet, tokenSetKey(form), target);
    const { scope, bare } = splitName(form);
    const dotJs = /^(.{3,})[.-]js$/.exec(bare);
    if (scope === undefined && dotJs) push(byDotJsCore, dotJs[1] as string, target);
    if (target.mcpServer) {
      const core = mcpCore(bare);
      if (core) push(byMcpCore, core, target);
    }
    if (scope !== undefined) {
      if (isDistinctiveBare(bare)) push(byScopedBare, bare, target);
      push(byFlattenedScope, withoutSeparators(scope + bare), target);
      const top = topOfScope.get(scope);
      if (!top || (target.monthlyDownloads ?? 0) > (top.monthlyDownloads ?? 0)) topOfScope.set(scope, target);
    }
  });

  const brands = mcpServers.filter((server): server is McpServerEntry & { brand: string } =>
    Boolean(server.brand),
  );
  const byDeletion = new DeletionIndex(forms.map((target) => target.form));
  const knownNames = new Set(forms.map((target) => target.name));
  return {
    downloadsOf: (name) => downloads.get(name),
    isKnown: (name) => knownNames.has(name),
    forms,
    byForm,
    bySeparatorless,
    byFolded,
    byDeletion,
    byTrigram,
    byTokenSet,
    byDotJsCore,
    byMcpCore,
    byScopedBare,
    byFlattenedScope,
    topOfScope,
    brands,
    words,
  };
}

export interface FindOptions {
  /**
   * Downloads of the name being checked. Defaults to its entry in the popular list (undefined when absent).
   * Pass `null` to judge it as a brand-new package whatever the list says.
   */
  suspectDownloads?: number | null;
}

/**
 * The packages `name` imitates, most likely first. Empty for names that resemble nothing popular, and for
 * popular names whose look-alikes are not far more popular than they are.
 */
export function findSuspects(rawName: string, index: NameIndex, options: FindOptions = {}): Suspect[] {
  const name = rawName.trim();
  const lower = name.toLowerCase();
  const { scope, bare } = splitName(lower);
  const suspectDownloads =
    options.suspectDownloads === null ? undefined : (options.suspectDownloads ?? index.downloadsOf(lower));
  const best = new Map<string, Suspect>();

  const consider = (target: TargetForm, technique: Technique, detail: string, distance?: number) => {
    if (target.name === lower || target.form === lower) return;
    if (!isPlausibleOwner(lower, scope, target)) return;
    if (isLegitimateSibling(lower, target.form) || isLegitimateSibling(lower, target.name)) return;
    const score = scoreSuspect({
      technique,
      ...(distance !== undefined ? { distance } : {}),
      targetDownloads: target.monthlyDownloads,
      suspectDownloads,
      targetIsMcpServer: target.mcpServer !== undefined,
    });
    if (score < REPORT_THRESHOLD) return;
    const previous = best.get(target.name);
    if (previous && previous.score >= score) return;
    best.set(target.name, {
      target: target.name,
      technique,
      detail: target.form === target.name ? detail : `${detail}; ${target.form} is its command name`,
      score,
      targetDownloads: target.monthlyDownloads,
      targetVendor: target.mcpServer?.vendor,
    });
  };

  // Same letters, other separators: crossenv, file_system.
  const separatorless = withoutSeparators(lower);
  for (const target of index.bySeparatorless.get(separatorless) ?? []) {
    consider(target, 'separator', separatorDetail(lower, target.form));
  }
  // Same look: rn for m, 1 for l, Cyrillic о for o.
  const folded = withoutSeparators(foldConfusables(name));
  if (folded !== separatorless || /[^\x20-\x7e]|I/.test(name)) {
    for (const target of index.byFolded.get(folded) ?? []) {
      if (withoutSeparators(target.form) !== separatorless || name !== lower) {
        consider(target, 'confusable', describeConfusion(name, target.form));
      }
    }
  }
  findSingleEdits(lower, index, consider);
  findDoubleEdits(lower, index, consider);
  // Same words, another order: filesystem-mcp-server.
  if (scope === undefined && nameTokens(lower).length >= 2) {
    for (const target of index.byTokenSet.get(tokenSetKey(lower)) ?? []) {
      if (splitName(target.form).scope !== undefined) continue; // @babel/core and babel-core: scope rules
      if (withoutSeparators(target.form) !== separatorless)
        consider(target, 'token-order', 'words reordered');
    }
  }
  findNoise(lower, scope, bare, index, consider);
  findScopeConfusion(lower, scope, bare, index, consider);
  findBrandImpersonation(lower, scope, index, consider);

  return [...best.values()].sort(
    (a, b) => b.score - a.score || (b.targetDownloads ?? 0) - (a.targetDownloads ?? 0),
  );
}

type Consider = (target: TargetForm, technique: Technique, detail: string, distance?: number) => void;

/**
 * A scope is owned on npm: nothing published under a target's own scope, or by the MCP vendor it names,
 * imitates it; and `@types/x` is named after `x` on purpose.
 */
function isPlausibleOwner(lower: string, scope: string | undefined, target: TargetForm): boolean {
  if (scope === 'types') return false;
  const targetScope = splitName(target.name).scope;
  if (scope !== undefined && scope === targetScope) return false;
  const vendorScopes = target.mcpServer?.scopes ?? [];
  if (vendorScopes.includes(lower) || (scope !== undefined && vendorScopes.includes(`@${scope}`)))
    return false;
  return true;
}

function separatorDetail(suspect: string, target: string): string {
  const count = (text: string) => {
    const counts = new Map<string, number>();
    for (const char of text) if (/[-_.]/.test(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
    return counts;
  };
  const inSuspect = count(suspect);
  const inTarget = count(target);
  const added: string[] = [];
  const removed: string[] = [];
  for (const char of ['-', '_', '.']) {
    const difference = (inSuspect.get(char) ?? 0) - (inTarget.get(char) ?? 0);
    if (difference > 0) added.push(`'${char}'`);
    if (difference < 0) removed.push(`'${char}'`);
  }
  if (added.length && removed.length) return `${removed.join(', ')} written as ${added.join(', ')}`;
  if (added.length) return `${added.join(', ')} added`;
  if (removed.length) return `${removed.join(', ')} removed`;
  return 'separators moved';
}

function findSingleEdits(lower: string, index: NameIndex, consider: Consider): void {
  const candidates = new Set<TargetForm>();
  // The index answers by hash: a form is taken only when `text` really is one of its deletions, so the
  // candidates (and the order `consider` sees them in) are those of an exact index.
  const addHaving = (text: string) => (position: number) => {
    const target = index.forms[position] as TargetForm;
    if (isDeletionOf(text, target.form)) candidates.add(target);
  };
  index.byDeletion.candidates(lower).forEach(addHaving(lower));
  for (const deletion of singleDeletions(lower)) {
    for (const target of index.byForm.get(deletion) ?? []) candidates.add(target);
    index.byDeletion.candidates(deletion).forEach(addHaving(deletion));
  }
  for (const target of candidates) {
    const edit = describeSingleEdit(lower, target.form);
    if (!edit || isWordChange(lower, target.form)) continue;
    const length = splitName(target.form).bare.length;
    const minimum = edit.technique === 'edit-distance' ? MIN_LENGTH_PLAIN_EDIT : MIN_LENGTH_SLIP;
    if (length < minimum) continue;
    // An edit inside the scope is judged as scope confusion, where the scope's own packages are known.
    if (splitName(lower).scope !== splitName(target.form).scope) continue;
    consider(target, edit.technique, `edit distance 1: ${edit.detail}`, 1);
  }
}

function findDoubleEdits(lower: string, index: NameIndex, consider: Consider): void {
  if (lower.length < MIN_LENGTH_DISTANCE_TWO - 2) return;
  const counts = new Map<number, number>();
  for (const gram of trigrams(lower)) {
    for (const position of index.byTrigram.get(gram) ?? [])
      counts.set(position, (counts.get(position) ?? 0) + 1);
  }
  for (const [position, shared] of counts) {
    const target = index.forms[position] as TargetForm;
    if (target.form.length < MIN_LENGTH_DISTANCE_TWO || Math.abs(target.form.length - lower.length) > 2)
      continue;
    // q-gram count filter: two edits destroy at most 6 padded trigrams.
    if (shared < Math.max(target.form.length, lower.length) + 2 - 2 - 6) continue;
    if (splitName(lower).scope !== splitName(target.form).scope) continue;
    if (levenshtein.get(lower, target.form) !== 2) continue;
    // Two free edits turn one ordinary word into another (commander, commondir); two letters dropped from
    // or doubled in a popular name (pupeter for puppeteer) is the slip a squatter bets on.
    const dropped = isSubsequence(lower, target.form);
    const added = isSubsequence(target.form, lower);
    // A long name kept with its first and last letters is still read as that name (pupetier for puppeteer).
    const sameOutline =
      target.form.length >= 9 &&
      lower[0] === target.form[0] &&
      lower.at(-1) === target.form.at(-1) &&
      !otherWordSwapped(lower, target.form, index.words);
    if (!dropped && !added && !sameOutline) continue;
    const how = dropped ? 'two letters dropped' : added ? 'two letters added' : 'two letters changed';
    consider(target, 'edit-distance', `edit distance 2: ${how}`, 2);
  }
}

/**
 * True when two names of several words differ in exactly one word, the suspect's word is itself a word known names
 * use, and it has another outline (import-global and import-local): one word traded for another, not a misspelling.
 */
function otherWordSwapped(suspect: string, target: string, words: ReadonlySet<string>): boolean {
  const a = nameTokens(suspect);
  const b = nameTokens(target);
  if (a.length < 2 || a.length !== b.length) return false;
  const differing = a.flatMap((word, index) => (word === b[index] ? [] : [[word, b[index] ?? '']]));
  if (differing.length !== 1) return false;
  const [word = '', other = ''] = differing[0] ?? [];
  return words.has(word) && (word[0] !== other[0] || word.at(-1) !== other.at(-1));
}

function findNoise(
  lower: string,
  scope: string | undefined,
  bare: string,
  index: NameIndex,
  consider: Consider,
): void {
  if (scope !== undefined) return;
  for (const variant of noiseVariants(bare)) {
    const detail = `added ${variant.removed.map((affix) => `'${affix}'`).join(' and ')}`;
    for (const target of index.byForm.get(variant.core) ?? []) {
      if (target.form !== lower) consider(target, 'noise-affix', detail);
    }
    for (const target of index.bySeparatorless.get(withoutSeparators(variant.core)) ?? []) {
      consider(target, 'noise-affix', `${detail} and changed separators`);
    }
    // passports-js: filler around a misspelling of the name.
    findSingleEdits(variant.core, index, (target, _technique, editDetail, distance) => {
      consider(target, 'noise-affix', `${detail} and ${editDetail}`, distance);
    });
    // discord.dll for discord.js: the same name under another filler.
    for (const target of index.byDotJsCore.get(variant.core) ?? []) {
      consider(target, 'noise-affix', `${detail} in place of its '.js'`);
    }
  }
  // An MCP server's word with other MCP filler around it: filesystem-mcp for server-filesystem.
  for (const variant of noiseVariants(bare, MCP_NOISE_PREFIXES, MCP_NOISE_SUFFIXES)) {
    for (const target of index.byMcpCore.get(variant.core) ?? []) {
      consider(target, 'noise-affix', `the server's word '${variant.core}' with other MCP filler`);
    }
  }
}

function findScopeConfusion(
  lower: string,
  scope: string | undefined,
  bare: string,
  index: NameIndex,
  consider: Consider,
): void {
  if (scope === undefined) {
    for (const target of index.byScopedBare.get(bare) ?? []) {
      // Scoped packages named after an unscoped one (@types/x, @nx/rollup) are derivatives of it, not the
      // original; only a multi-word name or an MCP server is distinctive enough to claim.
      if (isDerivativeScope(target.name)) continue;
      if (!target.mcpServer && nameTokens(bare).length < 2) continue;
      consider(target, 'scope-confusion', `an unscoped copy of ${target.name}`);
    }
    for (const target of index.byFlattenedScope.get(withoutSeparators(bare)) ?? []) {
      consider(target, 'scope-confusion', `the scope of ${target.name} folded into the name`);
    }
    return;
  }
  // A scope that itself publishes popular packages (@sentry, @aws-sdk) is a real organisation naming its own
  // package; the same bare name under it is not a copy.
  if (isDistinctiveBare(bare) && !index.topOfScope.has(scope)) {
    // Several organisations publish the same bare name (@smithy and @aws-sdk); only an MCP server's name
    // under a stranger's scope is reported.
    for (const target of index.byScopedBare.get(bare) ?? []) {
      if (!target.mcpServer) continue;
      consider(
        target,
        'scope-confusion',
        `the same name under @${scope} instead of @${splitName(target.name).scope}`,
      );
    }
  }
  // A scope one slip away from a popular one: @typescript_eslinter for @typescript-eslint.
  if (index.topOfScope.has(scope)) return;
  const scopeSeparatorless = withoutSeparators(scope);
  const scopeFolded = foldConfusables(scopeSeparatorless);
  for (const [knownScope, top] of index.topOfScope) {
    if (Math.abs(knownScope.length - scope.length) > 3) continue;
    const knownSeparatorless = withoutSeparators(knownScope);
    const lengthOk = knownSeparatorless.length >= 4;
    const close =
      knownSeparatorless === scopeSeparatorless ||
      foldConfusables(knownSeparatorless) === scopeFolded ||
      (lengthOk && levenshtein.get(knownSeparatorless, scopeSeparatorless) === 1) ||
      (knownSeparatorless.length >= MIN_LENGTH_DISTANCE_TWO &&
        levenshtein.get(knownSeparatorless, scopeSeparatorless) === 2);
    if (!close) continue;
    const sameBare = index.byForm.get(`@${knownScope}/${bare}`)?.[0];
    consider(sameBare ?? top, 'scope-confusion', `scope @${scope} looks like @${knownScope}`);
  }
  void lower;
}

function findBrandImpersonation(
  lower: string,
  scope: string | undefined,
  index: NameIndex,
  consider: Consider,
): void {
  const tokens = nameTokens(lower);
  if (!tokens.some((token) => token === 'mcp' || token.startsWith('mcp') || token.endsWith('mcp'))) return;
  const separatorless = withoutSeparators(lower);
  for (const server of index.brands) {
    const brandWord = withoutSeparators(server.brand);
    const named =
      tokens.includes(server.brand) || (brandWord.length >= 6 && separatorless.includes(brandWord));
    if (!named) continue;
    if (server.scopes.includes(lower) || (scope !== undefined && server.scopes.includes(`@${scope}`)))
      continue;
    const target = index.byForm.get(server.name)?.[0];
    if (target)
      consider(target, 'brand-impersonation', `uses the ${server.vendor} brand without being its server`);
  }
}

function isSubsequence(short: string, long: string): boolean {
  let position = 0;
  for (const char of long) if (char === short[position]) position++;
  return position === short.length;
}

/**
 * Edits that make another word rather than a misspelling: a different first letter (react/preact,
 * axios/gaxios) or a different trailing version digit (eventemitter2/3, merge/merge2).
 */
function isWordChange(suspect: string, target: string): boolean {
  const suspectBare = splitName(suspect).bare;
  const targetBare = splitName(target).bare;
  if (suspectBare[0] !== targetBare[0]) return true;
  return /\d$/.test(suspectBare) || /\d$/.test(targetBare);
}

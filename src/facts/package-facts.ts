import { posix } from 'node:path';
import type { Capability, PackageContents } from '../model.js';
import { binaryKind, imageTrailer } from './binary.js';
import type { Folded } from './fold.js';
import { exportsConstant, jsFileFacts, type ModuleConstants } from './js-facts.js';
import type { JsFileFacts, OtherFileFacts } from './model.js';
import { isDecoder, isDns, isDynamicCode, isExec, isFileRead, isFileWrite, isNetwork } from './names.js';

export interface CodeFacts {
  js: JsFileFacts[];
  others: OtherFileFacts[];
  /** Files whose facts could not be computed, and why. */
  failures: Array<{ path: string; reason: string }>;
}

const JS_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/i;
const DECLARATION = /\.d\.[cm]?ts$/i;
const NETWORK_MODULES = new Set([
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'undici',
  'axios',
  'got',
  'fetch',
  'ws',
  'request',
  'needle',
  'superagent',
]);
const EXEC_MODULES = new Set(['child_process', 'child_process.spawn', 'child_process.execFile', 'shelljs']);

/** True when a file should be read as JavaScript: by extension, or an extension-less script with a node shebang. */
export function isJavaScript(path: string, bytes: Uint8Array): boolean {
  if (DECLARATION.test(path)) return false;
  if (JS_FILE.test(path)) return binaryKind(bytes) === undefined;
  if (/\.[a-z0-9]+$/i.test(path.split('/').pop() ?? '')) return false;
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1');
  return /^#!.*\bnode\b/.test(head);
}

/** Reads every file of a package once: JavaScript into facts, everything else checked for binaries and hidden payloads. */
export function codeFacts(contents: PackageContents): CodeFacts {
  const js: JsFileFacts[] = [];
  const others: OtherFileFacts[] = [];
  const failures: CodeFacts['failures'] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const modulesFor = packageModuleConstants(contents, decoder);
  const readTypeScript = typeScriptIsRun(contents, decoder);
  for (const file of contents.files.values()) {
    if (!file.bytes) continue;
    if (TYPESCRIPT.test(file.path) && !readTypeScript(file.path)) continue;
    if (isJavaScript(file.path, file.bytes)) {
      try {
        js.push(jsFileFacts(file.path, decoder.decode(file.bytes), modulesFor(file.path)));
      } catch (error) {
        failures.push({ path: file.path, reason: (error as Error).message });
      }
      continue;
    }
    const binary = binaryKind(file.bytes);
    const trailer = imageTrailer(file.path, file.bytes);
    if (binary || trailer) {
      others.push({
        path: file.path,
        size: file.size,
        ...(binary ? { binary } : {}),
        ...(trailer ? { imageTrailer: trailer } : {}),
      });
    }
  }
  return { js, others, failures };
}

const TYPESCRIPT = /\.[cm]?tsx?$/i;
const JAVASCRIPT = /\.(?:[cm]?js|jsx)$/i;

/**
 * TypeScript sources shipped next to their compiled output are not what runs: Node refuses to strip types
 * under node_modules. They are read when the manifest points at them (main, bin, exports, module) or when
 * the package ships no JavaScript at all (run through tsx, bun, ts-node).
 */
function typeScriptIsRun(
  contents: PackageContents,
  decoder: { decode(bytes: Uint8Array): string },
): (path: string) => boolean {
  const paths = [...contents.files.keys()];
  if (!paths.some((path) => JAVASCRIPT.test(path))) return () => true;
  const entries = new Set<string>();
  const bytes = contents.files.get('package.json')?.bytes;
  try {
    const manifest: unknown = bytes ? JSON.parse(decoder.decode(bytes)) : {};
    const collect = (value: unknown) => {
      if (typeof value === 'string') entries.add(posix.normalize(value).replace(/^\.\//, ''));
      else if (value && typeof value === 'object') for (const nested of Object.values(value)) collect(nested);
    };
    const fields = manifest as Record<string, unknown>;
    collect([fields.main, fields.module, fields.bin, fields.exports, fields.browser]);
  } catch {
    return () => true; // an unreadable manifest gets the cautious reading
  }
  return (path) => entries.has(path);
}

const RESOLVE_SUFFIXES = ['', '.js', '.cjs', '.json', '/index.js'];
const DATA_MODULE = /module\.exports\s*=\s*[["'`]|export\s+default\s*[["'`]/;

/**
 * Constants exported by the package's own files, for `require('./test/data')` in another file (the
 * flatmap-stream payload hid its strings in a data file). Computed lazily, once per file, cycle-safe.
 */
function packageModuleConstants(
  contents: PackageContents,
  decoder: { decode(bytes: Uint8Array): string },
): (from: string) => ModuleConstants {
  const memo = new Map<string, Folded | undefined | 'pending'>();
  const load = (path: string): Folded | undefined => {
    const known = memo.get(path);
    if (known === 'pending') return undefined;
    if (memo.has(path)) return known;
    memo.set(path, 'pending');
    const bytes = contents.files.get(path)?.bytes;
    let value: Folded | undefined;
    // Only JavaScript and JSON: a required native addon (`.node`) is not text to parse.
    if (bytes && bytes.byteLength <= 1_000_000 && (path.endsWith('.json') || isJavaScript(path, bytes))) {
      const text = decoder.decode(bytes);
      // Parsing every required file a second time doubled the cost of a scan: only data-shaped modules
      // (`module.exports = [...]` or a string) can export a constant worth folding.
      value = path.endsWith('.json')
        ? jsonConstant(text)
        : DATA_MODULE.test(text)
          ? exportsConstant(path, text, resolverFrom(path))
          : undefined;
    }
    memo.set(path, value);
    return value;
  };
  const resolverFrom =
    (from: string): ModuleConstants =>
    (specifier) => {
      const base = posix.normalize(posix.join(posix.dirname(from), specifier));
      const target = RESOLVE_SUFFIXES.map((suffix) => base + suffix).find((path) => contents.files.has(path));
      return target ? load(target) : undefined;
    };
  return resolverFrom;
}

function jsonConstant(text: string): Folded | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return { value, decoded: false };
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
      return { value: value as Array<string | number>, decoded: false };
    }
  } catch {
    // not JSON data: nothing to fold
  }
  return undefined;
}

/** What the code uses, like a phone app's permission list. */
export function codeCapabilities(facts: CodeFacts): Capability[] {
  return [...capabilitySites(facts).keys()];
}

/** Where each capability is first used: the version diff points at the line that brought it in. */
export function capabilitySites(
  facts: CodeFacts,
): Map<Capability, { file: string; line: number; column: number }> {
  const sites = new Map<Capability, { file: string; line: number; column: number }>();
  for (const file of facts.js) {
    const add = (capability: Capability, at: { line: number; column: number }) => {
      if (!sites.has(capability))
        sites.set(capability, { file: file.path, line: at.line, column: at.column });
    };
    for (const use of file.imports) {
      if (NETWORK_MODULES.has(use.module)) add('network', use);
      if (EXEC_MODULES.has(use.module)) add('child-process', use);
      if (use.module === 'vm') add('dynamic-code', use);
      if (use.module === 'dns') add('network', use);
    }
    for (const call of file.calls) {
      if (isNetwork(call.callee) || isDns(call.callee)) add('network', call);
      if (isExec(call.callee)) add('child-process', call);
      if (isFileRead(call.callee)) add('fs-read', call);
      if (isFileWrite(call.callee)) add('fs-write', call);
      if (isDynamicCode(call.callee) && !/^set(?:Timeout|Interval)$/.test(call.callee))
        add('dynamic-code', call);
      if (isDecoder(call.callee) && call.callee.startsWith('crypto.')) add('dynamic-code', call);
    }
    const [valueRef] = file.valueRefs;
    if (valueRef) add('dynamic-code', valueRef);
    const [access] = file.accesses;
    if (access) add('env', access);
  }
  return sites;
}

import { posix } from 'node:path';
import type { Capability, DeclaredTool, PackageContents } from '../model.js';
import { binaryKind, imageTrailer } from './binary.js';
import type { Folded } from './fold.js';
import { expandedScript, installHooks, nodeRunFiles } from './install-hooks.js';
import { exportsConstant, jsFileFacts, type ModuleConstants } from './js-facts.js';
import { scriptsOf } from './manifest.js';
import type { CallFact, FactOptions, JsFileFacts, OtherFileFacts, ValueFact } from './model.js';
import { isDecoder, isDns, isDynamicCode, isExec, isFileRead, isFileWrite, isNetwork } from './names.js';

export interface CodeFacts {
  js: JsFileFacts[];
  others: OtherFileFacts[];
  /** Files whose facts could not be computed, and why. */
  failures: Array<{ path: string; reason: string }>;
  /**
   * For each JavaScript file, the other package files its facts depend on (constants folded from required
   * data modules, and every path tried while resolving them), with their bytes or null when absent.
   */
  inputs: Map<string, FileProbe[]>;
}

/** A package file consulted while computing another file's facts, or null bytes for a path that was absent. */
export interface FileProbe {
  path: string;
  /** The file is in the package (it may still have no bytes: over the size limit). */
  present: boolean;
  bytes: Uint8Array | null;
}

/** Facts of an earlier read of a similar package (the next release), to reuse for files that did not change. */
export interface FactsReuse {
  contents: PackageContents;
  code: CodeFacts;
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
  return NODE_SHEBANG.test(head);
}

/** Reads every file of a package once: JavaScript into facts, everything else checked for binaries and hidden payloads. */
export function codeFacts(
  contents: PackageContents,
  reuse?: FactsReuse,
  options: FactOptions = {},
): CodeFacts {
  const js: JsFileFacts[] = [];
  const others: OtherFileFacts[] = [];
  const failures: CodeFacts['failures'] = [];
  const inputs = new Map<string, FileProbe[]>();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const modulesFor = packageModuleConstants(contents, decoder);
  const manifest = manifestObject(contents, decoder);
  const readTypeScript = typeScriptIsRun(contents, manifest);
  const reusable = reuse ? reusableFacts(contents, reuse) : () => undefined;
  const read = new Set<string>();
  const readCode = (path: string, bytes: Uint8Array) => {
    read.add(path);
    const known = reusable(path, bytes);
    if (known) {
      js.push(known.facts);
      inputs.set(path, known.inputs);
      return;
    }
    try {
      const probes: FileProbe[] = [];
      js.push(jsFileFacts(path, decoder.decode(bytes), modulesFor(path, probes), options));
      inputs.set(path, probes);
    } catch (error) {
      failures.push({ path, reason: (error as Error).message });
    }
  };
  for (const file of contents.files.values()) {
    if (!file.bytes) continue;
    if (TYPESCRIPT.test(file.path) && !readTypeScript(file.path)) continue;
    if (isJavaScript(file.path, file.bytes)) {
      readCode(file.path, file.bytes);
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
  // Node runs a file it is told to load as JavaScript whatever its name: CommonJS reads an unknown extension as
  // `.js` (`require('./lib/palette.dat')`), and `node lib/setup.cfg` or a manifest's `main` run the file named.
  // Such files are read as code too, and what they load in turn: else a payload renamed `.dat` passed unread.
  const pending = [...runByPackage(contents, manifest)];
  for (let done = 0; done < js.length || pending.length > 0; ) {
    const facts = js[done];
    if (facts) {
      done++;
      pending.push(...requiredFiles(facts, contents), ...startedFiles(facts, contents));
      continue;
    }
    const path = pending.pop() as string;
    const bytes = contents.files.get(path)?.bytes;
    if (read.has(path) || !bytes || !loadsAsCode(path, bytes)) continue;
    readCode(path, bytes);
  }
  return { js, others, failures, inputs };
}

/** A file Node would run as JavaScript when asked to load it: not JSON data, a native addon or a binary. */
function loadsAsCode(path: string, bytes: Uint8Array): boolean {
  return !/\.(?:json|node)$/i.test(path) && !DECLARATION.test(path) && binaryKind(bytes) === undefined;
}

/**
 * The package files a file loads with `require` of a relative path that names the file itself (`./lib/x.dat`,
 * `./lib/loader` for an extension-less file): the paths Node tries first, before adding extensions. ES module
 * imports are left out: Node refuses an unknown extension there, and bundlers' `import './styles.css'` is not
 * code.
 */
function requiredFiles(facts: JsFileFacts, contents: PackageContents): string[] {
  const found: string[] = [];
  for (const use of facts.imports) {
    if (use.how !== 'require' || !/^\.{1,2}\//.test(use.module)) continue;
    const path = posix.normalize(posix.join(posix.dirname(facts.path), use.module));
    if (contents.files.has(path)) found.push(path);
  }
  return found;
}

const MAX_STARTED_NAMES = 64;
/** Calls that start Node on a file: a child process, a worker thread. */
const STARTS_NODE = new Set(['child_process.fork', 'worker_threads.Worker']);
const SPAWNS = new Set([
  'child_process.spawn',
  'child_process.spawnSync',
  'child_process.execFile',
  'child_process.execFileSync',
]);
const SHELLS_OUT = new Set(['child_process.exec', 'child_process.execSync']);
/** Runs of path characters (one class, so matching is linear); `…` stands for what was not constant. */
const PATH_RUN = /[\w@./…-]{1,300}/g;
const HAS_EXTENSION = /\.[A-Za-z0-9]{1,10}$/;
/** The file a shell command has node run: `node [flags] <file>`. */
const NODE_COMMAND =
  /^\s*(?:node|nodejs)\s+(?:-{1,2}[a-z-]{1,30}\s+){0,3}(["']?)([\w@./…-]{1,200})\1(?=$|[\s;&|)])/;

/**
 * Package files a file has Node start as a program: `fork(path.join(__dirname, 'w.dat'))`, `new Worker(…)`,
 * `spawn(process.execPath, ['lib/w.dat', …])`, `execSync('node ' + __dirname + '/w.dat')`; and the files it
 * reads when it runs text read from a file (`eval`, `new Function`, `vm`, `module._compile`). The path is
 * rarely a constant (it is built from `__dirname`, or run from the user's folder), so the file names written
 * where the program goes are matched against the package's files by their end.
 */
function startedFiles(facts: JsFileFacts, contents: PackageContents): string[] {
  const named: string[] = [];
  const namesIn = (value: ValueFact | undefined) => {
    for (const text of [value?.value, value?.pattern, value?.text])
      for (const match of text?.slice(0, 2_000).matchAll(PATH_RUN) ?? [])
        if (HAS_EXTENSION.test(match[0])) named.push(match[0]);
  };
  for (const call of facts.calls) {
    const [first, second] = call.args;
    if (!first) continue;
    if (STARTS_NODE.has(call.callee)) namesIn(first);
    else if (SPAWNS.has(call.callee) && isNodeProgram(first))
      // The program is the first argument that is not a flag; what follows is the program's own arguments.
      namesIn(second?.elements?.find((element) => !(element.value ?? element.text).startsWith('-')));
    else if (SHELLS_OUT.has(call.callee)) {
      const script = NODE_COMMAND.exec(first.value ?? first.pattern ?? '')?.[2];
      if (script) named.push(script);
    }
  }
  // `eval(fs.readFileSync(__dirname + '/data.bin', 'utf8'))`: a file whose text is run is code, whatever its name.
  const evaluatesFileText = facts.calls.some(
    (call) => isDynamicCode(call.callee) && call.args.some((arg) => arg.origins.includes('file')),
  );
  if (evaluatesFileText) for (const call of facts.calls) if (isFileRead(call.callee)) namesIn(call.args[0]);
  if (named.length === 0) return [];
  const found: string[] = [];
  // Each name is matched against every file: a bounded number of them (a hostile file could write thousands).
  for (const name of [...new Set(named)].slice(0, MAX_STARTED_NAMES)) {
    const tail = posix.normalize(name.replace(/^(?:…\/)+/, '')).replace(/^(?:\.{1,2}\/)+|^\/+/, '');
    if (!tail || tail.startsWith('..') || tail.includes('…')) continue;
    for (const path of contents.files.keys())
      if (path === tail || path.endsWith(`/${tail}`)) found.push(path);
  }
  return found;
}

function isNodeProgram(value: ValueFact): boolean {
  return (
    value.value === 'node' ||
    value.value === 'nodejs' ||
    value.refs.includes('process.execPath') ||
    /^process\.(?:execPath|argv\[0\])$/.test(value.text)
  );
}

/**
 * Files the package itself has Node run: its `main`, its `bin` targets whose shebang names node, the targets
 * of its root export (what `require('<package>')` loads) and the files its install scripts hand to `node`
 * (`node lib/setup.cfg`).
 */
function runByPackage(contents: PackageContents, manifest: Record<string, unknown> | undefined): string[] {
  if (!manifest) return [];
  const named: string[] = [];
  if (typeof manifest.main === 'string') named.push(manifest.main);
  // A command runs with the interpreter its shebang names: a `#!/bin/sh` bin is a shell script, not code here.
  const bins =
    typeof manifest.bin === 'string'
      ? [manifest.bin]
      : manifest.bin && typeof manifest.bin === 'object'
        ? Object.values(manifest.bin).filter((target): target is string => typeof target === 'string')
        : [];
  // `exports` of `.` (a string, or conditions: `require`, `node`, `default`…); subpaths such as `./styles.css`
  // are assets for bundlers.
  const exported = manifest.exports;
  const root =
    typeof exported === 'string' || Array.isArray(exported)
      ? exported
      : exported && typeof exported === 'object'
        ? ((exported as Record<string, unknown>)['.'] ??
          (Object.keys(exported).some((key) => key.startsWith('.')) ? undefined : exported))
        : undefined;
  collectStrings(root, named, 0);
  for (const target of bins) {
    const head = contents.files.get(packageRelative(target))?.bytes?.subarray(0, 64);
    if (head && NODE_SHEBANG.test(Buffer.from(head).toString('latin1'))) named.push(target);
  }
  for (const hook of installHooks(scriptsOf(manifest))) {
    const text = expandedScript(hook).slice(0, 40_000);
    named.push(...nodeRunFiles(text));
    // `node -e "require('./lib/boot.dat')"`: inline code loading a file of the package, from its root.
    for (const match of text.matchAll(INLINE_REQUIRE)) if (match[1]) named.push(match[1]);
  }
  return named.map(packageRelative).filter((path) => contents.files.has(path));
}

/** Every target in a nested conditions object but the type declarations', bounded (a manifest is hostile input). */
function collectStrings(value: unknown, out: string[], depth: number): void {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object' && depth < 8 && out.length < 1_000)
    for (const [key, nested] of Object.entries(value))
      if (key !== 'types' && key !== 'typings') collectStrings(nested, out, depth + 1);
}

function packageRelative(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '');
}

const NODE_SHEBANG = /^#!.*\bnode\b/;

const INLINE_REQUIRE = /\brequire\(\s*\\?["'`](\.{1,2}\/[\w@./-]{1,200})\\?["'`]\s*\)/g;
const sameBytes = (a: Uint8Array | null | undefined, b: Uint8Array | null | undefined) =>
  a === b || (a != null && b != null && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b));

/**
 * A file's facts are a pure function of its bytes and of the files it consulted; when all of those are the
 * same in both packages, the facts are too. Adjacent releases share most files, so the version diff reads
 * only what changed.
 */
function reusableFacts(
  contents: PackageContents,
  reuse: FactsReuse,
): (path: string, bytes: Uint8Array) => { facts: JsFileFacts; inputs: FileProbe[] } | undefined {
  const byPath = new Map(reuse.code.js.map((facts) => [facts.path, facts]));
  return (path, bytes) => {
    const facts = byPath.get(path);
    const inputs = reuse.code.inputs.get(path);
    if (!facts || !inputs || !sameBytes(reuse.contents.files.get(path)?.bytes, bytes)) return undefined;
    const unchanged = inputs.every((probe) => {
      const file = contents.files.get(probe.path);
      return (file !== undefined) === probe.present && sameBytes(file?.bytes ?? null, probe.bytes);
    });
    return unchanged ? { facts, inputs } : undefined;
  };
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
  manifest: Record<string, unknown> | undefined,
): (path: string) => boolean {
  const paths = [...contents.files.keys()];
  if (!paths.some((path) => JAVASCRIPT.test(path))) return () => true;
  if (!manifest) return () => true; // an unreadable manifest gets the cautious reading
  const entries = new Set<string>();
  const collect = (value: unknown) => {
    if (typeof value === 'string') entries.add(posix.normalize(value).replace(/^\.\//, ''));
    else if (value && typeof value === 'object') for (const nested of Object.values(value)) collect(nested);
  };
  collect([manifest.main, manifest.module, manifest.bin, manifest.exports, manifest.browser]);
  return (path) => entries.has(path);
}

/**
 * package.json read once for the facts: an empty object when the package has none, undefined when it cannot be
 * read (its checks report that; the facts then read cautiously).
 */
function manifestObject(
  contents: PackageContents,
  decoder: { decode(bytes: Uint8Array): string },
): Record<string, unknown> | undefined {
  const bytes = contents.files.get('package.json')?.bytes;
  if (!bytes) return {};
  try {
    const parsed: unknown = JSON.parse(decoder.decode(bytes));
    if (parsed === null) return undefined;
    return typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
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
): (from: string, probes?: FileProbe[]) => ModuleConstants {
  const memo = new Map<string, Folded | undefined | 'pending'>();
  // What each loaded module consulted in turn, so a file that requires it depends on those too.
  const loadProbes = new Map<string, FileProbe[]>();
  const load = (path: string): Folded | undefined => {
    const known = memo.get(path);
    if (known === 'pending') return undefined;
    if (memo.has(path)) return known;
    memo.set(path, 'pending');
    const own: FileProbe[] = [];
    loadProbes.set(path, own);
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
          ? exportsConstant(path, text, resolverFrom(path, own))
          : undefined;
    }
    memo.set(path, value);
    return value;
  };
  const resolverFrom =
    (from: string, probes: FileProbe[] = []): ModuleConstants =>
    (specifier) => {
      const base = posix.normalize(posix.join(posix.dirname(from), specifier));
      for (const candidate of RESOLVE_SUFFIXES.map((suffix) => base + suffix)) {
        const file = contents.files.get(candidate);
        probes.push({ path: candidate, present: file !== undefined, bytes: file?.bytes ?? null });
        if (!file) continue;
        const value = load(candidate);
        probes.push(...(loadProbes.get(candidate) ?? []));
        return value;
      }
      return undefined;
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

/** MCP tools, prompts and resources the package declares, once each (a name declared twice keeps its first). */
export function declaredTools(facts: CodeFacts): DeclaredTool[] {
  const seen = new Set<string>();
  const tools: DeclaredTool[] = [];
  for (const file of facts.js) {
    for (const tool of file.tools) {
      const key = `${tool.kind}\u0000${tool.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tools.push({
        kind: tool.kind,
        name: tool.name,
        description: tool.description,
        file: file.path,
        line: tool.line,
        ...(tool.dynamic ? { dynamic: true as const } : {}),
      });
    }
  }
  return tools;
}

/** What the code uses, like a phone app's permission list. */
export function codeCapabilities(facts: CodeFacts): Capability[] {
  return [...capabilitySites(facts).keys()];
}

/**
 * `Function('return this')()`: the pre-globalThis way to reach the global object (lodash, regenerator, core-js).
 * Its code is a visible constant that can do nothing else, so it is not the ability to run generated code.
 */
function isGlobalGetter(call: CallFact): boolean {
  const [code] = call.args;
  return (
    call.callee === 'Function' &&
    call.args.length === 1 &&
    typeof code?.value === 'string' &&
    /^\s*return\s+(?:this|globalThis)\s*;?\s*$/.test(code.value)
  );
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
      if (
        isDynamicCode(call.callee) &&
        !/^set(?:Timeout|Interval)$/.test(call.callee) &&
        !isGlobalGetter(call)
      )
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

/** What a file's code does, computed once per file and read by every check. */

/** Where a value may have come from: the sources that matter for exfiltration chains. */
export type Origin =
  | 'env' // one environment variable
  | 'env-all' // the whole environment
  | 'file' // a file read
  | 'sensitive-file' // a file read of a credential or wallet path
  | 'host-info' // hostname, user, network interfaces, cloud metadata
  | 'network' // data received from the network
  | 'decoded' // base64/hex/char-code/decipher output
  | 'command-output'; // output of a child process

export interface Position {
  line: number;
  column: number;
}

export interface ModuleUse extends Position {
  module: string;
  how: 'require' | 'import' | 'dynamic-import';
  /** The name was computed (concatenation, decoding...) rather than written as one literal. */
  computed: boolean;
}

export interface ValueFact {
  /** The value folded to a string when it is constant (after decoding, if any). */
  value?: string;
  /** The constant involved decoding (base64, hex, char codes, reversal). */
  decoded: boolean;
  /** When not wholly constant: the constant parts with `…` for the rest (`curl http://x/a -o …`). */
  pattern?: string;
  origins: Origin[];
  /** Canonical names referenced inside the expression (`process.env`, `os.homedir`...). */
  refs: string[];
  /** What the expression is, syntactically: a function passed to `setTimeout` is not code to evaluate. */
  kind: 'literal' | 'function' | 'object' | 'array' | 'identifier' | 'other';
  /** For object literals: their keys and values (`{ bcc: '...' }`). */
  properties?: Record<string, ValueFact>;
  /** For array literals: their elements. */
  elements?: ValueFact[];
  /** Source excerpt. */
  text: string;
}

export interface CallFact extends Position {
  /** Canonical callee: `child_process.exec`, `eval`, `fetch`, `fs.readFileSync`, `<obj>.send`. */
  callee: string;
  /** The callee as written, when it differs (aliases, computed access). */
  written: string;
  isNew: boolean;
  /** Reached through a computed key (`global['ev' + 'al']`, or a variable assigned from one). */
  hidden: boolean;
  args: ValueFact[];
  /** Nested inside a function passed to a network call (a response handler). */
  inNetworkCallback: boolean;
}

export interface AccessFact extends Position {
  /** Canonical path of a member access: `process.env`, `process.env.NPM_TOKEN`, `os.homedir`. */
  path: string;
  /** Used as a whole object (spread, serialised, iterated, passed on) rather than one property read. */
  whole: boolean;
  /** What it is used for when whole: `JSON.stringify`, `Object.keys`, spread, argument... */
  context?: string;
}

export interface AssignmentFact extends Position {
  /** Canonical target: `window.fetch`, `XMLHttpRequest.prototype.open`, `ethereum.request`. */
  target: string;
  via: 'assign' | 'defineProperty';
}

/** An object literal (or a property assignment) holding an email-like constant: mail messages, mostly. */
export interface ObjectFact extends Position {
  /** Every key; the value when it is a constant string (or array of constants). */
  properties: Record<string, string | string[] | null>;
  via: 'literal' | 'assignment';
}

/** A tool, prompt or resource an MCP server declares, with the description the model reads. */
export interface ToolFact extends Position {
  kind: 'tool' | 'prompt' | 'resource';
  name: string;
  /** The description as the model receives it (constant parts folded), or '' when none is constant. */
  description: string;
  /** How it was declared: `server.tool`, `registerTool`, `a tools/list literal`, ... */
  via: string;
  /** The description is computed at run time (a variable from elsewhere, a call): static analysis cannot read it. */
  dynamic?: true;
}

export interface StringFact extends Position {
  value: string;
  /** Came out of folding (concatenation, templates, joins) rather than standing as one literal. */
  derived: boolean;
  /** Came out of decoding: base64, hex, char codes, reversal. */
  decoded: boolean;
}

export interface FileSignals {
  minified: boolean;
  longestLine: number;
  lines: number;
  /** javascript-obfuscator style `_0x1a2b` identifiers. */
  hexIdentifiers: number;
  /** An array of many string literals indexed through a lookup function. */
  stringArray: boolean;
  /** `\xNN` or `\uNNNN` escapes in string literals. */
  escapedChars: number;
  /** A `//# sourceMappingURL` comment: build output, not hand-hidden code. */
  sourceMap: boolean;
}

export type ParseMode = 'parsed' | 'recovered' | 'tokens';

export interface FactOptions {
  /** A fact for every call, including those no check reads (kept-calls.ts): for tests comparing both. */
  everyCall?: boolean;
}

export interface JsFileFacts {
  path: string;
  size: number;
  parse: ParseMode;
  parseError?: string;
  imports: ModuleUse[];
  calls: CallFact[];
  accesses: AccessFact[];
  assignments: AssignmentFact[];
  strings: StringFact[];
  objects: ObjectFact[];
  /** MCP tools, prompts and resources declared with constant names. */
  tools: ToolFact[];
  /** Builtins used as values rather than called: `.then(eval)`, `const e = eval`; context is the call they are passed to. */
  valueRefs: Array<Position & { name: string; context: string }>;
  signals: FileSignals;
}

export type BinaryKind = 'elf' | 'pe' | 'mach-o' | 'wasm';

export interface OtherFileFacts {
  path: string;
  size: number;
  binary?: BinaryKind;
  /** An image with bytes after its end marker (a payload hidden in a picture). */
  imageTrailer?: number;
}

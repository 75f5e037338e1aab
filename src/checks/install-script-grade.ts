import { NODE_RUNS_FILE, NODE_SCRIPT_NO_EXTENSION } from '../facts/install-hooks.js';
import type { Severity } from '../severity.js';
import { atLeast, severityRank } from '../severity.js';

/**
 * Grades one lifecycle-script command line by what it does. Pure and linear-time: every pattern below is
 * a literal alternation or a run of one character class, so a hostile script cannot make it backtrack,
 * and the input is capped before matching.
 */

export interface ScriptSignal {
  severity: Severity;
  /** Stable id of the behaviour, for tests and allowlists. */
  id: ScriptSignalId;
  /** Half a sentence a user understands: "pipes a download into a shell". */
  reason: string;
}

export type ScriptSignalId =
  | 'download-exec'
  | 'download'
  | 'reverse-shell'
  | 'inline-code-network'
  | 'inline-code-process'
  | 'inline-code'
  | 'inline-code-local'
  | 'obfuscated'
  | 'credential-access'
  | 'publish'
  | 'background'
  | 'remote-package'
  | 'shell-script'
  | 'package-script'
  | 'native-build'
  | 'benign-tool'
  | 'other';

export interface ScriptGrade {
  severity: Severity;
  signals: ScriptSignal[];
  /** Files of the package the script runs (`node install.js` → `install.js`). */
  referencedFiles: string[];
  /** Those handed to a shell (`sh scripts/setup.cfg`): shell scripts, whatever their extension. */
  shellFiles: string[];
  native: boolean;
}

const MAX_SCRIPT_CHARS = 20_000;

const SHELLS =
  '(?:sh|bash|zsh|dash|ksh|fish|node|nodejs|bun|deno|python[0-9.]*|perl|ruby|php|pwsh|powershell|iex|invoke-expression|cmd)';
const DOWNLOADERS = [
  /\bcurl\b/,
  /\bwget\d?\b/,
  /\binvoke-webrequest\b/,
  /\binvoke-restmethod\b/,
  /\biwr\b/,
  /\birm\b/,
  /\bstart-bitstransfer\b/,
  /\bbitsadmin\b/,
  /\bcertutil\b[^|&;]{0,200}-urlcache/,
  /\bdownload(?:string|file|data)\b/,
  /\bnet\.webclient\b/,
  /\bfetch\s*\(/,
  /\burllib\b/,
  /\brequests\.get\b/,
  /\bhttps?\.(?:get|request)\s*\(/,
  /\baria2c\b/,
  /\btftp\b/,
  /\bscp\s/,
  /\brsync\s[^|&;]{0,200}::/,
];
const PIPE_TO_SHELL = new RegExp(String.raw`\|\s*(?:sudo\s+)?(?:-\S+\s+)?(?:\S{0,64}/)?${SHELLS}\b`);
const SUBSTITUTION_EXEC = /(?:\$\(|`|<\()\s*(?:curl|wget|iwr|invoke-webrequest)\b/;
const EXEC_AFTER_DOWNLOAD =
  /(?:chmod\s+(?:[+0-7]{0,5}x|[0-7]{3,4})|\bstart(?:-process)?\s|&&\s*\.{1,2}\/|;\s*\.{1,2}\/|\.exe\b|\.(?:sh|ps1|bat|cmd|vbs)\b[^|&;]{0,40}(?:&&|;|$))/;
const REVERSE_SHELL =
  /(?:\/dev\/(?:tcp|udp)\/|\bnc(?:at)?\b[^|&;]{0,80}\s-[a-z]{0,4}e\s|\bsocat\b|\bmkfifo\b)/;
const INLINE_CODE =
  /\b(?:node|nodejs|bun|deno)(?:\.exe)?\s+(?:-{1,2}[a-z-]{1,30}\s+){0,4}(?:-e|--eval|-p|--print|-r|--require|eval)\b/;
const OTHER_INLINE =
  /\b(?:python[0-9.]*\s+-c|perl\s+-e|ruby\s+-e|php\s+-r|(?:pwsh|powershell)(?:\.exe)?\b[^|&;]{0,80}-(?:c|command)\b)/;
const ENCODED_COMMAND =
  /\b(?:pwsh|powershell)(?:\.exe)?\b[^|&;]{0,80}\s-e(?:nc|ncodedcommand|c)?\s+[a-z0-9+/=]{16}/;
const NETWORK_IN_CODE =
  /(?:require\s*\(\s*['"`](?:node:)?(?:https?|http2|net|dgram|dns|tls)['"`]|\bfetch\s*\(|xmlhttprequest|websocket|https?:\/\/|\bsocket\b|\burllib\b|\brequests\b)/;
const PROCESS_IN_CODE =
  /(?:child_process|\bexec(?:sync|file)?\s*\(|\bspawn(?:sync)?\s*\(|\bsubprocess\b|\bos\.system\b)/;
const LOCAL_REQUIRE_ONLY =
  /^(?:[^()]|\(\s*['"]\.{1,2}\/[^'"]{0,200}['"]\s*\)|\(\s*\)|\(\s*[a-z_$][\w$]{0,40}\s*\))*$/;
const BASE64_BLOB = /[a-z0-9+/]{80,}={0,2}/i;
const HEX_BLOB = /(?:\\x[0-9a-f]{2}){8,}|\b[0-9a-f]{120,}\b/i;
const DECODERS =
  /(?:\bbase64\s+(?:-d|--decode|-D)\b|\batob\s*\(|fromcharcode|\bbuffer\.from\s*\([^)]{0,400}['"](?:base64|hex)['"]|\bunescape\s*\(|\beval\s*\(|\bfrombase64string\b|\bxxd\s+-r)/;
// `printenv` alone dumps the environment; `printenv KUBECONFIG` reads one named variable (the official Kubernetes
// client does so through WSL), which only counts when the name is a secret's or the output is piped on.
const CREDENTIALS =
  /(?:\.npmrc|\.ssh\b|id_rsa|id_ed25519|\.aws\b|\.config\/gh\b|\.git-credentials|\.docker\/config|\/etc\/passwd|\/etc\/shadow|\bprintenv\b(?![ \t]+[a-z_][a-z0-9_]{0,60}(?:[ \t]+[a-z_][a-z0-9_]{0,60}){0,20}[ \t]*(?:$|[;&)'"`]))|\bprintenv[ \t]+[a-z0-9_ \t]{0,200}(?:token|secret|passw|key|auth|cred|session|cookie|private|mnemonic|seed|jwt|dsn|database_url|_pat\b)|\benv\s*(?:\||>)|\bset\s*\||npm_token|github_token|gh_token|aws_secret|\$env:|keychain|login data|(?:^|[\s'"/])\.env\b)/;
/** Reading one variable is ordinary; it only matters when the script also talks to the network. */
const ENV_READ = /\bprocess\.env\b|\$[a-z_]{2,40}\b/;
const PUBLISH = /\bnpm\s+(?:publish|token|adduser|login|owner)\b/;
const BACKGROUND =
  /(?:\bnohup\b|\bsetsid\b|\bdisown\b|\bstart\s+\/b\b|-windowstyle\s+hidden|(?:^|[^&])&\s*$)/;
const REMOTE_PACKAGE = /\b(?:npx|pnpx|bunx|npm\s+(?:exec|x|i|install|add)|yarn\s+dlx|pnpm\s+dlx)\b/;
const NATIVE_BUILD =
  /\b(?:node-gyp(?:-build)?|prebuild-install|node-pre-gyp|@mapbox\/node-pre-gyp|cmake-js|napi-build|prebuildify|node-gyp-build-optional-packages|neon\s+build)\b/;
const NO_OP = /^(?:exit\s+0|true|:)$/;
const BENIGN_TOOLS =
  /^(?:husky(?:\s+install)?|patch-package|opencollective(?:-postinstall)?|echo\b[^|&;`$]{0,200}|ngcc\b[^|&;]{0,200}|is-ci\b[^|&;]{0,200}|only-allow\s+[a-z]{0,10}|npm\s+run\s+[\w:-]{1,60}|yarn\s+run\s+[\w:-]{1,60}|node-gyp\s+[a-z]{0,20}|tsc\b[^|&;]{0,200})$/;
const SCRIPT_FILE =
  /\b(?:node|nodejs|bun|sh|bash|zsh|python[0-9.]*|pwsh|powershell)(?:\.exe)?\s+(?:-{1,2}[a-z-]{1,30}\s+){0,3}(["']?)(\.{0,2}\/?[\w@./-]{1,200}\.(?:js|cjs|mjs|ts|sh|bash|py|ps1|bat|cmd))\1/g;
/** `sh scripts/setup.cfg`: a shell runs the file it is given, whatever its extension (not `sh -c '…'`). */
const SHELL_RUNS_FILE =
  /\b(?:sh|bash|zsh|dash|ksh)(?:\.exe)?\s+(?:-{1,2}[a-z-]{1,30}\s+){0,3}(["']?)((?:\.{1,2}\/)?[\w@.][\w@.-]{0,99}(?:\/[\w@.-]{1,100}){0,10})\1(?=$|[\s;&|)])/g;
/**
 * Undoes the cheap shell tricks that split a command name: empty quotes (`c""url`), backslashes before
 * letters (`cu\rl`), PowerShell backticks (`I`nv`oke`), and `${IFS}` for spaces.
 */
export function normalizeScript(script: string): string {
  return script
    .slice(0, MAX_SCRIPT_CHARS)
    .replace(/\$\{?ifs\}?/gi, ' ')
    .replace(/""|''/g, '')
    .replace(/\\(?=[a-z])/gi, '')
    .replace(/`(?=[a-z-])/gi, '')
    .toLowerCase();
}

/** Splits a command line on `&&`, `||`, `;`, and newlines, keeping pipes inside a segment. */
function segments(normalized: string): string[] {
  return normalized
    .split(/&&|\|\||;|\r?\n/)
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0);
}

function inlineCodeOf(normalized: string): string {
  const match = INLINE_CODE.exec(normalized) ?? OTHER_INLINE.exec(normalized);
  return match ? normalized.slice(match.index + match[0].length) : '';
}

export function gradeInstallScript(script: string): ScriptGrade {
  const normalized = normalizeScript(script);
  const signals: ScriptSignal[] = [];
  const add = (severity: Severity, id: ScriptSignalId, reason: string) => {
    if (!signals.some((signal) => signal.id === id)) signals.push({ severity, id, reason });
  };

  const downloads = DOWNLOADERS.some((pattern) => pattern.test(normalized));
  const inline = inlineCodeOf(normalized);
  const hasInline = INLINE_CODE.test(normalized) || OTHER_INLINE.test(normalized);
  const encodedCommand = ENCODED_COMMAND.test(normalized);
  // Blobs and escapes are matched on the text as written: normalising would erase `\x` escapes.
  const asWritten = script.slice(0, MAX_SCRIPT_CHARS);
  const obfuscated =
    encodedCommand || DECODERS.test(normalized) || BASE64_BLOB.test(asWritten) || HEX_BLOB.test(asWritten);
  const networkInCode = hasInline && NETWORK_IN_CODE.test(inline);
  const readsCredentials =
    CREDENTIALS.test(normalized) || ((downloads || networkInCode) && ENV_READ.test(normalized));

  if (REVERSE_SHELL.test(normalized)) add('critical', 'reverse-shell', 'opens a raw network shell');
  if (downloads && (PIPE_TO_SHELL.test(normalized) || SUBSTITUTION_EXEC.test(normalized))) {
    add('critical', 'download-exec', 'pipes a download into an interpreter');
  } else if (downloads && EXEC_AFTER_DOWNLOAD.test(normalized)) {
    add('critical', 'download-exec', 'downloads a file and runs it');
  } else if (downloads) {
    add('critical', 'download', 'downloads from the network at install time');
  }
  if (networkInCode) add('critical', 'inline-code-network', 'runs inline code that uses the network');
  if (obfuscated) add('critical', 'obfuscated', 'runs encoded or obfuscated code');
  if (readsCredentials) {
    const leaves = downloads || networkInCode;
    add(
      leaves ? 'critical' : 'high',
      'credential-access',
      leaves
        ? 'reads credentials or the environment and uses the network'
        : 'reads credentials or the environment',
    );
  }
  if (PUBLISH.test(normalized)) add('high', 'publish', 'runs npm publish/token/login commands');
  if (hasInline && !networkInCode) {
    if (PROCESS_IN_CODE.test(inline))
      add('high', 'inline-code-process', 'runs inline code that starts processes');
    else if (!LOCAL_REQUIRE_ONLY.test(inline.replace(/^\s*["']|["']\s*$/g, '')))
      add('medium', 'inline-code', 'runs inline code');
    else add('low', 'inline-code-local', 'runs inline code that only loads a file of the package');
  }
  if (BACKGROUND.test(normalized))
    add('medium', 'background', 'starts a detached or hidden background process');

  const referencedFiles: string[] = [];
  const shellFiles: string[] = [];
  for (const pattern of [SCRIPT_FILE, NODE_SCRIPT_NO_EXTENSION, NODE_RUNS_FILE, SHELL_RUNS_FILE]) {
    for (const match of script.matchAll(pattern)) {
      const file = match[2]?.replace(/^\.\//, '');
      if (!file) continue;
      if (!referencedFiles.includes(file)) referencedFiles.push(file);
      if (pattern === SHELL_RUNS_FILE) shellFiles.push(file);
    }
  }

  let native = false;
  for (const segment of segments(normalized)) {
    if (NATIVE_BUILD.test(segment)) {
      native = true;
      add('low', 'native-build', 'builds or fetches a native addon');
    } else if (REMOTE_PACKAGE.test(segment)) {
      add('medium', 'remote-package', 'fetches and runs another package');
    } else if (NO_OP.test(segment)) {
      // `|| exit 0`, `|| true`: nothing to say
    } else if (BENIGN_TOOLS.test(segment)) {
      add('low', 'benign-tool', 'runs a common development tool');
    } else if (
      /\.(?:sh|bash|ps1|bat|cmd)\b/.test(segment) ||
      new RegExp(SHELL_RUNS_FILE.source).test(segment)
    ) {
      add('medium', 'shell-script', 'runs a shell script shipped in the package');
    } else if (
      referencedFiles.length > 0 &&
      (new RegExp(SCRIPT_FILE.source).test(segment) ||
        new RegExp(NODE_SCRIPT_NO_EXTENSION.source).test(segment) ||
        new RegExp(NODE_RUNS_FILE.source).test(segment))
    ) {
      add('low', 'package-script', `runs ${referencedFiles.join(', ')} from the package`);
    } else if (!hasInline) {
      add('medium', 'other', 'runs a command at install time');
    }
  }

  let severity: Severity = 'low';
  for (const signal of signals) if (atLeast(signal.severity, severity)) severity = signal.severity;
  // "runs a command" says nothing once a stronger reason explains the script.
  const explained = signals.filter((signal) => signal.id !== 'other' || severity === 'medium');
  explained.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { severity, signals: explained, referencedFiles, shellFiles, native };
}

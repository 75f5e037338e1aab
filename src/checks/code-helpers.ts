import { baseDomain, emailsIn, endpointsIn } from '../facts/endpoints.js';
import type { PackageManifest } from '../facts/manifest.js';
import type { CallFact, JsFileFacts, Origin, Position, ValueFact } from '../facts/model.js';
import { isDns, isDynamicCode, isExec, isNetwork } from '../facts/names.js';
import type { FindingLocation } from '../model.js';
import type { CheckContext } from './check.js';

export function at(file: JsFileFacts, position: Position): FindingLocation {
  return { file: file.path, line: position.line, column: position.column };
}

export function where(file: JsFileFacts, position: Position): string {
  return `${file.path}:${position.line}`;
}

/**
 * Whether a call evaluates code: eval, Function, vm, module._compile; setTimeout/setInterval only when
 * handed a string (with a function they just schedule it).
 */
export function runsCode(call: CallFact): boolean {
  if (!isDynamicCode(call.callee)) return false;
  if (!/^set(?:Timeout|Interval)$/.test(call.callee)) return true;
  const first = call.args[0];
  return first?.kind === 'literal' || first?.value !== undefined;
}

/**
 * A bundle (over 1 MB, or minified over 300 KB) hoists hundreds of modules into one file: names collide and
 * unrelated code sits side by side, so file-level co-occurrence and multi-step data flow there are weak.
 */
export function isBundle(file: JsFileFacts): boolean {
  return file.size > 1_000_000 || (file.signals.minified && file.size > 300_000);
}

export function* callsOf(ctx: CheckContext): Generator<{ file: JsFileFacts; call: CallFact }> {
  for (const file of ctx.code.js) for (const call of file.calls) yield { file, call };
}

export const isSink = (call: CallFact) => isNetwork(call.callee) || isDns(call.callee) || isExec(call.callee);

export function networkCallsIn(file: JsFileFacts): CallFact[] {
  return file.calls.filter((call) => isNetwork(call.callee) || isDns(call.callee));
}

export function hasNetwork(ctx: CheckContext): boolean {
  return ctx.code.js.some((file) => networkCallsIn(file).length > 0);
}

/**
 * Every origin flowing into a call's arguments, nested properties included. Only calls kept for their callee
 * (facts/kept-calls.ts) are sure to carry nested origins: filter on the callee before reading them.
 */
export function argOrigins(call: CallFact): Set<Origin> {
  const origins = new Set<Origin>();
  const visit = (value: ValueFact) => {
    for (const origin of value.origins) origins.add(origin);
    for (const nested of Object.values(value.properties ?? {})) visit(nested);
    for (const nested of value.elements ?? []) visit(nested);
  };
  for (const arg of call.args) visit(arg);
  return origins;
}

/** The command line a process call runs, reconstructed from its constant parts. */
export function commandLine(call: CallFact): string | undefined {
  const [first, second] = call.args;
  const program = first?.value ?? first?.pattern;
  if (program === undefined) return undefined;
  if (/exec(?:Sync)?$/.test(call.callee) && !/execFile/.test(call.callee)) return program;
  const rest = (second?.elements ?? []).map((element) => element.value ?? element.pattern ?? '…');
  // spawn('sh', ['-c', script]) runs the script.
  if (/^(?:\/bin\/)?(?:ba|z|da)?sh$|^cmd(?:\.exe)?$|^(?:pwsh|powershell)(?:\.exe)?$/i.test(program)) {
    const flag = rest.findIndex((arg) => /^(?:-c|\/c|-command)$/i.test(arg));
    if (flag !== -1 && rest[flag + 1]) return rest[flag + 1];
  }
  return [program, ...rest].join(' ');
}

/** Domains a package can call its own: homepage, repository, bugs, author. */
export function ownDomains(manifest: PackageManifest | null): Set<string> {
  const domains = new Set<string>();
  if (!manifest) return domains;
  const texts: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') texts.push(value);
    else if (value && typeof value === 'object') for (const nested of Object.values(value)) collect(nested);
  };
  collect([manifest.homepage, manifest.repository, manifest.bugs, manifest.author, manifest.maintainers]);
  for (const text of texts) {
    for (const match of text.matchAll(/https?:\/\/([^/\s:]+)/gi))
      if (match[1]) domains.add(baseDomain(match[1]));
    for (const email of emailsIn(text)) domains.add(baseDomain(email.split('@')[1] ?? ''));
  }
  return domains;
}

export function originLabel(origins: Set<Origin>): string {
  const labels: Partial<Record<Origin, string>> = {
    'sensitive-file': 'credential files',
    'env-all': 'the whole environment',
    env: 'environment variables',
    'host-info': 'host details',
    file: 'file contents',
    'command-output': 'command output',
    network: 'downloaded data',
    decoded: 'decoded data',
  };
  return [...origins].map((origin) => labels[origin] ?? origin).join(', ');
}

const PACKAGE_REGISTRIES = new Set([
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'npm.pkg.github.com',
  'registry.npmmirror.com',
]);

/**
 * Whether every URL a file names points at a package registry or the package's own site or repository:
 * binary installers (esbuild, sharp-style) download their own artefacts from there. A file with no URL at all
 * does not qualify.
 */
export function downloadsOnlyFromOwnSources(ctx: CheckContext, file: JsFileFacts): boolean {
  const own = ownDomains(ctx.manifest);
  const repository = JSON.stringify(ctx.manifest?.repository ?? '').toLowerCase();
  const urls = file.strings.flatMap((text) => endpointsIn(text.value));
  if (urls.length === 0) return false;
  return urls.every(({ url, host }) => {
    if (PACKAGE_REGISTRIES.has(host) || own.has(baseDomain(host))) return true;
    const repoPath = /^https:\/\/(?:github\.com|objects\.githubusercontent\.com)\/([^/]+\/[^/]+)/i
      .exec(url)?.[1]
      ?.toLowerCase();
    return repoPath !== undefined && repository.includes(repoPath);
  });
}

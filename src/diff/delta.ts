import type { FindingDraft } from '../checks/check.js';
import { excerpt } from '../checks/check.js';
import { ownDomains } from '../checks/code-helpers.js';
import { gradeInstallScript } from '../checks/install-script-grade.js';
import { INSTALL_HOOKS } from '../checks/install-scripts.js';
import { instructionSignals, namesSecrets, revealHidden } from '../checks/tool-poisoning.js';
import { manifestCapabilities } from '../facts/capabilities.js';
import { baseDomain, emailsIn, endpointsIn, isPublicIpv4 } from '../facts/endpoints.js';
import { locateKey, scriptsOf } from '../facts/manifest.js';
import type { JsFileFacts, ToolFact } from '../facts/model.js';
import { capabilitySites } from '../facts/package-facts.js';
import type { Capability, FindingLocation } from '../model.js';
import { daysBetween, releaseKind } from '../registry/releases.js';
import { atLeast, type Severity, severityRank } from '../severity.js';
import { sourceLine } from './lines.js';
import type { DependencyRecord, ReleaseView } from './release.js';

export interface DeltaInput {
  previous: ReleaseView;
  next: ReleaseView;
}

/** A dependency first published this close to the release that adds it was made for that release. */
const BRAND_NEW_DAYS = 30;
const LIST_MAX = 6;

/**
 * Pure over the two tarballs: the security-relevant changes from one release to the next, as findings naming
 * both versions. Findings of the code checks that are new in `next` are marked by `markNewFindings`; this covers
 * what no single check sees on one version: scripts, dependencies, capabilities, endpoints, files and size that
 * changed. Whether an added dependency is brand new rests on the registry: `brandNewDependencies`.
 */
export function releaseDelta(input: DeltaInput): FindingDraft[] {
  const kind = releaseKind(input.previous.version, input.next.version);
  const readings: FileReadings = { hosts: new Map(), emails: new Map() };
  return [
    ...installScriptDelta(input),
    ...dependencyDelta(input),
    ...capabilityDelta(input, kind, readings),
    ...endpointDelta(input, kind, readings),
    ...fileDelta(input, kind),
    ...toolDelta(input),
  ];
}

/**
 * Rug pulls: a tool the user approved whose description turns into instructions for the model, or a new tool
 * that arrives with such a description. Not damped in major releases: an approval covers a description, not a
 * version number.
 */
function toolDelta({ previous, next }: DeltaInput): FindingDraft[] {
  const key = (tool: ToolFact) => `${tool.kind}\u0000${tool.name}`;
  const before = new Map(previous.code.js.flatMap((file) => file.tools).map((tool) => [key(tool), tool]));
  const findings: FindingDraft[] = [];
  const changed: string[] = [];
  for (const file of next.code.js) {
    for (const tool of file.tools) {
      const old = before.get(key(tool));
      if (old && old.description === tool.description) continue;
      const had = new Set(instructionSignals(old?.description ?? ''));
      const gained = instructionSignals(tool.description).filter((label) => !had.has(label));
      if (gained.length === 0) {
        if (old) changed.push(tool.name);
        continue;
      }
      findings.push({
        severity: namesSecrets(tool.description) ? 'critical' : 'high',
        title: 'Tool description turned into instructions',
        message: old
          ? `${next.version} changes the description of ${tool.kind} "${tool.name}" toward instructions for the model (${gained.join(', ')}); ${previous.version} described it as "${excerpt(revealHidden(old.description), 120)}".`
          : `${next.version} adds ${tool.kind} "${tool.name}" whose description ${gained.join(', ')}; ${previous.version} had no such ${tool.kind}.`,
        location: { file: file.path, line: tool.line, column: tool.column },
        evidence: excerpt(revealHidden(tool.description)),
        confidence: 'high',
      });
    }
  }
  if (changed.length > 0) {
    findings.push({
      severity: 'info',
      title: 'Tool descriptions changed',
      message: `${next.version} rewords the description of ${listed(changed)}; approvals recorded for ${previous.version} no longer match.`,
      confidence: 'high',
    });
  }
  return findings;
}

type Kind = ReturnType<typeof releaseKind>;

/**
 * A breaking release is expected to change a lot: new capabilities, binaries and rebuilt output weigh less
 * there. Install scripts, brand-new dependencies and raw-IP destinations are not damped: an attacker chooses
 * the version number.
 */
function damp(severity: Severity, kind: Kind): Severity {
  if (kind !== 'major' || !atLeast(severity, 'medium')) return severity;
  return severity === 'critical' ? 'high' : severity === 'high' ? 'medium' : 'low';
}

function scriptLocation(next: ReleaseView, hook: string): FindingLocation {
  const text = next.readText('package.json');
  const at = text ? locateKey(text, hook, 'scripts') : undefined;
  return { file: 'package.json', ...(at ? { line: at.line, column: at.column } : {}) };
}

function installScripts(release: ReleaseView): Record<string, string> {
  const scripts = scriptsOf(release.manifest);
  const result: Record<string, string> = {};
  for (const hook of INSTALL_HOOKS) if (scripts[hook]?.trim()) result[hook] = scripts[hook];
  // npm runs `node-gyp rebuild` for a binding.gyp when no install hook is declared.
  if (
    !result.install &&
    !result.preinstall &&
    release.contents.files.has('binding.gyp') &&
    release.manifest.gypfile !== false
  )
    result.install = 'node-gyp rebuild';
  return result;
}

function installScriptDelta({ previous, next }: DeltaInput): FindingDraft[] {
  const before = installScripts(previous);
  const after = installScripts(next);
  const findings: FindingDraft[] = [];
  for (const [hook, script] of Object.entries(after)) {
    const grade = gradeInstallScript(script);
    const old = before[hook];
    if (old === undefined) {
      // Any new install-time code deserves a look; a native build is the one everyday reason to add one.
      const base: Severity = atLeast(grade.severity, 'high') ? 'critical' : grade.native ? 'medium' : 'high';
      findings.push({
        // Not damped in a major: publishing 2.0.0 must not be how an install-time payload gets a discount.
        severity: base,
        title: 'Install script added',
        message: `${next.version} adds a ${hook} script that runs on every install; ${previous.version} had none.`,
        location: scriptLocation(next, hook),
        evidence: excerpt(`"${hook}": "${script}"`),
        confidence: 'high',
      });
      continue;
    }
    if (old.trim() === script.trim()) continue;
    const oldGrade = gradeInstallScript(old);
    const worse = severityRank(grade.severity) > severityRank(oldGrade.severity);
    findings.push({
      severity: worse ? (atLeast(grade.severity, 'high') ? 'high' : 'medium') : 'low',
      title: 'Install script changed',
      message: `${next.version} changes its ${hook} script${worse ? ' to something riskier' : ''}; ${previous.version} ran "${excerpt(old, 80)}".`,
      location: scriptLocation(next, hook),
      evidence: excerpt(`"${hook}": "${script}"`),
      confidence: worse ? 'high' : 'medium',
    });
  }
  return findings;
}

function declaredDependencies(release: Pick<ReleaseView, 'manifest'>): Set<string> {
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies']) {
    const value = release.manifest[field];
    if (value && typeof value === 'object' && !Array.isArray(value))
      for (const name of Object.keys(value)) names.add(name);
  }
  return names;
}

const scopeOf = (name: string) => (name.startsWith('@') ? name.split('/')[0] : undefined);

/** Pure: the dependencies `next` declares that `previous` did not, sorted. */
export function addedDependencies(
  previous: Pick<ReleaseView, 'manifest'>,
  next: Pick<ReleaseView, 'manifest'>,
): string[] {
  const before = declaredDependencies(previous);
  return [...declaredDependencies(next)].filter((name) => !before.has(name)).sort();
}

function dependencyDelta({ previous, next }: DeltaInput): FindingDraft[] {
  const added = addedDependencies(previous, next);
  if (added.length === 0) return [];
  return [
    {
      severity: 'info',
      title: 'Dependencies added',
      message: `${next.version} adds ${added.length} dependenc${added.length === 1 ? 'y' : 'ies'} that ${previous.version} did not have: ${listed(added)}.`,
      location: { file: 'package.json' },
      confidence: 'high',
    },
  ];
}

export interface BrandNewInput {
  /** The package's own name: a sibling in its own scope is usually released together with it. */
  name: string;
  version: string;
  previousVersion: string;
  /** From `addedDependencies`. */
  added: readonly string[];
  /** The new release's package.json text, to point at the dependency. */
  manifestText: string | null;
  /** Registry facts of the added dependencies (names in the scanned tree). */
  dependencyRecord: (name: string) => DependencyRecord | undefined;
  /** When the new release was published (or, failing that, when the scan ran). */
  releasedAt?: string;
}

/**
 * Pure: the added dependencies first published shortly before the release that adds them: made for that release,
 * the slow-burn takeover's shape. Judged apart from the rest of the delta because it rests on registry facts,
 * which change while the two tarballs do not.
 */
export function brandNewDependencies(input: BrandNewInput): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const ownScope = scopeOf(input.name);
  for (const name of input.added) {
    const record = input.dependencyRecord(name);
    const age = daysBetween(record?.created, input.releasedAt);
    if (age === undefined || age > BRAND_NEW_DAYS || (ownScope && scopeOf(name) === ownScope)) continue;
    const text = input.manifestText;
    const at = text
      ? (locateKey(text, name, 'dependencies') ?? locateKey(text, name, 'optionalDependencies'))
      : undefined;
    findings.push({
      severity: 'high',
      title: 'Brand-new dependency added',
      message: `${input.version} adds a dependency on ${name}, a package first published ${describeDays(age)} before this release (${record?.versionCount ?? '?'} version(s)); ${input.previousVersion} did not depend on it.`,
      location: { file: 'package.json', ...(at ? { line: at.line, column: at.column } : {}) },
      evidence: excerpt(`"${name}"`),
      confidence: 'medium',
    });
  }
  return findings;
}

function describeDays(days: number): string {
  if (days < 1) return `${Math.max(0, Math.round(days * 24))} hour(s)`;
  return `${Math.round(days)} day(s)`;
}

function listed(items: string[]): string {
  const shown = items.slice(0, LIST_MAX).join(', ');
  return items.length > LIST_MAX ? `${shown} and ${items.length - LIST_MAX} more` : shown;
}

const CAPABILITY_WORDS: Partial<Record<Capability, string>> = {
  network: 'network access',
  'child-process': 'running other programs',
  env: 'reading environment variables',
  'fs-read': 'reading files',
  'fs-write': 'writing files',
  'dynamic-code': 'running generated code',
  native: 'native code',
};
/** Alone, these are everyday feature work; with new network access in a patch they are a trojan's shape. */
const QUIET_ALONE = new Set<Capability>(['env', 'fs-read', 'fs-write']);

function capabilityDelta(input: DeltaInput, kind: Kind, readings: FileReadings): FindingDraft[] {
  const { previous, next } = input;
  const before = new Set<Capability>([
    ...capabilitySites(previous.code).keys(),
    ...manifestCapabilities(previous.manifest, previous.contents),
  ]);
  const sites = capabilitySites(next.code);
  const nativeNow = manifestCapabilities(next.manifest, next.contents).includes('native');
  const added = [...sites.keys()].filter((capability) => !before.has(capability));
  if (nativeNow && !before.has('native')) added.push('native');
  if (added.length === 0) return [];
  const addsNetwork = added.includes('network');
  const addsReach = added.some(
    (capability) => capability === 'env' || capability === 'fs-read' || capability === 'child-process',
  );
  const fresh = newHosts(previous, next, readings);
  // A feature calling the package's own documented API is not a trojan's shape.
  const ownOnly = fresh.length > 0 && fresh.every((host) => host.own);
  const findings: FindingDraft[] = [];
  for (const capability of added) {
    let severity: Severity = QUIET_ALONE.has(capability) ? 'low' : 'medium';
    // Network plus newly read secrets in a bug-fix release is how a helpful package turns into a collector.
    if (
      kind === 'patch' &&
      addsNetwork &&
      addsReach &&
      (capability === 'network' || !QUIET_ALONE.has(capability)) &&
      !ownOnly
    )
      severity = 'high';
    const site = sites.get(capability);
    findings.push({
      severity: damp(severity, kind),
      title: 'New capability',
      message: `${next.version} starts ${CAPABILITY_WORDS[capability] ?? capability}${site ? ` (${site.file}:${site.line})` : ''}; ${previous.version} did not.`,
      location: site ? { file: site.file, line: site.line, column: site.column } : { file: 'package.json' },
      ...(site ? { evidence: lineAt(next, site.file, site.line) } : {}),
      confidence: 'medium',
    });
  }
  return findings;
}

function lineAt(release: ReleaseView, file: string, line: number): string | undefined {
  const text = sourceLine(release.readText(file), line);
  return text === undefined ? undefined : excerpt(text);
}

interface HostUse {
  host: string;
  own: boolean;
  /** Used in a network call's arguments, not just written in a string. */
  called: boolean;
  ip: boolean;
  file: string;
  line: number;
  column: number;
}

/** A host a file names, where first, and how: what hostsOf needs of a file apart from the package's domains. */
type FileHost = Omit<HostUse, 'own' | 'file'>;

/**
 * What one comparison has read of each file's facts. A release and the one before share the facts object of
 * every file that did not change (see codeFacts' reuse), so each is read once, not once per release.
 */
interface FileReadings {
  hosts: Map<JsFileFacts, FileHost[]>;
  emails: Map<JsFileFacts, string[]>;
}

function fileHosts(file: JsFileFacts, readings: FileReadings): FileHost[] {
  const known = readings.hosts.get(file);
  if (known) return known;
  const calledText = file.calls
    .filter((call) => /fetch|request|get|post|axios|got|open|connect|send/i.test(call.callee))
    .flatMap((call) => call.args.map((arg) => arg.value ?? arg.pattern ?? ''))
    .join('\n');
  const hosts: FileHost[] = [];
  const seen = new Set<string>();
  for (const fact of file.strings) {
    for (const endpoint of endpointsIn(fact.value)) {
      if (seen.has(endpoint.host) || /^(?:localhost|127\.|0\.0\.0\.0|\[)/.test(endpoint.host)) continue;
      seen.add(endpoint.host);
      hosts.push({
        host: endpoint.host,
        called: calledText.includes(endpoint.host),
        ip: isPublicIpv4(endpoint.host),
        line: fact.line,
        column: fact.column,
      });
    }
  }
  readings.hosts.set(file, hosts);
  return hosts;
}

function hostsOf(release: ReleaseView, readings: FileReadings): Map<string, HostUse> {
  const own = ownDomains(release.manifest);
  const hosts = new Map<string, HostUse>();
  for (const file of release.code.js) {
    for (const use of fileHosts(file, readings)) {
      if (hosts.has(use.host)) continue;
      hosts.set(use.host, { ...use, own: own.has(baseDomain(use.host)), file: file.path });
    }
  }
  return hosts;
}

function newHosts(previous: ReleaseView, next: ReleaseView, readings: FileReadings): HostUse[] {
  const before = hostsOf(previous, readings);
  const beforeDomains = new Set([...before.keys()].map(baseDomain));
  return [...hostsOf(next, readings).values()].filter(
    (use) => !before.has(use.host) && !beforeDomains.has(baseDomain(use.host)),
  );
}

function endpointDelta({ previous, next }: DeltaInput, kind: Kind, readings: FileReadings): FindingDraft[] {
  const added = newHosts(previous, next, readings);
  const findings: FindingDraft[] = [];
  const mentioned: string[] = [];
  for (const use of added) {
    if (use.own) continue;
    if (!use.called && !use.ip) {
      mentioned.push(use.host);
      continue;
    }
    findings.push({
      severity: use.ip ? 'high' : damp('medium', kind),
      title: 'New network destination',
      message: `${next.version} ${use.called ? 'sends requests to' : 'names'} ${use.ip ? 'the IP address ' : ''}${use.host} (${use.file}:${use.line}), a host that is not the package's own; ${previous.version} never named it.`,
      location: { file: use.file, line: use.line, column: use.column },
      evidence: lineAt(next, use.file, use.line) ?? use.host,
      confidence: 'medium',
    });
  }
  const emails = newEmails(previous, next, readings);
  if (emails.length > 0) {
    findings.push({
      severity: 'info',
      title: 'New email addresses',
      message: `${next.version} names ${emails.length} email address(es) ${previous.version} did not: ${listed(emails)}.`,
      confidence: 'medium',
    });
  }
  if (mentioned.length > 0) {
    findings.push({
      severity: 'info',
      title: 'New hosts named',
      message: `${next.version} names ${mentioned.length} host(s) ${previous.version} did not: ${listed(mentioned)}.`,
      confidence: 'medium',
    });
  }
  return findings;
}

/** Email literals on domains that are not the package's own; recipients of messages are judged by hardcoded-recipient. */
function newEmails(previous: ReleaseView, next: ReleaseView, readings: FileReadings): string[] {
  const collect = (release: ReleaseView) => {
    const own = ownDomains(release.manifest);
    const found = new Set<string>();
    for (const file of release.code.js) {
      for (const lower of fileEmails(file, readings)) {
        if (!own.has(baseDomain(lower.split('@')[1] ?? ''))) found.add(lower);
      }
    }
    return found;
  };
  const before = collect(previous);
  return [...collect(next)].filter((email) => !before.has(email)).sort();
}

/** A file's email literals, lower-cased, except those it puts in a message object (hardcoded-recipient's). */
function fileEmails(file: JsFileFacts, readings: FileReadings): string[] {
  const known = readings.emails.get(file);
  if (known) return known;
  const inMessages = JSON.stringify(file.objects.map((object) => object.properties)).toLowerCase();
  const emails: string[] = [];
  for (const fact of file.strings) {
    for (const email of emailsIn(fact.value)) {
      const lower = email.toLowerCase();
      if (!inMessages.includes(lower)) emails.push(lower);
    }
  }
  readings.emails.set(file, emails);
  return emails;
}

const BUILD_DIR = /^(?:dist|build|lib|out|cjs|esm)\//;
const SOURCE_DIR = /^src\//;
// Declaration files (.d.ts) describe types; they never run.
const JS = /(?<!\.d)\.[cm]?[jt]sx?$/;

function fileDelta({ previous, next }: DeltaInput, kind: Kind): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const hadBinary = previous.code.others.some((file) => file.binary);
  for (const file of next.code.others) {
    if (!file.binary || previous.contents.files.has(file.path)) continue;
    findings.push({
      severity: hadBinary ? 'low' : damp('medium', kind),
      title: 'New binary file',
      message: `${next.version} ships a new ${file.binary} binary, ${file.path}; ${previous.version} ${hadBinary ? 'shipped other binaries' : 'shipped none'}.`,
      location: { file: file.path },
      confidence: 'high',
    });
  }
  const hadMinified = previous.code.js.some((file) => file.signals.minified);
  const newMinified = next.code.js.filter(
    (file) => file.signals.minified && !previous.contents.files.has(file.path),
  );
  if (!hadMinified && newMinified.length > 0) {
    findings.push({
      severity: 'low',
      title: 'New minified code',
      message: `${next.version} ships minified code (${listed(newMinified.map((file) => file.path))}); ${previous.version} shipped none, so a review of its source no longer covers it.`,
      location: { file: newMinified[0]?.path ?? 'package.json' },
      confidence: 'medium',
    });
  }
  const before = previous.contents.unpackedSize;
  const after = next.contents.unpackedSize;
  if (
    releaseKind(previous.version, next.version) === 'patch' &&
    after > before * 3 &&
    after - before > 256 * 1024
  ) {
    findings.push({
      severity: 'medium',
      title: 'Size jump in a patch release',
      message: `${next.version} unpacks to ${kib(after)}, ${(after / Math.max(before, 1)).toFixed(1)}× the ${kib(before)} of ${previous.version}: a lot of new content for a bug-fix release.`,
      confidence: 'medium',
    });
  }
  const built = changedFiles(previous, next, BUILD_DIR);
  const sourceBefore = [...previous.contents.files.keys()].filter(
    (path) => SOURCE_DIR.test(path) && JS.test(path),
  );
  if (built.length > 0 && sourceBefore.length > 0 && changedFiles(previous, next, SOURCE_DIR).length === 0) {
    // A newer compiler rebuilds everything; what matters is build output that gained powers its source lacks.
    const gained = gainedCapabilities(previous, next, built);
    findings.push({
      severity: gained.length > 0 ? damp('medium', kind) : 'info',
      title: 'Build output changed without its source',
      message: `${next.version} changes ${listed(built)} while its src/ files are identical to ${previous.version}${gained.length > 0 ? `, and the changed output newly uses ${gained.map((capability) => CAPABILITY_WORDS[capability] ?? capability).join(', ')}` : ''}: the shipped code no longer matches the shipped source.`,
      location: { file: built[0] ?? 'package.json' },
      confidence: 'medium',
    });
  }
  return findings;
}

function gainedCapabilities(previous: ReleaseView, next: ReleaseView, paths: string[]): Capability[] {
  const inFiles = (release: ReleaseView) =>
    new Set(
      capabilitySites({
        ...release.code,
        js: release.code.js.filter((file) => paths.includes(file.path)),
      }).keys(),
    );
  const before = inFiles(previous);
  return [...inFiles(next)].filter((capability) => !before.has(capability));
}

function changedFiles(previous: ReleaseView, next: ReleaseView, folder: RegExp): string[] {
  const changed: string[] = [];
  for (const [path, file] of next.contents.files) {
    if (!folder.test(path) || !JS.test(path) || !file.bytes) continue;
    const old = previous.contents.files.get(path);
    if (!old?.bytes || !Buffer.from(old.bytes).equals(Buffer.from(file.bytes))) changed.push(path);
  }
  for (const path of previous.contents.files.keys()) {
    if (folder.test(path) && JS.test(path) && !next.contents.files.has(path)) changed.push(path);
  }
  return changed.sort();
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

import { posix } from 'node:path';
import { endpointsIn } from '../facts/endpoints.js';
import { expandedScript, type HookScript, installHooks } from '../facts/install-hooks.js';
import { locateKey, scriptsOf } from '../facts/manifest.js';
import type { JsFileFacts, Origin } from '../facts/model.js';
import { atLeast } from '../severity.js';
import { type CheckContext, defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, networkCallsIn, where } from './code-helpers.js';
import { gradeInstallScript, type ScriptGrade } from './install-script-grade.js';

/** The hooks npm runs when a registry package is installed. */
export { INSTALL_HOOKS } from '../facts/install-hooks.js';

const SHELL_FILE = /\.(?:sh|bash|ps1|bat|cmd)$/;

export const installScripts = defineCheck({
  id: 'install-scripts',
  title: 'Install script',
  description: 'Lifecycle scripts that npm runs on install, graded by what they do.',
  docs: `npm runs a package's preinstall, install and postinstall scripts (and \`node-gyp rebuild\` when a
binding.gyp is shipped without an install script) with the user's full rights, before any code is imported.
Most real supply-chain attacks start here: ua-parser-js 0.7.29 (2021) downloaded a crypto-miner in preinstall,
and the Shai-Hulud worm (2025) ran its payload from postinstall. A native build (node-gyp, prebuild-install) is
low; running a script shipped in the package is low (its code is what matters); an unknown command or a
background process is medium; a download, a download piped into an interpreter, inline code that uses the
network, encoded or obfuscated commands, and credential reads are critical. The files a script runs are
followed (two levels of local imports): sending the host name, user, environment or credentials over the
network at install time, the shape of dependency-confusion probes, is high, or critical for credentials. Installing with --ignore-scripts removes
the risk itself. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    // A hook that says `npm run setup` is judged by what `setup` does.
    const scripts = scriptsOf(ctx.manifest);
    const hooks = installHooks(scripts);
    const findings: FindingDraft[] = [];
    for (const hook of hooks) findings.push(gradeHook(ctx, hook));
    for (const hook of hooks) findings.push(...installTimeLeaks(ctx, hook.hook, expandedScript(hook)));
    const implicit = implicitNodeGyp(ctx, scripts);
    if (implicit) findings.push(implicit);
    return findings;
  },
});

function gradeHook(ctx: CheckContext, hookScript: HookScript): FindingDraft {
  const { hook, script } = hookScript;
  let grade = gradeInstallScript(expandedScript(hookScript));
  let viaFile: string | undefined;
  // `npm run setup` alone reads as a development tool: what the started scripts do is what runs.
  if (hookScript.runs.length > 0 && grade.severity !== gradeInstallScript(script).severity)
    viaFile = `the ${hookScript.runs.map((run) => run.name).join(', ')} script${hookScript.runs.length > 1 ? 's' : ''} it starts`;
  // A shell script shipped in the package is as much the install script as the command that starts it.
  for (const file of grade.referencedFiles) {
    if (!SHELL_FILE.test(file) && !grade.shellFiles.includes(file)) continue;
    const text = ctx.readText(file);
    if (text === undefined) continue;
    const fileGrade = gradeInstallScript(text);
    if (atLeast(fileGrade.severity, grade.severity) && fileGrade.severity !== grade.severity) {
      grade = mergeGrades(grade, fileGrade);
      viaFile = file;
    }
  }
  const reasons = grade.signals.map((signal) => signal.reason);
  const via = viaFile ? ` (through ${viaFile})` : '';
  const what = reasons.length > 0 ? reasons.join('; ') : 'runs a command';
  const location = locateKey(ctx.manifestText, hook, 'scripts');
  return {
    severity: grade.severity,
    title: `${hook} script`,
    message: `The ${hook} script ${what}${via}.`,
    location: { file: 'package.json', ...location },
    evidence: excerpt(script),
    confidence: confidenceOf(grade),
  };
}

const LEAKED: Partial<Record<Origin, string>> = {
  'sensitive-file': 'credential files',
  'env-all': 'the whole environment',
  env: 'environment variables',
  'host-info': 'who and where the machine is (host name, user, home folder)',
  'command-output': 'command output',
};

/**
 * The script's own files, run at install time: what they send over the network before anyone imported the
 * package. Dependency-confusion probes and install-time recon send host name and user to a collector.
 */
function installTimeLeaks(ctx: CheckContext, hook: string, script: string): FindingDraft[] {
  const findings: FindingDraft[] = [];
  for (const entry of gradeInstallScript(script).referencedFiles) {
    for (const file of installTimeFiles(ctx, entry)) {
      for (const call of networkCallsIn(file)) {
        const origins = [...argOrigins(call)].filter((origin) => LEAKED[origin]);
        if (origins.length === 0) continue;
        const secret = origins.includes('sensitive-file') || origins.includes('env-all');
        const host = call.args
          .map((arg) => arg.value ?? arg.pattern ?? '')
          .flatMap((text) => endpointsIn(text))[0]?.host;
        findings.push({
          severity: secret ? 'critical' : 'high',
          title: `${hook} script sends data`,
          message: `At install time the ${hook} script runs ${entry}, which sends ${origins.map((origin) => LEAKED[origin]).join(', ')} over the network${host ? ` to ${host}` : ''} (${where(file, call)}).`,
          location: at(file, call),
          evidence: excerpt(call.args.map((arg) => arg.text).join(', ')),
          confidence: 'high',
        });
        return findings; // one per hook: the first leak makes the point
      }
    }
  }
  return findings;
}

/** A file the script runs and the package files it loads, two levels deep. */
function installTimeFiles(ctx: CheckContext, entry: string): JsFileFacts[] {
  const byPath = new Map(ctx.code.js.map((file) => [file.path, file]));
  const resolve = (from: string, specifier: string) => {
    const base = posix.normalize(posix.join(posix.dirname(from), specifier));
    return [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`].find((path) =>
      byPath.has(path),
    );
  };
  // Resolved as Node resolves `node <path>`: `node scripts/postinstall` runs scripts/postinstall.js.
  const start = resolve('', entry.replace(/^\.\//, ''));
  const seen = new Set<string>();
  let frontier = start ? [start] : [];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const path of frontier) {
      if (seen.has(path)) continue;
      seen.add(path);
      for (const use of byPath.get(path)?.imports ?? []) {
        if (!use.module.startsWith('.')) continue;
        const target = resolve(path, use.module);
        if (target) next.push(target);
      }
    }
    frontier = next;
  }
  return [...seen].flatMap((path) => byPath.get(path) ?? []);
}

function mergeGrades(a: ScriptGrade, b: ScriptGrade): ScriptGrade {
  const severity = atLeast(a.severity, b.severity) ? a.severity : b.severity;
  const signals = [...b.signals, ...a.signals.filter((signal) => !b.signals.some((s) => s.id === signal.id))];
  return {
    severity,
    signals,
    referencedFiles: [...a.referencedFiles, ...b.referencedFiles],
    shellFiles: [...a.shellFiles, ...b.shellFiles],
    native: a.native || b.native,
  };
}

function confidenceOf(grade: ScriptGrade): 'high' | 'medium' | 'low' {
  const strong = grade.signals.some((signal) =>
    ['download-exec', 'reverse-shell', 'inline-code-network', 'native-build'].includes(signal.id),
  );
  return strong ? 'high' : 'medium';
}

/** npm runs `node-gyp rebuild` by itself when binding.gyp ships and no install/preinstall script is set. */
function implicitNodeGyp(ctx: CheckContext, scripts: Record<string, string>): FindingDraft | undefined {
  if (!ctx.contents.files.has('binding.gyp')) return undefined;
  if (scripts.install || scripts.preinstall || ctx.manifest?.gypfile === false) return undefined;
  return {
    severity: 'low',
    title: 'Implicit native build',
    message: 'npm will run `node-gyp rebuild` on install because the package ships binding.gyp.',
    location: { file: 'binding.gyp' },
    evidence: 'node-gyp rebuild',
    confidence: 'high',
  };
}

import { locateKey, scriptsOf } from '../facts/manifest.js';
import { atLeast } from '../severity.js';
import { type CheckContext, defineCheck, excerpt, type FindingDraft } from './check.js';
import { gradeInstallScript, type ScriptGrade } from './install-script-grade.js';

/** The hooks npm runs when a registry package is installed. */
export const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;

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
network, encoded or obfuscated commands, and credential reads are critical. Installing with --ignore-scripts removes
the risk itself. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const scripts = scriptsOf(ctx.manifest);
    const findings: FindingDraft[] = [];
    for (const hook of INSTALL_HOOKS) {
      const script = scripts[hook];
      if (script === undefined || script.trim() === '') continue;
      findings.push(gradeHook(ctx, hook, script));
    }
    const implicit = implicitNodeGyp(ctx, scripts);
    if (implicit) findings.push(implicit);
    return findings;
  },
});

function gradeHook(ctx: CheckContext, hook: string, script: string): FindingDraft {
  let grade = gradeInstallScript(script);
  let viaFile: string | undefined;
  // A shell script shipped in the package is as much the install script as the command that starts it.
  for (const file of grade.referencedFiles) {
    if (!SHELL_FILE.test(file)) continue;
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

function mergeGrades(a: ScriptGrade, b: ScriptGrade): ScriptGrade {
  const severity = atLeast(a.severity, b.severity) ? a.severity : b.severity;
  const signals = [...b.signals, ...a.signals.filter((signal) => !b.signals.some((s) => s.id === signal.id))];
  return {
    severity,
    signals,
    referencedFiles: [...a.referencedFiles, ...b.referencedFiles],
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

import { posix } from 'node:path';
import type { PackageManifest } from '../facts/manifest.js';
import { locateKey } from '../facts/manifest.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';

/** Commands people and scripts run by name; a package `bin` with one of these names takes its place on PATH. */
const SHADOWED_COMMANDS = new Set([
  'node',
  'npm',
  'npx',
  'yarn',
  'yarnpkg',
  'pnpm',
  'pnpx',
  'corepack',
  'bun',
  'bunx',
  'deno',
  'git',
  'ssh',
  'scp',
  'sftp',
  'gpg',
  'openssl',
  'curl',
  'wget',
  'sh',
  'bash',
  'zsh',
  'dash',
  'fish',
  'ksh',
  'csh',
  'pwsh',
  'powershell',
  'cmd',
  'sudo',
  'su',
  'doas',
  'env',
  'ls',
  'cp',
  'mv',
  'rm',
  'cat',
  'chmod',
  'chown',
  'ln',
  'tar',
  'unzip',
  'python',
  'python3',
  'pip',
  'pip3',
  'uv',
  'uvx',
  'make',
  'gcc',
  'cc',
  'docker',
  'kubectl',
  'code',
  'open',
  'xdg-open',
  'claude',
  'gemini',
  'codex',
  'cursor',
]);

/** Packages that legitimately own a command from the list above besides their own name. */
const COMMAND_OWNERS: Record<string, readonly string[]> = {
  npm: ['npm', 'npx'],
  corepack: ['corepack', 'yarn', 'yarnpkg', 'pnpm', 'pnpx', 'npm', 'npx'],
  yarn: ['yarn', 'yarnpkg'],
  pnpm: ['pnpm', 'pnpx'],
  bun: ['bun', 'bunx'],
  '@anthropic-ai/claude-code': ['claude'],
  '@google/gemini-cli': ['gemini'],
  '@openai/codex': ['codex'],
};

export const manifest = defineCheck({
  id: 'manifest',
  title: 'Suspicious manifest',
  description: 'A bin that shadows a common command, or bin/main entries pointing outside the package.',
  docs: `npm links every \`bin\` entry into node_modules/.bin, which comes first on PATH inside npm scripts,
and into the global bin folder on global installs. A dependency that ships a bin named \`git\`, \`node\` or
\`sh\` silently replaces that command for every script that runs after it; this is how several 2023-2024
npm malware packages intercepted credentials. Entries that resolve outside the package folder (\`../\`,
absolute paths) make npm link or load files the package does not own. Packages that really are the
command (npm owning npx, corepack owning yarn) are not reported. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    const manifestValue = ctx.manifest;
    if (!manifestValue) return findings;
    const packageName = ctx.name;
    for (const [command, target] of binEntries(manifestValue, packageName)) {
      const location = { file: 'package.json', ...locateKey(ctx.manifestText, 'bin') };
      // npm links only the last path segment of a bin name (`../../bin/ls` becomes `ls`), so judge that.
      const linked = linkedBinName(command);
      if (shadowsCommand(linked, packageName)) {
        findings.push({
          severity: 'high',
          title: 'Bin shadows a common command',
          message: `The package installs a \`${linked}\` command that takes the place of the real ${linked} on PATH.`,
          location,
          evidence: excerpt(`"${command}": "${target}"`),
        });
      }
      if (escapesPackage(target)) {
        findings.push({
          severity: 'high',
          title: 'Bin points outside the package',
          message: `The bin "${excerpt(command, 60)}" points to ${excerpt(target, 80)}, outside the package folder.`,
          location,
          evidence: excerpt(`"${command}": "${target}"`),
        });
      }
    }
    if (typeof manifestValue.main === 'string' && escapesPackage(manifestValue.main)) {
      findings.push({
        severity: 'high',
        title: 'Main points outside the package',
        message: `"main" is ${excerpt(manifestValue.main, 80)}, outside the package folder, so requiring the package loads a file it does not ship.`,
        location: { file: 'package.json', ...locateKey(ctx.manifestText, 'main') },
        evidence: excerpt(`"main": "${manifestValue.main}"`),
      });
    }
    return findings;
  },
});

/** `bin` as npm reads it: a string means one command named after the package (without its scope). */
export function binEntries(manifestValue: PackageManifest, packageName: string): Array<[string, string]> {
  const bin = manifestValue.bin;
  if (typeof bin === 'string') return [[packageName.replace(/^@[^/]+\//, ''), bin]];
  if (!bin || typeof bin !== 'object' || Array.isArray(bin)) return [];
  return Object.entries(bin).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

function shadowsCommand(command: string, packageName: string): boolean {
  const lower = command.toLowerCase();
  if (!SHADOWED_COMMANDS.has(lower)) return false;
  if (lower === packageName.toLowerCase()) return false;
  return !COMMAND_OWNERS[packageName]?.includes(lower);
}

/** The command name npm actually links for a bin key: its last path segment. */
export function linkedBinName(key: string): string {
  return posix.basename(key.replace(/[\\:]/g, '/'));
}

/** True when a path inside package.json resolves outside the package root. */
export function escapesPackage(target: string): boolean {
  const slashed = target.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-z]:/i.test(slashed) || slashed.startsWith('~')) return true;
  const normalized = posix.normalize(slashed);
  return normalized === '..' || normalized.startsWith('../');
}

import type { CallFact, JsFileFacts } from '../facts/model.js';
import { isExec, isFileWrite, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { at, commandLine } from './code-helpers.js';

/** Places whose contents run later on their own: shell start-up files, keys, schedulers, login items, hooks. */
const PERSISTENCE_TARGETS: Array<{ label: string; pattern: RegExp }> = [
  {
    label: 'shell start-up files',
    pattern:
      /(?:^|[/\\~'"`])\.(?:bashrc|bash_profile|bash_login|zshrc|zprofile|zshenv|zlogin|profile)\b|config[/\\]fish[/\\]config\.fish/,
  },
  { label: 'SSH authorized keys', pattern: /\.ssh[/\\'"`, ]+authorized_keys|\bauthorized_keys\b/ },
  {
    label: 'scheduled jobs',
    pattern: /\bcrontab\b|\/etc\/cron|\/var\/spool\/cron|\bschtasks\b[^|&;]{0,80}\/create/i,
  },
  {
    label: 'macOS login items',
    pattern: /Library[/\\'"`, ]+Launch(?:Agents|Daemons)|\blaunchctl\s+(?:load|bootstrap)\b/,
  },
  {
    label: 'systemd services',
    pattern: /\.config[/\\]systemd[/\\]user|\/etc\/systemd\/system|\bsystemctl\s+(?:--user\s+)?enable\b/,
  },
  {
    label: 'Windows start-up entries',
    pattern:
      /CurrentVersion\\{1,2}Run\b|Start Menu[/\\]{1,2}Programs[/\\]{1,2}Startup|\breg(?:\.exe)?\s+add\b[^|&;]{0,120}\\Run\b/i,
  },
  { label: 'git hooks', pattern: /\.git[/\\'"`, ]+hooks\b/ },
];

const APPENDS =
  /^fs\.(?:appendFile|appendFileSync|writeFile|writeFileSync|createWriteStream|copyFile|copyFileSync)$/;

function targetOf(text: string): string | undefined {
  return PERSISTENCE_TARGETS.find((target) => target.pattern.test(text))?.label;
}

function writeTarget(call: CallFact): string | undefined {
  if (!APPENDS.test(call.callee)) return undefined;
  const path = call.args[0];
  return path ? targetOf(path.value ?? path.pattern ?? path.text) : undefined;
}

export const persistence = defineCheck({
  id: 'persistence',
  title: 'Installs itself to run later',
  description:
    'Writes to shell start-up files, authorized_keys, cron, login items, systemd, Windows Run keys or git hooks.',
  docs: `Malware that wants to outlive the install writes itself where the system will run it again: the nx
"s1ngularity" payload (2025) appended commands to ~/.bashrc and ~/.zshrc, and many npm stealers add an SSH
key to ~/.ssh/authorized_keys, a cron job, a macOS LaunchAgent, a systemd user service or a Windows Run key.
High when code writes to one of these places or runs a command that does (\`crontab\`, \`launchctl load\`,
\`schtasks /create\`, \`reg add ...\\Run\`, \`>> ~/.bashrc\`); critical when the same file also downloads or runs
code; medium when such a path is only named next to some file write (shell-completion installers do that).
A
reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a
reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const payload = file.calls.some((call) => isNetwork(call.callee)) || hasDownloadCommand(file);
      for (const call of file.calls) {
        let label = writeTarget(call);
        let evidence = call.args[0]?.text ?? '';
        if (!label && isExec(call.callee)) {
          const command = commandLine(call) ?? '';
          const redirected = />>?\s*["']?(?:~|\$HOME|%USERPROFILE%|\/home|\/root|\/Users)/.test(command);
          label = targetOf(command);
          if (
            label &&
            !redirected &&
            !/crontab|launchctl|schtasks|systemctl|reg(?:\.exe)?\s+add/i.test(command)
          )
            label = undefined;
          evidence = command;
        }
        if (!label) continue;
        findings.push({
          severity: payload ? 'critical' : 'high',
          message: `${call.written}() writes to ${label}, which run again later on their own${payload ? '; the same file downloads or runs code' : ''}.`,
          location: at(file, call),
          evidence: excerpt(evidence),
        });
      }
      // Paths kept in variables: the target named in a string next to a write or append.
      if (findings.some((finding) => finding.location?.file === file.path)) continue;
      // Path-like strings only: prose ("a crontab schedule") names nothing.
      const named = file.strings.find(
        (text) =>
          text.value.length < 200 && (text.value.match(/ /g)?.length ?? 0) <= 2 && targetOf(text.value),
      );
      const writes = file.calls.find(
        (call) => APPENDS.test(call.callee) || (isFileWrite(call.callee) && /append/i.test(call.callee)),
      );
      if (named && writes) {
        // Only named, not seen written to: shell-completion installers do this honestly, so medium at most.
        findings.push({
          severity: 'medium',
          message: `Names ${targetOf(named.value)} (${excerpt(named.value, 60)}) and writes files with ${writes.written}().`,
          location: at(file, named),
          evidence: excerpt(named.value),
          confidence: 'medium',
        });
      }
    }
    return findings;
  },
});

function hasDownloadCommand(file: JsFileFacts): boolean {
  return file.calls.some(
    (call) => isExec(call.callee) && /\b(?:curl|wget|iwr|invoke-webrequest)\b/i.test(commandLine(call) ?? ''),
  );
}

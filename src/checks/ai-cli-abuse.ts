import { isExec } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { at, commandLine } from './code-helpers.js';

const AI_CLI =
  /(?:^|[\s/\\'"])(?:claude|gemini|q|codex|amp|cursor-agent|aider|copilot|opencode|qwen|crush|goose)(?:\.exe|\.cmd)?(?=[\s'"]|$)/;
const BYPASS =
  /--dangerously-skip-permissions|--yolo\b|--trust-all-tools|--full-auto\b|--dangerously-bypass-approvals-and-sandbox|--allow-all-tools|--approval-mode[= ]yolo|--permission-mode[= ]bypassPermissions|--no-confirm/i;
const SECRET_PROMPT =
  /secret|credential|password|token|api[ _-]?key|wallet|seed phrase|mnemonic|private key|\.env\b|\.ssh|keystore|inventory|exfiltrat/i;

export const aiCliAbuse = defineCheck({
  id: 'ai-cli-abuse',
  title: 'Drives a local AI agent without its safeguards',
  description: 'Spawning claude, gemini, q, codex and similar agents with permission-bypass flags.',
  docs: `The nx "s1ngularity" compromise (August 2025) ran the victim's own AI coding agents with their
safety prompts turned off (\`claude --dangerously-skip-permissions\`, \`gemini --yolo\`,
\`q chat --trust-all-tools\`) and asked them to find secrets and wallets on the machine. Critical when a
package starts an AI CLI with a permission-bypass flag and a prompt about secrets or files, high with the
bypass flag alone. Starting an agent without bypass flags is not a finding.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const execs = file.calls.filter((call) => isExec(call.callee));
      if (execs.length === 0 && !file.imports.some((use) => use.module.startsWith('child_process'))) continue;
      const promptAboutSecrets = file.strings.some(
        (text) => text.value.length > 20 && SECRET_PROMPT.test(text.value),
      );
      let reported = false;
      for (const call of execs) {
        const command =
          commandLine(call) ??
          call.args
            .map((arg) => arg.value ?? arg.elements?.map((e) => e.value ?? '').join(' ') ?? '')
            .join(' ');
        const agent =
          AI_CLI.test(` ${command}`) ||
          call.args.some((arg) => arg.value !== undefined && AI_CLI.test(` ${arg.value}`));
        if (
          !agent ||
          !BYPASS.test(
            command +
              file.strings
                .filter((text) => BYPASS.test(text.value))
                .map((text) => text.value)
                .join(' '),
          )
        )
          continue;
        findings.push({
          severity: promptAboutSecrets ? 'critical' : 'high',
          message: `Starts a local AI agent with its permission checks disabled${promptAboutSecrets ? ' and a prompt about secrets or files' : ''}: ${excerpt(command, 100)}.`,
          location: at(file, call),
          evidence: excerpt(command),
        });
        reported = true;
      }
      if (reported) continue;
      // Commands assembled out of sight (arrays of agents, flags kept in constants) still leave the flags as strings.
      const flag = file.strings.find((text) => BYPASS.test(text.value));
      const agentName = file.strings.find((text) => AI_CLI.test(` ${text.value} `));
      if (flag && agentName) {
        findings.push({
          severity: promptAboutSecrets ? 'critical' : 'high',
          message: `Holds AI agent permission-bypass flags (${excerpt(flag.value, 60)}) next to process calls${promptAboutSecrets ? ' and a prompt about secrets or files' : ''}.`,
          location: at(file, flag),
          evidence: excerpt(flag.value),
          confidence: 'medium',
        });
      }
    }
    return findings;
  },
});

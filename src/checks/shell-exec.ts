import { isExec } from '../facts/names.js';
import { atLeast } from '../severity.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, callsOf, commandLine, isBundle } from './code-helpers.js';
import { gradeInstallScript } from './install-script-grade.js';

const SHELL_PROGRAM =
  /^(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da|k)?sh$|^cmd(?:\.exe)?$|^(?:pwsh|powershell)(?:\.exe)?$/i;

export const shellExec = defineCheck({
  id: 'shell-exec',
  title: 'Runs a dangerous command',
  description:
    'child_process calls graded by what they run: downloads piped into shells, hidden or detached processes.',
  docs: `Code that starts processes is ordinary (git helpers, build tools) and is only listed as the
child-process capability. This check reports what a process call runs when that is dangerous: a download
piped into an interpreter or run after download (the ua-parser-js 2021 miner, the eslint-scope 2018 stage
two), a reverse shell, encoded PowerShell, a command assembled from downloaded or decoded data (critical),
credential reads or npm publish through a shell (high), and detached, hidden background processes
(medium). \`execFile('git', [...])\` and friends are not findings. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const { file, call } of callsOf(ctx)) {
      if (
        /^process\.(?:binding|_linkedBinding)$/.test(call.callee) &&
        /spawn|process_wrap/.test(call.args[0]?.value ?? '')
      ) {
        findings.push({
          severity: 'high',
          message: `Reaches Node's internal process-spawning binding (${call.args[0]?.value}) directly, around child_process.`,
          location: at(file, call),
          evidence: excerpt(`${call.written}('${call.args[0]?.value}')`),
        });
        continue;
      }
      if (!isExec(call.callee)) continue;
      const command = commandLine(call);
      const origins = argOrigins(call);
      if (command !== undefined) {
        const grade = gradeInstallScript(command);
        // Only what is dangerous in itself: "runs some command" is the child-process capability, not a finding.
        const serious = grade.signals.filter((signal) => atLeast(signal.severity, 'high'));
        if (serious.length > 0) {
          findings.push({
            severity: grade.severity,
            message: `${call.written}() ${serious.map((signal) => signal.reason).join('; ')}.`,
            location: at(file, call),
            evidence: excerpt(command),
          });
          continue;
        }
      } else if (origins.has('network') || origins.has('decoded')) {
        findings.push({
          severity: 'critical',
          message: `${call.written}() runs a command built from ${origins.has('network') ? 'downloaded' : 'decoded'} data.`,
          location: at(file, call),
          evidence: excerpt(call.args[0]?.text ?? call.written),
        });
        continue;
      }
      const options = call.args.find(
        (arg) => arg.properties && ('detached' in arg.properties || 'windowsHide' in arg.properties),
      );
      const detached = options?.properties?.detached?.text === 'true';
      const ignored = /ignore/.test(options?.properties?.stdio?.text ?? '');
      if (detached && ignored) {
        findings.push({
          severity: 'medium',
          message: `${call.written}() starts a detached background process with its output discarded${command ? `: ${excerpt(command, 80)}` : ''}.`,
          location: at(file, call),
          evidence: excerpt(call.args.map((arg) => arg.text).join(', ')),
          confidence: 'medium',
        });
      }
    }
    // A shell whose input and output are a raw socket to somewhere else: a reverse shell.
    for (const file of ctx.code.js) {
      if (isBundle(file)) continue;
      const socket = file.calls.find((call) =>
        /^(?:net|tls)\.(?:connect|createConnection)$|^net\.Socket\(\)\.connect$/.test(call.callee),
      );
      const shell = file.calls.find(
        (call) => isExec(call.callee) && SHELL_PROGRAM.test(call.args[0]?.value ?? ''),
      );
      if (!socket || !shell) continue;
      findings.push({
        severity: 'critical',
        message: `Opens a raw socket with ${socket.written}() (${file.path}:${socket.line}) and starts a shell with ${shell.written}(): the shape of a reverse shell.`,
        location: at(file, shell),
        evidence: excerpt(shell.args.map((arg) => arg.text).join(', ')),
        confidence: 'medium',
      });
    }
    return findings;
  },
});

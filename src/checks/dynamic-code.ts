import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, runsCode } from './code-helpers.js';

export const dynamicCode = defineCheck({
  id: 'dynamic-code',
  title: 'Evaluates code from a hidden or untrusted source',
  description:
    'eval, Function, vm and module._compile reached through computed names or fed by the environment, files or processes.',
  docs: `Template engines and schema compilers build functions with \`new Function\` from their own input; that is
only listed as the dynamic-code capability. This check reports eval-like calls that hide themselves or run
what they should not: eval reached through a computed or aliased name (\`global['ev'+'al']\`,
\`globalThis[atob('ZXZhbA==')]\`) with a non-constant argument (high), and code read from environment
variables, files outside the package's own templates, or process output (high). Downloaded and decoded
payloads are reported by remote-code and encoded-payload.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      for (const call of file.calls) {
        if (!runsCode(call) || /^set(?:Timeout|Interval)$/.test(call.callee)) continue;
        const first = call.args[0];
        if (!first || first.value !== undefined) continue;
        const origins = argOrigins(call);
        if (origins.has('network') || origins.has('decoded')) continue; // remote-code / encoded-payload
        const hidden = call.hidden;
        if (hidden) {
          findings.push({
            severity: 'high',
            message: `Reaches ${call.callee} through the computed name ${excerpt(call.written, 60)} and runs a non-constant value.`,
            location: at(file, call),
            evidence: excerpt(first.text),
          });
        } else if (
          origins.has('env') ||
          origins.has('env-all') ||
          origins.has('command-output') ||
          origins.has('sensitive-file')
        ) {
          findings.push({
            severity: 'high',
            message: `${call.written}() runs code taken from ${origins.has('command-output') ? 'process output' : origins.has('sensitive-file') ? 'a credential file' : 'the environment'}.`,
            location: at(file, call),
            evidence: excerpt(first.text),
            confidence: 'medium',
          });
        }
      }
    }
    return findings;
  },
});

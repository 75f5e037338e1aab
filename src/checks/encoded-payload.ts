import { isExec } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, runsCode } from './code-helpers.js';

/** Decoded text that reads as code or a command rather than data (fonts, images, keys). */
const CODE_LIKE =
  /\brequire\s*\(|child_process|\beval\s*\(|\bnew Function\b|\bprocess\.env\b|https?:\/\/|\bcurl\s|\bwget\s|powershell|\/bin\/(?:ba)?sh|\bexec(?:Sync)?\s*\(|\bimport\s*\(/;

export const encodedPayload = defineCheck({
  id: 'encoded-payload',
  title: 'Runs an encoded payload',
  description: 'base64, hex, char-code or encrypted data decoded and then executed, or decoded into code.',
  docs: `Malware hides its real code from reviewers by encoding it. flatmap-stream (event-stream, 2018) carried
an AES-encrypted payload, decrypted with a key taken from the depending package's description and run with
module._compile; the 2025 chalk/debug drainer and countless loaders use base64 and char codes. Critical
when decoded data reaches eval, Function, vm, module._compile or a process; high when a constant decodes to
code or a command (require, child_process, a URL, a shell). Decoding data (images, fonts, keys) is not a
finding.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      for (const call of file.calls) {
        if (!runsCode(call) && !isExec(call.callee)) continue;
        const origins = argOrigins(call);
        if (!origins.has('decoded')) continue;
        const keyed = origins.has('env') ? ' with a key from the environment' : '';
        findings.push({
          severity: 'critical',
          message: `${call.written}() runs data that was decoded or decrypted${keyed}.`,
          location: at(file, call),
          evidence: excerpt(call.args[0]?.value ?? call.args[0]?.text ?? call.written),
        });
      }
      // import('data:text/javascript;base64,...') runs whatever the URL carries.
      for (const use of file.imports) {
        if (use.how !== 'dynamic-import' || !/^data:/i.test(use.module)) continue;
        findings.push({
          severity: 'critical',
          message: `Imports code from a data: URL (${excerpt(use.module, 60)}): code that never appears as a file.`,
          location: at(file, use),
          evidence: excerpt(use.module),
        });
      }
      for (const text of file.strings) {
        if (!text.decoded || !CODE_LIKE.test(text.value)) continue;
        findings.push({
          severity: 'high',
          message: `A constant decodes to code or a command: "${excerpt(text.value, 100)}".`,
          location: at(file, text),
          evidence: excerpt(text.value),
          confidence: 'medium',
        });
      }
    }
    return dedupe(findings);
  },
});

function dedupe(findings: FindingDraft[]): FindingDraft[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.location?.file}:${finding.location?.line}:${finding.severity}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import { exfilKindOfHost } from '../facts/endpoints.js';
import { isDns } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, originLabel } from './code-helpers.js';

const ENCODING =
  /toString\(\s*['"](?:hex|base64|base64url|base32)['"]\s*\)|\bbtoa\(|\bencode(?:Base32|Hex)\b|\bbase32\b|\.match\(\s*\/\.\{1,\d+\}\/g\s*\)|\bchunk/i;

export const dnsExfil = defineCheck({
  id: 'dns-exfil',
  title: 'Data hidden in DNS lookups',
  description: 'Host names built from encoded data and resolved, so data leaves through DNS.',
  docs: `DNS leaves almost every network: malware encodes stolen data into subdomain labels
(\`<hex>.attacker.example\`) and resolves them, often against interactsh/OAST hosts, as in many 2021-2025
dependency-confusion probes that sent hostnames, user names and paths home. Critical when environment,
host, file or process data flows into a DNS lookup, or the lookup targets an OAST host; high when the host
name is assembled from encoded data. Lookups of names from configuration are not findings.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      for (const call of file.calls) {
        if (!isDns(call.callee)) continue;
        const host = call.args[0];
        if (!host) continue;
        if (host.value !== undefined) {
          if (
            exfilKindOfHost(host.value.split('.').slice(-2).join('.')) === 'oast' ||
            exfilKindOfHost(host.value) === 'oast'
          ) {
            findings.push({
              severity: 'high',
              message: `Resolves an out-of-band interaction host: ${excerpt(host.value, 80)}.`,
              location: at(file, call),
              evidence: excerpt(host.value),
            });
          }
          continue;
        }
        const origins = argOrigins(call);
        const sensitive = [...origins].filter((origin) => origin !== 'network' && origin !== 'decoded');
        const oastSuffix = file.strings.some(
          (text) => exfilKindOfHost(text.value.replace(/^\./, '')) === 'oast',
        );
        if (sensitive.length > 0 || oastSuffix) {
          findings.push({
            severity: 'critical',
            message: `${call.written}() resolves a host name built from ${sensitive.length > 0 ? originLabel(new Set(sensitive)) : 'data'}${oastSuffix ? ' under an out-of-band interaction domain' : ''}: data leaves through DNS.`,
            location: at(file, call),
            evidence: excerpt(host.text),
          });
        } else if (ENCODING.test(host.text) || host.refs.some((ref) => /Buffer|toString/.test(ref))) {
          findings.push({
            severity: 'high',
            message: `${call.written}() resolves a host name assembled from encoded data.`,
            location: at(file, call),
            evidence: excerpt(host.text),
            confidence: 'medium',
          });
        }
      }
    }
    return findings;
  },
});

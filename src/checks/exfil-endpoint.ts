import { type Endpoint, endpointsIn, exfilKindOfHost } from '../facts/endpoints.js';
import type { JsFileFacts, StringFact } from '../facts/model.js';
import { isDns, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, originLabel } from './code-helpers.js';

const SOURCES = new Set(['sensitive-file', 'env-all', 'host-info', 'env', 'file', 'command-output']);

const KIND_LABEL: Record<NonNullable<Endpoint['kind']>, string> = {
  webhook: 'a webhook collector',
  paste: 'a paste site',
  tunnel: 'a tunnel service',
  oast: 'an out-of-band interaction (OAST) service',
  'raw-ip': 'a raw IP address',
  'chat-bot': 'a chat bot API',
};

/** Whether the package gathers anything worth stealing: credentials, the environment, host details. */
function gathers(files: JsFileFacts[]): boolean {
  return files.some(
    (file) =>
      file.calls.some((call) =>
        call.args.some((arg) =>
          arg.origins.some(
            (origin) => origin === 'sensitive-file' || origin === 'env-all' || origin === 'host-info',
          ),
        ),
      ) || file.accesses.some((access) => access.whole),
  );
}

/** `{ hostname: 'abc.oast.fun' }`: a host name standing alone, for request options and DNS. */
function bareHost(text: string): Endpoint[] {
  if (text.length > 253 || !/^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}$/i.test(text)) return [];
  const host = text.toLowerCase();
  const kind = exfilKindOfHost(host);
  return kind ? [{ url: host, host, kind }] : [];
}

export const exfilEndpoint = defineCheck({
  id: 'exfil-endpoint',
  title: 'Hard-coded exfiltration endpoint',
  description:
    'Webhook collectors, Discord/Slack webhooks, Telegram bots, paste sites, tunnels, OAST hosts and raw IPs in code.',
  docs: `Stolen data has to go somewhere the attacker can read without running a server: webhook.site,
a Discord or Slack webhook, a Telegram bot, a paste site, an ngrok or Cloudflare tunnel, an interactsh/OAST
host, or a bare IP address. Shai-Hulud (2025) posted to webhook.site; countless token stealers post to
Discord webhooks. Critical when data from the environment, credential files or the host flows into a call
to such an endpoint; high when the package gathers such data and names the endpoint; medium otherwise (a
notifier library that posts to a Discord webhook the user configures names none).`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    const collects = gathers(ctx.code.js);
    for (const file of ctx.code.js) {
      const seen = new Set<string>();
      const network = file.calls.filter((call) => isNetwork(call.callee) || isDns(call.callee));
      for (const text of file.strings) {
        for (const endpoint of [...endpointsIn(text.value), ...bareHost(text.value)]) {
          if (!endpoint.kind || seen.has(endpoint.host)) continue;
          seen.add(endpoint.host);
          findings.push(grade(file, text, endpoint, network, collects));
        }
      }
    }
    return findings;
  },
});

function grade(
  file: JsFileFacts,
  text: StringFact,
  endpoint: Endpoint,
  network: JsFileFacts['calls'],
  collects: boolean,
): FindingDraft {
  const kind = KIND_LABEL[endpoint.kind ?? 'raw-ip'];
  const names = (call: JsFileFacts['calls'][number]) =>
    call.args.some(
      (arg) =>
        (arg.value ?? arg.text).includes(endpoint.host) ||
        Object.values(arg.properties ?? {}).some((prop) => (prop.value ?? '').includes(endpoint.host)),
    );
  const carries = (call: JsFileFacts['calls'][number]) =>
    [...argOrigins(call)].some((origin) => SOURCES.has(origin));
  // The request names the host; its body may go out in a later `.write`/`.end` on the same request.
  const addressed = network.some(names) || network.length === 1;
  const flow = addressed
    ? (network.find((call) => names(call) && carries(call)) ?? network.find(carries))
    : undefined;
  if (flow) {
    return {
      severity: 'critical',
      message: `Sends ${originLabel(argOrigins(flow))} to ${kind} (${endpoint.host}) through ${flow.written}() at ${file.path}:${flow.line}.`,
      location: at(file, flow),
      evidence: excerpt(endpoint.url),
    };
  }
  return {
    severity: collects ? 'high' : 'medium',
    message: `Names ${kind}: ${excerpt(endpoint.url, 100)}${collects ? ', in a package that gathers credentials, the environment or host details' : ''}.`,
    location: at(file, text),
    evidence: excerpt(endpoint.url),
    confidence: collects ? 'medium' : 'low',
  };
}

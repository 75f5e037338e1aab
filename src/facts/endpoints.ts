/** Network destinations named in strings, and the ones typical of exfiltration. */

export interface Endpoint {
  url: string;
  host: string;
  /** Why it is typical of exfiltration, when it is. */
  kind?: 'webhook' | 'paste' | 'tunnel' | 'oast' | 'raw-ip' | 'chat-bot';
}

const URL_PATTERN = /\b(?:https?|wss?):\/\/[^\s'"`<>\\]{1,500}/gi;

const EXFIL_HOSTS: Array<{ pattern: RegExp; kind: NonNullable<Endpoint['kind']> }> = [
  { pattern: /(?:^|\.)webhook\.site$/, kind: 'webhook' },
  {
    pattern:
      /(?:^|\.)(?:pipedream\.net|requestbin\.(?:com|net)|beeceptor\.com|requestcatcher\.com|hookbin\.com)$/,
    kind: 'webhook',
  },
  {
    pattern:
      /(?:^|\.)(?:pastebin\.com|paste\.ee|hastebin\.com|ghostbin\.\w+|rentry\.co|transfer\.sh|file\.io|0x0\.st)$/,
    kind: 'paste',
  },
  {
    pattern:
      /(?:^|\.)(?:ngrok\.io|ngrok-free\.app|ngrok\.app|trycloudflare\.com|loca\.lt|localtunnel\.me|serveo\.net|localhost\.run)$/,
    kind: 'tunnel',
  },
  {
    pattern:
      /(?:^|\.)(?:interact\.sh|oast\.(?:fun|pro|live|site|online|me)|burpcollaborator\.net|oastify\.com|dnslog\.cn|ceye\.io|canarytokens\.com)$/,
    kind: 'oast',
  },
  { pattern: /^api\.telegram\.org$/, kind: 'chat-bot' },
];

const WEBHOOK_PATHS: Array<{ host: RegExp; path: RegExp; kind: NonNullable<Endpoint['kind']> }> = [
  { host: /(?:^|\.)discord(?:app)?\.com$/, path: /\/api\/webhooks\//, kind: 'webhook' },
  { host: /^hooks\.slack\.com$/, path: /\/services\//, kind: 'webhook' },
];

/** Hosts that only make sense as an out-of-band channel, checked on bare host names too (DNS exfiltration). */
export function exfilKindOfHost(host: string): Endpoint['kind'] | undefined {
  const lower = host.toLowerCase();
  return EXFIL_HOSTS.find((entry) => entry.pattern.test(lower))?.kind;
}

export function endpointsIn(text: string): Endpoint[] {
  if (text.length > 20_000) return [];
  const found: Endpoint[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    let url: URL;
    try {
      url = new URL(match[0]);
    } catch {
      continue;
    }
    const host = url.hostname.toLowerCase();
    let kind = exfilKindOfHost(host);
    kind ??= WEBHOOK_PATHS.find((entry) => entry.host.test(host) && entry.path.test(url.pathname))?.kind;
    if (!kind && isPublicIpv4(host)) kind = 'raw-ip';
    found.push({ url: match[0], host, ...(kind ? { kind } : {}) });
  }
  return found;
}

/** An IPv4 literal outside loopback, private, link-local and unspecified ranges. */
export function isPublicIpv4(host: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  if ([a, b, Number(match[3]), Number(match[4])].some((part) => part > 255)) return false;
  if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  return true;
}

/** Email addresses in a string. Bounded: local part and domain have length caps. */
export function emailsIn(text: string): string[] {
  if (text.length > 4_096) return [];
  return [...text.matchAll(/\b[\w.+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,5}\b/gi)].map(
    (match) => match[0],
  );
}

/** Registrable-ish domain: the last two labels (good enough to compare a recipient with a package's own site). */
export function baseDomain(host: string): string {
  return host.toLowerCase().split('.').slice(-2).join('.');
}

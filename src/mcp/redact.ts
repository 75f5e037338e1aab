import { redactSecrets } from '../errors.js';

const SECRET_NAME =
  /(?:key|token|secret|passw(?:or)?d|auth|authorization|credentials?|cookie|session|bearer|pat)$/i;
const TOKEN_SHAPE =
  /^(?:sk-|sk_|pk_|rk_|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-|AKIA|npm_|eyJ)[-\w.=]{8,}|^Bearer\s+\S+/i;
const REDACTED = '<redacted>';

const isSecretName = (name: string) => SECRET_NAME.test(name.replace(/^-+/, ''));

/**
 * Pure: a server's arguments with secrets replaced. Env values are never read at all; arguments can still carry
 * keys (`--api-key sk-…`, `--token=…`, `-e GITHUB_TOKEN=…`, `--header "Authorization: Bearer …"`, URLs with
 * credentials or token parameters).
 */
export function redactArgs(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = String(args[index]);
    const previous = index > 0 ? String(args[index - 1]) : '';
    const header = /^([\w-]+)\s*:\s*\S/.exec(arg);
    const flagValue = /^(--?[\w-]+)=(.*)$/s.exec(arg);
    const assignment = /^([A-Za-z_][\w]*)=(.+)$/s.exec(arg);
    if (header?.[1] && isSecretName(header[1])) result.push(`${header[1]}: ${REDACTED}`);
    else if (flagValue?.[1] && isSecretName(flagValue[1])) result.push(`${flagValue[1]}=${REDACTED}`);
    else if (assignment?.[1]) result.push(`${assignment[1]}=${REDACTED}`);
    else if (/^--?[\w-]+$/.test(previous) && isSecretName(previous) && !arg.startsWith('-'))
      result.push(REDACTED);
    else if (TOKEN_SHAPE.test(arg)) result.push(REDACTED);
    else result.push(redactUrl(arg));
  }
  return result;
}

/** Free text that may embed a command line (a `command` written with its arguments, a spec in a message). */
export function redactText(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  // "Authorization: Bearer x" is split into words: rejoin a header name with its value first.
  const joined: string[] = [];
  for (const word of words) {
    const last = joined.at(-1);
    if (last && /^[\w-]+:$/.test(last) && isSecretName(last.slice(0, -1)))
      joined[joined.length - 1] = `${last} ${word}`;
    else joined.push(word);
  }
  return redactArgs(joined).join(' ');
}

/** Credentials in a URL's user part or in token-like query parameters. */
export function redactUrl(text: string): string {
  return redactSecrets(text).replace(
    /([?&](?:[\w-]*(?:key|token|secret|auth|password|sig|signature)[\w-]*)=)[^&#\s]+/gi,
    `$1${REDACTED}`,
  );
}

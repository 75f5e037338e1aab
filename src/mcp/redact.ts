import { redactSecrets } from '../errors.js';

const SECRET_NAME = /(?:key|token|secret|passw(?:or)?d|auth|credential|cookie|session|bearer|pat)$/i;
const TOKEN_SHAPE =
  /^(?:sk-|sk_|pk_|rk_|ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-|AKIA|npm_|eyJ)[-\w.=]{8,}|^Bearer\s+\S+/i;
const REDACTED = '<redacted>';

/**
 * Pure: a server's arguments with secrets replaced. Env values are never read at all; arguments can still carry
 * keys (`--api-key sk-…`, `--token=…`, `-e GITHUB_TOKEN=…`, URLs with credentials or token parameters).
 */
export function redactArgs(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = String(args[index]);
    const previous = index > 0 ? String(args[index - 1]) : '';
    const flagValue = /^(--?[\w-]+)=(.*)$/s.exec(arg);
    const assignment = /^([A-Za-z_][\w]*)=(.+)$/s.exec(arg);
    if (flagValue?.[1] && SECRET_NAME.test(flagValue[1].replace(/^-+/, '')))
      result.push(`${flagValue[1]}=${REDACTED}`);
    else if (assignment?.[1]) result.push(`${assignment[1]}=${REDACTED}`);
    else if (
      /^--?[\w-]+$/.test(previous) &&
      SECRET_NAME.test(previous.replace(/^-+/, '')) &&
      !arg.startsWith('-')
    )
      result.push(REDACTED);
    else if (TOKEN_SHAPE.test(arg)) result.push(REDACTED);
    else result.push(redactUrl(arg));
  }
  return result;
}

/** Credentials in a URL's user part or in token-like query parameters. */
export function redactUrl(text: string): string {
  return redactSecrets(text).replace(
    /([?&](?:[\w-]*(?:key|token|secret|auth|password|sig|signature)[\w-]*)=)[^&#\s]+/gi,
    `$1${REDACTED}`,
  );
}

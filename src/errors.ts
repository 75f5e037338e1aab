/** Exit codes, documented in the README's table. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  incomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type OcellusErrorCode =
  | 'EUSAGE'
  | 'EBADSPEC'
  | 'ENOTFOUND_PACKAGE'
  | 'ENOVERSION'
  | 'EREGISTRY'
  | 'EINTEGRITY'
  | 'ERESOLVE'
  | 'ECONFIG';

const EXIT_CODE_BY_ERROR: Record<OcellusErrorCode, ExitCode> = {
  EUSAGE: ExitCode.usage,
  EBADSPEC: ExitCode.usage,
  ENOTFOUND_PACKAGE: ExitCode.usage,
  ENOVERSION: ExitCode.usage,
  ECONFIG: ExitCode.usage,
  EREGISTRY: ExitCode.incomplete,
  EINTEGRITY: ExitCode.incomplete,
  ERESOLVE: ExitCode.incomplete,
};

/** An error the user can act on: a code, a message and the exit code it maps to. */
export class OcellusError extends Error {
  readonly code: OcellusErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: OcellusErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OcellusError';
    this.code = code;
    this.exitCode = EXIT_CODE_BY_ERROR[code];
    this.hint = options.hint;
  }
}

/** Errors thrown by npm's libraries carry a string `code` (E404, ETARGET, EINTEGRITY, ECONNREFUSED...). */
export function npmErrorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}

/**
 * Registry errors echo URLs, and URLs can carry credentials (`https://user:token@host/`, `?token=`), and
 * npm config keys can carry tokens (`//host/:_authToken=...`). Nothing the scanner prints may contain them.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]{1,20}:\/\/)[^\s/@:]{1,256}(?::[^\s/@]{0,256})?@/gi, '$1***@')
    .replace(
      /(_auth(?:Token)?|_password|token|secret|key|password)(["']?\s*[=:]\s*["']?)[^\s"'&]{4,}/gi,
      '$1$2***',
    )
    .replace(/\b(npm_[A-Za-z0-9]{36}|gh[pousr]_[A-Za-z0-9]{36,})\b/g, '***');
}

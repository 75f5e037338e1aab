import ssri from 'ssri';

/** Digest lengths in bytes: a hash of another length is not a hash of that algorithm. */
const DIGEST_BYTES: Record<string, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
/** Strongest first. sha1 verifies a download (npm accepts it in old lockfiles) but does not key a cache entry. */
const STRONG = ['sha512', 'sha384', 'sha256'] as const;

type Digests = Map<string, string[]>;

/** The well-formed digests of an SRI string, by algorithm: anything else in it is ignored. */
function digests(value: string): Digests {
  const parsed = ssri.parse(value) as unknown as Record<string, Array<{ digest: string }>> | null;
  const result: Digests = new Map();
  for (const [algorithm, bytes] of Object.entries(DIGEST_BYTES)) {
    const valid = (parsed?.[algorithm] ?? [])
      .map((hash) => hash.digest)
      .filter((digest) => Buffer.from(digest, 'base64').length === bytes);
    if (valid.length > 0) result.set(algorithm, valid);
  }
  return result;
}

/** Whether the string holds at least one hash npm can verify a tarball against (pacote ignores anything else). */
export function isVerifiable(value: string): boolean {
  return digests(value).size > 0;
}

/**
 * The strongest sha256+ digest in canonical `alg-base64` form, or undefined: what a cache may be keyed by, since
 * any two tarballs with the same key get the same analysis.
 */
export function strongIntegrity(value: string): string | undefined {
  const found = digests(value);
  for (const algorithm of STRONG) {
    const digest = found.get(algorithm)?.[0];
    if (digest) return `${algorithm}-${digest}`;
  }
  return undefined;
}

/**
 * Whether two SRI strings can be compared (they share a verifiable algorithm) and, if so, whether they disagree.
 */
export function compareIntegrity(a: string, b: string): 'same' | 'different' | 'incomparable' {
  const left = digests(a);
  const right = digests(b);
  let shared = false;
  for (const [algorithm, values] of left) {
    const others = right.get(algorithm);
    if (!others) continue;
    shared = true;
    if (!values.some((value) => others.includes(value))) return 'different';
  }
  return shared ? 'same' : 'incomparable';
}

import { createHash } from 'node:crypto';
import npa from 'npm-package-arg';
import registryFetch, { pickRegistry } from 'npm-registry-fetch';
import pLimit from 'p-limit';
import { briefRetry } from '../fetch/tarball.js';
import type { NpmOptions } from '../npm-config.js';

/** What pacote sends with a document request, so registries and proxies see the same client either way. */
function headersOf(npmOptions: NpmOptions): Record<string, string> {
  const extra = npmOptions.headers && typeof npmOptions.headers === 'object' ? npmOptions.headers : {};
  return {
    'user-agent':
      typeof npmOptions.userAgent === 'string' ? npmOptions.userAgent : `ocellus node/${process.version}`,
    ...(extra as Record<string, string>),
    'pacote-req-type': 'packument',
  };
}

/** What a registry sent to identify a document's bytes (a mirror may send neither). */
export interface DocumentValidators {
  etag?: string;
  lastModified?: string;
}

function validatorsOf(headers: { get(name: string): string | null }): DocumentValidators | undefined {
  const etag = headers.get('etag');
  const lastModified = headers.get('last-modified');
  return etag || lastModified
    ? { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) }
    : undefined;
}

function conditionalHeaders(validators: DocumentValidators | undefined): Record<string, string> {
  return {
    ...(validators?.etag ? { 'if-none-match': validators.etag } : {}),
    ...(validators?.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
  };
}

/**
 * The most a registry document may weigh. The biggest real ones are tens of megabytes (next: 21 MB, with every
 * version's manifest); a registry or proxy that sends more is not describing a package, and the package is then
 * not analysed.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/**
 * The most all documents being read at once may weigh together (`maxsockets` of them, up to 64): sixteen real
 * documents of the biggest kind stay well under it, while a registry sending the most each document may weigh
 * would otherwise hold 4 GB and more in memory before anything is parsed.
 */
export const MAX_DOCUMENTS_IN_FLIGHT_BYTES = 512 * 1024 * 1024;

/** Bytes of document bodies being read, shared by every download of one store. */
interface InFlight {
  used: number;
  readonly max: number;
}

/**
 * A response body read whole, or an error as soon as it passes `max` bytes. The request is aborted then, which
 * closes the connection: destroying only the body stream left the socket feeding a closed gunzip stream, whose
 * next write threw outside any caller and ended the process.
 */
async function boundedBody(
  body: AsyncIterable<Buffer>,
  max: number,
  inFlight: InFlight,
  abort: () => void,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      inFlight.used += chunk.length;
      if (size > max) {
        abort();
        throw new Error(`the document is over ${max} bytes, more than any registry document should be`);
      }
      if (inFlight.used > inFlight.max) {
        abort();
        throw new Error(
          `the registry documents being read at once are over ${inFlight.max} bytes together, more than real ones weigh`,
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } finally {
    // Handed on to be parsed (or dropped): no longer counted as being read.
    inFlight.used -= size;
  }
}

/** Identifies a document's bytes. Only equality matters; SHA-256 because it is the fastest here (SHA-NI). */
const digestOf = (body: Buffer) => `sha256-${createHash('sha256').update(body).digest('base64')}`;

/** A document's bytes as the registry sent them, or `unchanged` when it confirmed the copy the request named. */
export type Downloaded = 'unchanged' | { body: Buffer; digest?: string; validators?: DocumentValidators };

/**
 * Registry documents read whole, bounded in size, one scan's requests sharing one limit and one byte bound.
 * Unless `direct` is off (npm's `offline`), npm's cache is neither read nor written: the caller stores its own
 * reduction of each document, and a registry without validators (some mirrors) had every full document
 * rewritten to npm's cache on every run (a 1,359-package audit: 1.3 s of its 6.5 s warm).
 */
export class DocumentClient {
  readonly #npmOptions: NpmOptions;
  /**
   * Document requests in flight: as many as npm opens sockets. Asked all at once, npm's cache read every stale
   * entry while the requests queued for a socket (a 1,359-package audit: 470 → 320 MB peak, same time).
   */
  readonly #requests: ReturnType<typeof pLimit>;
  readonly #maxDocumentBytes: number;
  readonly #inFlight: InFlight;
  readonly #digests: boolean;

  /** `digests`: compute each body's digest (only a stored reduction is ever compared with one). */
  constructor(
    npmOptions: NpmOptions,
    options: { maxDocumentBytes?: number; maxInFlightBytes?: number; digests?: boolean } = {},
  ) {
    this.#npmOptions = npmOptions;
    this.#maxDocumentBytes = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
    this.#inFlight = { used: 0, max: options.maxInFlightBytes ?? MAX_DOCUMENTS_IN_FLIGHT_BYTES };
    this.#digests = options.digests ?? false;
    const sockets = Number(npmOptions.maxSockets);
    this.#requests = pLimit(Number.isInteger(sockets) && sockets > 0 ? Math.min(sockets, 64) : 16);
  }

  /** Whether documents come from the registry itself (else from npm's cache: npm's `offline`). */
  get direct(): boolean {
    return this.#npmOptions.offline !== true;
  }

  /** `ask`: the validators of the copy the caller holds; a 304 then means that copy is current. */
  download(name: string, ask: DocumentValidators | undefined): Promise<Downloaded> {
    // Only the download holds a request place: parsing never delays the next request.
    return this.#requests(() => this.#download(name, ask));
  }

  async #download(name: string, ask: DocumentValidators | undefined): Promise<Downloaded> {
    const direct = this.direct;
    const spec = npa(name);
    const registry = String(pickRegistry(name, this.#npmOptions)).replace(/\/+$/, '');
    const request = new AbortController();
    const conditions = direct ? conditionalHeaders(ask) : {};
    const response = await registryFetch(`${registry}/${spec.escapedName}`, {
      ...this.#npmOptions,
      signal: request.signal,
      ...(direct ? { cache: undefined } : {}),
      headers: { ...headersOf(this.#npmOptions), accept: 'application/json', ...conditions },
      spec,
      retry: briefRetry(this.#npmOptions.retry),
    });
    if (response.status === 304) {
      // A 304 to a request that named no copy would be a body-less answer to take as a document: refused.
      if (Object.keys(conditions).length === 0)
        throw new Error(`the registry answered 304 for ${name} without being asked to`);
      return 'unchanged';
    }
    const body = await boundedBody(
      response.body as unknown as AsyncIterable<Buffer>,
      this.#maxDocumentBytes,
      this.#inFlight,
      () => request.abort(),
    );
    const validators = validatorsOf(response.headers);
    return {
      body,
      ...(this.#digests ? { digest: digestOf(body) } : {}),
      ...(validators ? { validators } : {}),
    };
  }
}

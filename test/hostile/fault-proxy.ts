import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** A fault injected for requests whose path matches: an error status, a delay, a cut connection, a lie. */
export interface Fault {
  path: RegExp;
  /** How many matching requests get the fault; afterwards they pass through (a transient fault). */
  times?: number;
  /** How many matching requests pass through untouched before the fault applies (a registry that breaks later). */
  skip?: number;
  status?: number;
  delayMs?: number;
  /** Send the headers and this many bytes of the body, then cut the connection. */
  dropAfterBytes?: number;
  /** Rewrite a JSON body (a packument that lies). */
  rewrite?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** Headers added to the response (a server that imitates a client-side cache's own headers). */
  headers?: Record<string, string>;
  /** Response headers removed (a mirror that sends no validators); lower case. */
  dropHeaders?: string[];
  /** Send a rewritten body gzip-compressed, a piece at a time (as a real server streams a big document). */
  gzip?: boolean;
}

export interface FaultProxy {
  url: string;
  /** Requests seen, by path: tests check what was (re)tried. */
  seen: string[];
  /** The same requests with the time each arrived (performance.now()): tests check what was asked at once. */
  arrivals: Array<{ path: string; at: number }>;
  /** The status each request was answered with, in the order the answers left. */
  answers: Array<{ path: string; status: number }>;
  stop(): Promise<void>;
}

/**
 * A small HTTP proxy in front of the real test registry that injects faults, so registry failures are tested
 * against real HTTP clients (npm-registry-fetch, pacote, Arborist), not a mocked one.
 */
export async function startFaultProxy(target: string, faults: Fault[]): Promise<FaultProxy> {
  const upstream = new URL(target);
  const used = new Map<Fault, number>();
  const passed = new Map<Fault, number>();
  const seen: string[] = [];
  const arrivals: FaultProxy['arrivals'] = [];
  const answers: FaultProxy['answers'] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push(path);
    arrivals.push({ path, at: performance.now() });
    res.on('finish', () => answers.push({ path, status: res.statusCode }));
    const fault = faults.find((candidate) => {
      if (!candidate.path.test(path)) return false;
      const skipped = passed.get(candidate) ?? 0;
      if (skipped < (candidate.skip ?? 0)) {
        passed.set(candidate, skipped + 1);
        return false;
      }
      return (used.get(candidate) ?? 0) < (candidate.times ?? Number.POSITIVE_INFINITY);
    });
    if (fault) used.set(fault, (used.get(fault) ?? 0) + 1);
    const go = () => {
      if (fault?.status) {
        res.writeHead(fault.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'injected fault' }));
        return;
      }
      forward(req, res, upstream, fault);
    };
    if (fault?.delayMs) setTimeout(go, fault.delayMs);
    else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    arrivals,
    answers,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL, fault: Fault | undefined): void {
  // The Host header is kept, so the registry writes tarball URLs that point back through the proxy.
  const headers = { ...req.headers, 'accept-encoding': 'identity' };
  // A rewritten body is new bytes: the registry must send it whole, not confirm the client's copy.
  if (fault?.rewrite) {
    delete headers['if-none-match'];
    delete headers['if-modified-since'];
  }
  const outgoing = request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
    (response) => {
      if (fault?.rewrite && (response.statusCode ?? 500) < 300) {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = JSON.stringify(fault.rewrite?.(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          const body = fault.gzip ? gzipSync(text) : Buffer.from(text);
          const { 'content-length': _length, etag: _etag, ...rest } = response.headers;
          const passed: Record<string, string | string[] | number | undefined> = {
            ...rest,
            ...fault.headers,
            'content-length': body.length,
            ...(fault.gzip ? { 'content-encoding': 'gzip' } : {}),
          };
          for (const name of fault.dropHeaders ?? []) delete passed[name];
          res.writeHead(response.statusCode ?? 200, passed);
          if (!fault.gzip) {
            res.end(body);
            return;
          }
          // 16 KB at a time, a millisecond apart, so the client reads a stream, not one chunk.
          let offset = 0;
          const next = () => {
            if (res.destroyed) return;
            if (offset >= body.length) {
              res.end();
              return;
            }
            res.write(body.subarray(offset, offset + 16 * 1024));
            offset += 16 * 1024;
            setTimeout(next, 1);
          };
          next();
        });
        return;
      }
      const passed = { ...response.headers, ...fault?.headers };
      for (const name of fault?.dropHeaders ?? []) delete passed[name];
      res.writeHead(response.statusCode ?? 502, passed);
      if (fault?.dropAfterBytes === undefined) {
        response.pipe(res);
        return;
      }
      let sent = 0;
      response.on('data', (chunk: Buffer) => {
        const room = (fault.dropAfterBytes ?? 0) - sent;
        if (room > 0) res.write(chunk.subarray(0, room));
        sent += chunk.length;
        if (sent >= (fault.dropAfterBytes ?? 0)) {
          response.destroy();
          res.socket?.destroy();
        }
      });
    },
  );
  outgoing.on('error', () => res.socket?.destroy());
  req.pipe(outgoing);
}

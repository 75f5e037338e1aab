import { posix } from 'node:path';
import { promisify } from 'node:util';
import { createGunzip, gunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { PackageContents, PackageFile, SkippedEntry } from '../model.js';
import type { ReadLimits } from './limits.js';

const gunzipAsync = promisify(gunzip);

export class UnpackError extends Error {
  readonly code: 'ETOOBIG' | 'ETOOMANY' | 'EBADTAR';
  constructor(code: UnpackError['code'], message: string) {
    super(message);
    this.name = 'UnpackError';
    this.code = code;
  }
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const LINK_TYPES = new Set(['SymbolicLink', 'Link']);

export type UnpackOutcome =
  | { ok: true; contents: PackageContents }
  | { ok: false; code: string; reason: string };

/** A downloaded tarball unpacked in memory, or why it cannot be. */
export async function unpackDownloaded(
  tarball: Uint8Array,
  limits: ReadLimits,
  beside?: PackageContents,
): Promise<UnpackOutcome> {
  try {
    return { ok: true, contents: await unpackTarball(tarball, limits, beside) };
  } catch (error) {
    if (error instanceof UnpackError) return { ok: false, code: error.code, reason: error.message };
    throw error;
  }
}

/**
 * Unpacks a package tarball into memory. Nothing is written to disk: entries become a map of
 * path → bytes, with the leading `package/` folder removed. Limits turn into skipped entries (a file too
 * large) or an UnpackError (the package as a whole is too large or has too many entries).
 *
 * `beside`: contents already in memory (the next release, for the version diff). A file with the same path
 * and the same bytes there is given that copy's bytes, so two adjacent releases hold their shared files once
 * (most files of a patch release: 131 MB of next@15.5.28's 141 MB are in 15.5.29 unchanged).
 */
export async function unpackTarball(
  tarball: Uint8Array,
  limits: ReadLimits,
  beside?: PackageContents,
): Promise<PackageContents> {
  if (!isGzip(tarball) && tarball.byteLength > limits.maxPackageBytes) {
    throw new UnpackError('ETOOBIG', `unpacks to more than ${limits.maxPackageBytes} bytes`);
  }
  const files = new Map<string, PackageFile>();
  const skipped: SkippedEntry[] = [];
  let entries = 0;
  let unpackedSize = 0;
  let failure: Error | undefined;

  const parser = new Parser({ strict: true });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  parser.on('warn', (code: string, message: string | Error) => {
    // tar reports damaged headers and truncation as warnings; for a scanner they mean "could not read it".
    failure ??= new UnpackError('EBADTAR', `damaged tarball (${code}): ${String(message)}`);
  });
  parser.on('entry', (entry: ReadEntry) => {
    entries++;
    if (entries > limits.maxEntries) {
      failure ??= new UnpackError('ETOOMANY', `more than ${limits.maxEntries} entries`);
      entry.resume();
      return;
    }
    const path = packagePath(entry.path);
    const size = entry.size ?? 0;
    if (entry.type === 'Directory') {
      entry.resume();
      return;
    }
    if (path === undefined) {
      skipped.push({ path: entry.path, reason: 'unsafe-path', size });
      entry.resume();
      return;
    }
    if (LINK_TYPES.has(entry.type)) {
      skipped.push({ path, reason: 'link', size: 0 });
      entry.resume();
      return;
    }
    if (!FILE_TYPES.has(entry.type)) {
      skipped.push({ path, reason: 'not-a-file', size });
      entry.resume();
      return;
    }
    unpackedSize += size;
    if (size > limits.maxFileBytes) {
      if (files.has(path)) skipped.push({ path, reason: 'duplicate', size });
      files.delete(path);
      skipped.push({ path, reason: 'file-too-large', size });
      entry.resume();
      return;
    }
    const chunks: Buffer[] = [];
    entry.on('data', (chunk: Buffer) => chunks.push(chunk));
    entry.on('end', () => {
      const read = Buffer.concat(chunks);
      const twin = beside?.files.get(path)?.bytes;
      const bytes =
        twin && Buffer.from(twin.buffer, twin.byteOffset, twin.byteLength).equals(read) ? twin : read;
      // npm pack can list one file twice (`./dist/index.js` and `dist/index.js`); only differing copies hide
      // anything. The last copy is the one tar extraction leaves on disk.
      const earlier = files.get(path)?.bytes;
      if (earlier && !Buffer.from(earlier).equals(bytes)) skipped.push({ path, reason: 'duplicate', size });
      files.set(path, { path, bytes, size, mode: entry.mode ?? 0o644 });
    });
  });

  // The archive is unzipped into the parser piece by piece: the whole tar is never held, so a file over the
  // per-file limit (a native binary of a hundred megabytes) is skipped without ever being in memory.
  // Small archives (nearly all) are unzipped in one piece, which is faster.
  const fed = !isGzip(tarball)
    ? Promise.resolve(parser.end(Buffer.from(tarball.buffer, tarball.byteOffset, tarball.byteLength)))
    : tarball.byteLength <= STREAM_ABOVE_BYTES
      ? gunzipBounded(tarball, limits.maxPackageBytes).then((tar) => {
          parser.end(tar);
        })
      : gunzipInto(tarball, parser, limits.maxPackageBytes);
  try {
    await Promise.all([fed, done]);
  } catch (error) {
    if (error instanceof UnpackError) throw error;
    throw new UnpackError('EBADTAR', `unreadable tarball: ${(error as Error).message}`);
  }
  if (failure) throw failure;
  return { files, skipped, unpackedSize };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Archives bigger than this (compressed) are unzipped piece by piece; smaller ones are never big unpacked. */
const STREAM_ABOVE_BYTES = 2 * 1024 * 1024;

async function gunzipBounded(bytes: Uint8Array, maxOutputLength: number): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnpackError('ETOOBIG', `unpacks to more than ${maxOutputLength} bytes`);
    }
    throw new UnpackError('EBADTAR', `not a valid gzip stream: ${(error as Error).message}`);
  }
}

/** Unzips into the tar parser, refusing output beyond `maxOutputLength` (a decompression bomb stops there). */
function gunzipInto(bytes: Uint8Array, parser: Parser, maxOutputLength: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Large output chunks: the tar reader pays per chunk (16 KB chunks made unpacking 2.3x slower than one piece).
    const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
    let produced = 0;
    gunzip.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > maxOutputLength) {
        // Rejected first, so this, not the parser's abort, is the reason given.
        reject(new UnpackError('ETOOBIG', `unpacks to more than ${maxOutputLength} bytes`));
        gunzip.destroy();
        parser.abort(new Error('stopped'));
        return;
      }
      parser.write(chunk);
    });
    gunzip.on('end', () => {
      parser.end();
      resolve();
    });
    gunzip.on('error', (error) => {
      reject(new UnpackError('EBADTAR', `not a valid gzip stream: ${error.message}`));
      parser.abort(new Error('stopped'));
    });
    gunzip.end(bytes);
  });
}

/**
 * The path of an entry inside the package: the first folder (`package/` in npm tarballs, anything in
 * hand-made ones) is dropped, as npm does. Returns undefined for paths that would escape the package.
 */
export function packagePath(entryPath: string): string | undefined {
  const slashed = entryPath.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-z]:/i.test(slashed)) return undefined;
  const parts = slashed.split('/');
  if (parts.includes('..')) return undefined;
  const inside = posix.normalize(parts.slice(1).join('/'));
  if (inside === '.' || inside === '' || inside.startsWith('../')) return undefined;
  return inside;
}

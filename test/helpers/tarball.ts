import { gzipSync } from 'node:zlib';
import { Header } from 'tar';

export interface TarEntry {
  path: string;
  body?: string | Buffer;
  type?: 'File' | 'SymbolicLink' | 'Link' | 'Directory';
  linkpath?: string;
  mode?: number;
}

/** Builds a tarball byte by byte, so tests can make entries no honest packer would (../ paths, links, duplicates). */
export function makeTarball(entries: TarEntry[], options: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : (entry.body ?? Buffer.alloc(0));
    const type = entry.type ?? 'File';
    const header = new Header({
      path: entry.path,
      mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      size: type === 'File' ? body.length : 0,
      mtime: new Date(0),
      type,
      linkpath: entry.linkpath ?? '',
    });
    header.encode();
    if (!header.block) throw new Error('header did not encode');
    blocks.push(Buffer.from(header.block));
    if (type === 'File' && body.length > 0) {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return options.gzip === false ? tar : gzipSync(tar);
}

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type ReadLimits } from '../../src/fetch/limits.js';
import { packagePath, UnpackError, unpackTarball } from '../../src/fetch/unpack.js';
import { makeTarball } from '../helpers/tarball.js';

const limits: ReadLimits = {
  ...DEFAULT_LIMITS,
  maxFileBytes: 1024,
  maxPackageBytes: 64 * 1024,
  maxEntries: 50,
};
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

describe('unpackTarball', () => {
  it('reads files into memory without the leading package/ folder', async () => {
    const contents = await unpackTarball(
      makeTarball([
        { path: 'package/', type: 'Directory' },
        { path: 'package/package.json', body: '{"name":"a"}' },
        { path: 'package/lib/index.js', body: 'module.exports = 1', mode: 0o755 },
      ]),
      limits,
    );
    expect([...contents.files.keys()]).toEqual(['package.json', 'lib/index.js']);
    expect(text(contents.files.get('lib/index.js')?.bytes)).toBe('module.exports = 1');
    expect(contents.files.get('lib/index.js')?.mode).toBe(0o755);
    expect(contents.skipped).toEqual([]);
  });

  it('holds a file the release beside it ships unchanged once, and a changed or moved one as its own bytes', async () => {
    // Two releases of one package: a file kept as is, one moved, one changed, and package.json.
    const release = (version: string, movedTo: string, index: string) =>
      makeTarball([
        { path: 'package/package.json', body: `{"name":"a","version":"${version}"}` },
        { path: 'package/lib/shared.js', body: 'module.exports = 1' },
        { path: `package/lib/${movedTo}`, body: 'same bytes, other path' },
        { path: 'package/lib/index.js', body: index },
      ]);
    const next = await unpackTarball(
      release('1.0.1', 'moved.js', 'require("./shared"); fetch("https://new.example")'),
      limits,
    );
    const previous = await unpackTarball(
      release('1.0.0', 'was-moved.js', 'require("./shared")'),
      limits,
      next,
    );
    expect(previous.files.get('lib/shared.js')?.bytes).toBe(next.files.get('lib/shared.js')?.bytes);
    expect(previous.files.get('lib/index.js')?.bytes).not.toBe(next.files.get('lib/index.js')?.bytes);
    expect(previous.files.get('lib/was-moved.js')?.bytes).not.toBe(next.files.get('lib/moved.js')?.bytes);
    // What each release reads is its own text, shared or not.
    expect(text(previous.files.get('lib/index.js')?.bytes)).toBe('require("./shared")');
    expect(text(previous.files.get('package.json')?.bytes)).toContain('1.0.0');
    expect(text(previous.files.get('lib/shared.js')?.bytes)).toBe('module.exports = 1');
  });

  it('accepts an uncompressed tar and any top folder name', async () => {
    const contents = await unpackTarball(
      makeTarball([{ path: 'node-x/index.js', body: 'x' }], { gzip: false }),
      limits,
    );
    expect([...contents.files.keys()]).toEqual(['index.js']);
  });

  it('lists a file over the per-file limit instead of keeping it', async () => {
    const contents = await unpackTarball(
      makeTarball([
        { path: 'package/big.js', body: 'a'.repeat(4096) },
        { path: 'package/small.js', body: 'b' },
      ]),
      limits,
    );
    expect(contents.files.has('big.js')).toBe(false);
    expect(contents.skipped).toEqual([{ path: 'big.js', reason: 'file-too-large', size: 4096 }]);
  });

  it('never follows links and refuses paths that escape the package', async () => {
    const contents = await unpackTarball(
      makeTarball([
        { path: 'package/ok.js', body: 'ok' },
        { path: 'package/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
        { path: 'package/hard', type: 'Link', linkpath: 'package/ok.js' },
        { path: 'package/../../evil.js', body: 'x' },
        { path: '/abs/evil.js', body: 'x' },
      ]),
      limits,
    );
    expect([...contents.files.keys()]).toEqual(['ok.js']);
    expect(contents.skipped.map((entry) => entry.reason).sort()).toEqual([
      'link',
      'link',
      'unsafe-path',
      'unsafe-path',
    ]);
  });

  it('keeps the last copy of a duplicated entry (what extraction leaves) and reports it', async () => {
    const contents = await unpackTarball(
      makeTarball([
        { path: 'package/index.js', body: 'harmless()' },
        { path: 'package/index.js', body: 'payload()' },
      ]),
      limits,
    );
    expect(text(contents.files.get('index.js')?.bytes)).toBe('payload()');
    expect(contents.skipped).toMatchObject([{ path: 'index.js', reason: 'duplicate' }]);
  });

  it('stops a gzip bomb at the unpacked-size limit', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    await expect(unpackTarball(bomb, limits)).rejects.toMatchObject({ code: 'ETOOBIG' });
  });

  it('stops at the entry limit', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ path: `package/f${i}.js`, body: 'x' }));
    await expect(unpackTarball(makeTarball(many), limits)).rejects.toMatchObject({ code: 'ETOOMANY' });
  });

  it('rejects a truncated or garbled archive instead of passing it', async () => {
    const whole = makeTarball([{ path: 'package/index.js', body: 'x'.repeat(900) }], { gzip: false });
    await expect(unpackTarball(gzipSync(whole.subarray(0, 700)), limits)).rejects.toBeInstanceOf(UnpackError);
    await expect(unpackTarball(Buffer.from([0x1f, 0x8b, 1, 2, 3]), limits)).rejects.toMatchObject({
      code: 'EBADTAR',
    });
  });
});

describe('packagePath', () => {
  it.each([
    ['package/index.js', 'index.js'],
    ['package/a/./b.js', 'a/b.js'],
    ['package\\win\\x.js', 'win/x.js'],
    ['package/../x', undefined],
    ['/etc/passwd', undefined],
    ['C:/x/y', undefined],
    ['package/', undefined],
  ])('%s → %s', (entry, expected) => {
    expect(packagePath(entry)).toBe(expected);
  });
});

describe('duplicate entries', () => {
  it('an identical second copy (npm pack listing ./dist/x.js and dist/x.js) is not reported', async () => {
    const contents = await unpackTarball(
      makeTarball([
        { path: 'package/./dist/index.js', body: 'same()' },
        { path: 'package/dist/index.js', body: 'same()' },
      ]),
      limits,
    );
    expect(contents.skipped).toEqual([]);
    expect([...contents.files.keys()]).toEqual(['dist/index.js']);
  });
});

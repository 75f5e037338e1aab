import type { BinaryKind } from './model.js';

/** Executable formats by magic number; a `.js` name does not make an ELF file JavaScript. */
export function binaryKind(bytes: Uint8Array): BinaryKind | undefined {
  if (bytes.length < 4) return undefined;
  const [a, b, c, d] = bytes;
  if (a === 0x7f && b === 0x45 && c === 0x4c && d === 0x46) return 'elf';
  if (a === 0x4d && b === 0x5a) return 'pe';
  if ((a === 0xcf || a === 0xce) && b === 0xfa && c === 0xed && d === 0xfe) return 'mach-o';
  if (a === 0xfe && b === 0xed && c === 0xfa && (d === 0xce || d === 0xcf)) return 'mach-o';
  if (a === 0xca && b === 0xfe && c === 0xba && d === 0xbe && bytes.length > 8 && (bytes[7] ?? 0) < 20)
    return 'mach-o';
  if (a === 0x00 && b === 0x61 && c === 0x73 && d === 0x6d) return 'wasm';
  return undefined;
}

/** Bytes after an image's end marker (PNG IEND chunk, JPEG EOI): room for a hidden payload. */
export function imageTrailer(path: string, bytes: Uint8Array): number | undefined {
  if (/\.png$/i.test(path) && bytes[0] === 0x89 && bytes[1] === 0x50) {
    const end = lastIndexOf(bytes, [0x49, 0x45, 0x4e, 0x44]); // "IEND", then a 4-byte CRC
    if (end !== -1) return trailing(bytes.length - (end + 8));
  }
  if (/\.jpe?g$/i.test(path) && bytes[0] === 0xff && bytes[1] === 0xd8) {
    const end = lastIndexOf(bytes, [0xff, 0xd9]);
    if (end !== -1) return trailing(bytes.length - (end + 2));
  }
  return undefined;
}

function trailing(count: number): number | undefined {
  // A few bytes of padding are common; a payload is not.
  return count > 64 ? count : undefined;
}

function lastIndexOf(bytes: Uint8Array, needle: number[]): number {
  outer: for (let i = bytes.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Bounds on what one package may cost to read. Over a bound, a file is skipped (and reported) or the package is marked incomplete. */
export interface ReadLimits {
  /** Compressed tarball size. */
  maxTarballBytes: number;
  /** Total unpacked size: also the bound on gzip output, so a decompression bomb stops here. */
  maxPackageBytes: number;
  /** Bytes kept for one file; larger files are listed but not analysed. */
  maxFileBytes: number;
  /** Tar entries of any kind. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxTarballBytes: 100 * 1024 * 1024,
  maxPackageBytes: 300 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  maxEntries: 30_000,
};

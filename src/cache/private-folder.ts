import { mkdirSync, statSync } from 'node:fs';

/**
 * Why a cache folder must not be used, or undefined when it is safe. A well-formed cache entry is believed (its
 * checksum catches damage, not forgery), so whoever can write the folder decides what a scan concludes (or, for
 * compiled code, what runs): it must be the user's own and writable by nobody else. Created when missing.
 */
export function unsafeFolder(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = statSync(dir);
    if (!info.isDirectory()) return 'it is not a folder';
    if (typeof process.getuid === 'function' && info.uid !== process.getuid())
      return 'it belongs to another user';
    // Group-writable is common (a private group per user); writable by everyone is not.
    if ((info.mode & 0o002) !== 0)
      return 'every user can write to it (chmod o-w it, or choose another --cache-dir)';
    return undefined;
  } catch (error) {
    return `it cannot be created (${(error as Error).message})`;
  }
}

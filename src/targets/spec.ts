import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import npa from 'npm-package-arg';
import { OcellusError } from '../errors.js';

/** A package spec the user asked to scan, checked and normalised. */
export interface ScanSpec {
  /** As typed. */
  raw: string;
  /** Name when the spec names one (a local tarball's name is known only after reading it). */
  name: string | undefined;
  type: 'version' | 'range' | 'tag' | 'file' | 'project';
  /** What Arborist is asked to add: `name@range`, or `file:/abs/path.tgz`. */
  arboristSpec: string;
  /** For a project audit: the folder holding the lockfile. */
  dir?: string;
}

const SUPPORTED = new Set(['version', 'range', 'tag', 'file']);

export function parseScanSpec(raw: string, cwd: string): ScanSpec {
  let parsed: npa.Result;
  try {
    parsed = npa(raw, cwd);
  } catch (error) {
    throw new OcellusError('EBADSPEC', `"${raw}" is not a valid package spec: ${(error as Error).message}`, {
      cause: error,
      hint: 'Use a package name, name@version, name@range, @scope/name@tag, or a path to a .tgz file.',
    });
  }
  if (parsed.type === 'directory') {
    const dir = resolve(cwd, parsed.fetchSpec ?? raw);
    return { raw, name: undefined, type: 'project', arboristSpec: '', dir };
  }
  if (!SUPPORTED.has(parsed.type)) {
    throw new OcellusError(
      'EBADSPEC',
      `"${raw}" is a ${parsed.type} spec, which ocellus scan does not support.`,
      {
        hint: 'Use a package name, name@version, name@range, @scope/name@tag, a path to a .tgz file, or a project folder.',
      },
    );
  }
  if (parsed.type === 'file') {
    const path = parsed.fetchSpec ? resolve(cwd, parsed.fetchSpec) : '';
    if (!/\.(?:tgz|tar\.gz|tar)$/i.test(path)) {
      throw new OcellusError('EBADSPEC', `"${raw}" is not a .tgz file.`, {
        hint: 'Pack a folder first with `npm pack`, then scan the .tgz it writes.',
      });
    }
    if (!existsSync(path)) throw new OcellusError('EBADSPEC', `No such file: ${path}`);
    return { raw, name: undefined, type: 'file', arboristSpec: `file:${path}` };
  }
  return {
    raw,
    name: parsed.name ?? undefined,
    type: parsed.type as ScanSpec['type'],
    arboristSpec: raw,
  };
}

/** A bare registry package name (no version, range or path), as `ocellus name` and `ocellus diff` take. */
export function isPackageName(name: string): boolean {
  try {
    const parsed = npa(name);
    return parsed.registry === true && parsed.name === name && parsed.rawSpec === '*';
  } catch {
    return false;
  }
}

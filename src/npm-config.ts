import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OcellusError } from './errors.js';

const require = createRequire(import.meta.url);
// @npmcli/config is CommonJS and ships npm's own definitions, so we read .npmrc files exactly as npm does.
const Config = require('@npmcli/config') as NpmConfigClass;
const { definitions, shorthands, flatten } = require('@npmcli/config/lib/definitions') as NpmDefinitions;

interface NpmConfigInstance {
  load(): Promise<void>;
  set(key: string, value: unknown, where: string): void;
  get(key: string): unknown;
  flat: Record<string, unknown>;
}
type NpmConfigClass = new (options: Record<string, unknown>) => NpmConfigInstance;
interface NpmDefinitions {
  definitions: Record<string, unknown>;
  shorthands: Record<string, unknown>;
  flatten: unknown;
}

/** The options npm itself would hand to pacote and Arborist: registry, scoped registries, auth, proxy, CA, cache. */
export type NpmOptions = Record<string, unknown> & { registry: string; cache: string };

export interface NpmConfigRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Settings that win over every .npmrc, like npm's own command-line flags (`registry`, `cache`, ...). */
  overrides?: Record<string, string | boolean | number | undefined>;
}

export async function loadNpmOptions(request: NpmConfigRequest): Promise<NpmOptions> {
  const config = new Config({
    definitions,
    shorthands,
    flatten,
    // Our own folder has no builtin npmrc; npm's global and user files are found the way npm finds them.
    npmPath: dirname(fileURLToPath(import.meta.url)),
    argv: ['node', 'ocellus'],
    env: request.env,
    cwd: request.cwd,
    execPath: process.execPath,
    platform: process.platform,
  });
  try {
    await config.load();
    for (const [key, value] of Object.entries(request.overrides ?? {})) {
      if (value !== undefined) config.set(key, value, 'cli');
    }
  } catch (error) {
    throw new OcellusError('ECONFIG', `Could not read the npm configuration: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const flat = config.flat;
  return { ...flat, registry: String(flat.registry), cache: String(flat.cache) } as NpmOptions;
}

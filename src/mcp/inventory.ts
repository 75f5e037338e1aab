import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTINUE_PROJECT_FOLDER, type ConfigLocation, configLocations, formatOf } from './clients.js';
import { ConfigError, type ConfiguredServer, serversInConfig } from './servers.js';

/** A config file that was found, and what came of reading it. */
export interface ConfigRead {
  client: string;
  path: string;
  scope: 'user' | 'project';
  servers: number;
  error?: string;
}

export interface Inventory {
  configs: ConfigRead[];
  servers: ConfiguredServer[];
}

/** ~/.claude.json keeps project history too and can be large; nothing else comes close. */
const MAX_CONFIG_BYTES = 32 * 1024 * 1024;

/** Reads every MCP client configuration on the machine and in the project, plus any given with --config. */
export async function readInventory(options: {
  home: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  extraConfigs?: string[];
}): Promise<Inventory> {
  const locations = configLocations(options.home, options.cwd, options.env);
  for (const path of await continueProjectFiles(options.cwd)) {
    locations.push({ client: 'Continue', path, format: 'yaml', shape: 'continue-yaml', scope: 'project' });
  }
  for (const path of options.extraConfigs ?? []) {
    locations.push({ client: 'config file', path, format: formatOf(path), shape: 'any', scope: 'user' });
  }
  const configs: ConfigRead[] = [];
  const servers: ConfiguredServer[] = [];
  const seen = new Set<string>();
  for (const location of locations) {
    if (seen.has(location.path)) continue;
    seen.add(location.path);
    const read = await readConfig(location, (options.extraConfigs ?? []).includes(location.path));
    if (!read) continue;
    configs.push(read.config);
    servers.push(...read.servers);
  }
  return { configs, servers };
}

async function readConfig(
  location: ConfigLocation,
  required: boolean,
): Promise<{ config: ConfigRead; servers: ConfiguredServer[] } | undefined> {
  const base = { client: location.client, path: location.path, scope: location.scope };
  const info = await stat(location.path).catch(() => undefined);
  if (!info?.isFile()) {
    return required ? { config: { ...base, servers: 0, error: 'file not found' }, servers: [] } : undefined;
  }
  if (info.size > MAX_CONFIG_BYTES) {
    return {
      config: { ...base, servers: 0, error: `over ${MAX_CONFIG_BYTES} bytes, not read` },
      servers: [],
    };
  }
  try {
    const servers = serversInConfig(await readFile(location.path, 'utf8'), location);
    return { config: { ...base, servers: servers.length }, servers };
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : `unreadable: ${(error as Error).message}`;
    return { config: { ...base, servers: 0, error: reason }, servers: [] };
  }
}

async function continueProjectFiles(cwd: string): Promise<string[]> {
  const folder = join(cwd, CONTINUE_PROJECT_FOLDER);
  const names = await readdir(folder).catch(() => [] as string[]);
  return names
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(folder, name));
}

import { type Node as JsonNode, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { offsetToLineColumn } from '../facts/manifest.js';
import type { ConfigLocation, ServerShape } from './clients.js';
import { type NpmLaunch, readLaunch } from './launch.js';
import { redactArgs, redactText, redactUrl } from './redact.js';

/** One MCP server as a client is configured to start it. Secrets are gone: env and header values are never kept. */
export interface ConfiguredServer {
  client: string;
  configFile: string;
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  /** Arguments with anything secret-looking redacted. */
  args: string[];
  /** A remote server's URL, credentials and token parameters redacted. */
  url?: string;
  /** Names of the environment variables the server receives; their values are secrets and are not read. */
  env: string[];
  /** Names of HTTP headers sent to a remote server. */
  headers: string[];
  npm?: NpmLaunch;
  /** Why the server is not an npm package Ocellus can scan. */
  notScanned?: string;
  /** Set when the entry says it is turned off. */
  disabled?: boolean;
}

export class ConfigError extends Error {}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Pure: the servers a config file declares. Throws ConfigError with a line number when the file does not parse. */
export function serversInConfig(
  text: string,
  location: Pick<ConfigLocation, 'client' | 'path' | 'format' | 'shape'>,
): ConfiguredServer[] {
  // An empty file is how clients leave a config nobody has filled in yet.
  if (text.trim() === '') return [];
  const document = parseDocument(text, location.format);
  return entriesOf(document, location.shape).map(([name, raw]) => normalize(name, raw, location));
}

function parseDocument(text: string, format: ConfigLocation['format']): unknown {
  if (format === 'toml') {
    try {
      return parseToml(text);
    } catch (error) {
      throw new ConfigError(`not valid TOML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (format === 'yaml') {
    try {
      return parseYaml(text);
    } catch (error) {
      throw new ConfigError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  // Clients accept comments and trailing commas (VS Code, Zed) or tolerate them; read them all the same way.
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first) {
    const at = offsetToLineColumn(text, first.offset);
    throw new ConfigError(
      `not valid JSON at line ${at.line}, column ${at.column}: ${printParseErrorCode(first.error)}`,
    );
  }
  return tree ? plainValue(tree) : undefined;
}

/**
 * A parse tree to plain data on null-prototype objects: a server named `__proto__` is a server (clients that use
 * JSON.parse start it), not a prototype that would hide it from the inventory.
 */
function plainValue(node: JsonNode): unknown {
  if (node.type === 'object') {
    const object: Record<string, unknown> = Object.create(null);
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key && value && typeof key.value === 'string') object[key.value] = plainValue(value);
    }
    return object;
  }
  if (node.type === 'array') return (node.children ?? []).map(plainValue);
  return node.value;
}

function entriesOf(document: unknown, shape: ServerShape): Array<[string, unknown]> {
  const root = asObject(document) ?? {};
  const map = (value: unknown): Array<[string, unknown]> => Object.entries(asObject(value) ?? {});
  const list = (value: unknown): Array<[string, unknown]> =>
    (Array.isArray(value) ? value : []).map((entry, index) => [
      asString(asObject(entry)?.name) ?? `server-${index + 1}`,
      entry,
    ]);
  switch (shape) {
    case 'mcpServers':
      return map(root.mcpServers);
    case 'vscode-servers':
      return map(root.servers);
    case 'vscode-settings':
      return map(asObject(root.mcp)?.servers);
    case 'claude-code':
      return [
        ...map(root.mcpServers),
        ...Object.entries(asObject(root.projects) ?? {}).flatMap(([project, settings]) =>
          map(asObject(settings)?.mcpServers).map(([name, raw]): [string, unknown] => [
            `${name} (${project})`,
            raw,
          ]),
        ),
      ];
    case 'zed':
      return map(root.context_servers);
    case 'continue-yaml':
      return list(root.mcpServers);
    case 'continue-json':
      return list(asObject(root.experimental)?.modelContextProtocolServers);
    case 'codex':
      return map(root.mcp_servers);
    case 'any':
      for (const candidate of ['mcpServers', 'vscode-servers', 'vscode-settings', 'zed', 'codex'] as const) {
        const found = entriesOf(document, candidate);
        if (found.length > 0) return found;
      }
      return Array.isArray(root.mcpServers) ? list(root.mcpServers) : [];
  }
}

function normalize(
  name: string,
  raw: unknown,
  location: Pick<ConfigLocation, 'client' | 'path'>,
): ConfiguredServer {
  const entry = asObject(raw) ?? {};
  // Zed nests the command ({ command: { path, args, env } }); Continue's JSON nests a transport.
  const nested = asObject(entry.command) ?? asObject(entry.transport) ?? {};
  const command = asString(entry.command) ?? asString(nested.path) ?? asString(nested.command);
  const args = stringList(entry.args ?? nested.args);
  const env = Object.keys(asObject(entry.env) ?? asObject(nested.env) ?? {}).sort();
  const url =
    asString(entry.url) ?? asString(entry.httpUrl) ?? asString(entry.serverUrl) ?? asString(nested.url);
  const headers = Object.keys(asObject(entry.headers) ?? asObject(entry.http_headers) ?? {}).sort();
  const declared = (asString(entry.type) ?? asString(nested.type) ?? '').toLowerCase();
  const transport: ConfiguredServer['transport'] = command
    ? 'stdio'
    : declared.includes('sse')
      ? 'sse'
      : 'http';
  const server: ConfiguredServer = {
    client: location.client,
    configFile: location.path,
    name,
    transport,
    args: redactArgs(args),
    env,
    headers,
    ...(command ? { command: redactText(command) } : {}),
    ...(url ? { url: redactUrl(url) } : {}),
    ...(entry.disabled === true || entry.enabled === false ? { disabled: true } : {}),
  };
  if (!command) {
    server.notScanned = url ? 'a remote server: its code runs elsewhere' : 'no command or URL';
    return server;
  }
  const launch = readLaunch(command, args);
  // Reasons quote the spec or command, which may carry a token (git+https://token@…).
  if ('npm' in launch) server.npm = launch.npm;
  else server.notScanned = redactText(launch.reason);
  return server;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item) => typeof item === 'string' || typeof item === 'number').map(String)
    : [];
}

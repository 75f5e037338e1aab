import { join } from 'node:path';

/** Where a client keeps its servers inside a config file. */
export type ServerShape =
  | 'mcpServers' // { mcpServers: { name: { command, args, env } | { url } } }
  | 'vscode-servers' // { servers: { ... } } (VS Code mcp.json)
  | 'vscode-settings' // { mcp: { servers: { ... } } } (VS Code settings.json)
  | 'claude-code' // ~/.claude.json: mcpServers at the top and under projects[path]
  | 'zed' // { context_servers: { name: { command: { path, args, env } } | { command, args, env } } }
  | 'continue-yaml' // { mcpServers: [ { name, command, args, env } ] }
  | 'continue-json' // { experimental: { modelContextProtocolServers: [ { transport: { command, args } } ] } }
  | 'codex' // TOML [mcp_servers.name] command, args, env
  | 'any'; // --config: whichever of the above the file holds

export interface ConfigLocation {
  client: string;
  path: string;
  format: 'json' | 'jsonc' | 'toml' | 'yaml';
  shape: ServerShape;
  scope: 'user' | 'project';
}

/**
 * Every place a supported MCP client keeps server configuration, for macOS, Windows and Linux alike: a
 * machine may hold configs synced from another OS, and listing a path that does not exist costs nothing.
 */
export function configLocations(home: string, cwd: string, env: NodeJS.ProcessEnv): ConfigLocation[] {
  const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
  const configHome = env.XDG_CONFIG_HOME ?? join(home, '.config');
  const macSupport = join(home, 'Library', 'Application Support');
  const perOs = (relative: string[]) => [
    join(macSupport, ...relative),
    join(appData, ...relative),
    join(configHome, ...relative),
  ];
  const located =
    (scope: ConfigLocation['scope']) =>
    (client: string, path: string, format: ConfigLocation['format'], shape: ServerShape): ConfigLocation => ({
      client,
      path: scope === 'project' ? join(cwd, path) : path,
      format,
      shape,
      scope,
    });
  const user = located('user');
  const project = located('project');
  const cline = [
    'Code',
    'User',
    'globalStorage',
    'saoudrizwan.claude-dev',
    'settings',
    'cline_mcp_settings.json',
  ];
  return [
    ...perOs(['Claude', 'claude_desktop_config.json']).map((path) =>
      user('Claude Desktop', path, 'json', 'mcpServers'),
    ),
    user('Claude Code', join(home, '.claude.json'), 'json', 'claude-code'),
    project('Claude Code', '.mcp.json', 'json', 'mcpServers'),
    user('Cursor', join(home, '.cursor', 'mcp.json'), 'json', 'mcpServers'),
    project('Cursor', join('.cursor', 'mcp.json'), 'json', 'mcpServers'),
    ...perOs(['Code', 'User', 'mcp.json']).map((path) => user('VS Code', path, 'jsonc', 'vscode-servers')),
    ...perOs(['Code', 'User', 'settings.json']).map((path) =>
      user('VS Code', path, 'jsonc', 'vscode-settings'),
    ),
    project('VS Code', join('.vscode', 'mcp.json'), 'jsonc', 'vscode-servers'),
    user('Windsurf', join(home, '.codeium', 'windsurf', 'mcp_config.json'), 'json', 'mcpServers'),
    ...perOs(cline).map((path) => user('Cline', path, 'json', 'mcpServers')),
    user('Continue', join(home, '.continue', 'config.yaml'), 'yaml', 'continue-yaml'),
    user('Continue', join(home, '.continue', 'config.json'), 'jsonc', 'continue-json'),
    user('Zed', join(configHome, 'zed', 'settings.json'), 'jsonc', 'zed'),
    user('Gemini CLI', join(home, '.gemini', 'settings.json'), 'json', 'mcpServers'),
    project('Gemini CLI', join('.gemini', 'settings.json'), 'json', 'mcpServers'),
    user('Codex', join(env.CODEX_HOME ?? join(home, '.codex'), 'config.toml'), 'toml', 'codex'),
  ];
}

/** Continue also reads one YAML file per server block from the project's .continue/mcpServers folder. */
export const CONTINUE_PROJECT_FOLDER = join('.continue', 'mcpServers');

export function formatOf(path: string): ConfigLocation['format'] {
  if (/\.toml$/i.test(path)) return 'toml';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return 'jsonc';
}

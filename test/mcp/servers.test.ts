import { describe, expect, it } from 'vitest';
import { ConfigError, serversInConfig } from '../../src/mcp/servers.js';

const at = (
  shape: Parameters<typeof serversInConfig>[1]['shape'],
  format: 'json' | 'jsonc' | 'toml' | 'yaml' = 'jsonc',
) => ({
  client: 'test',
  path: '/cfg',
  format,
  shape,
});
const summary = (text: string, location: ReturnType<typeof at>) =>
  serversInConfig(text, location).map((server) => ({
    name: server.name,
    transport: server.transport,
    npm: server.npm?.name,
    env: server.env,
    notScanned: server.notScanned,
  }));

describe('serversInConfig', () => {
  it('reads JSON with comments and trailing commas, keeping env names and never values', () => {
    const servers = serversInConfig(
      '{ // c\n "mcpServers": { "a": { "command": "npx", "args": ["-y", "pkg-a"], "env": { "TOKEN": "s3cret" }, }, }, }',
      at('mcpServers'),
    );
    expect(servers).toEqual([expect.objectContaining({ name: 'a', transport: 'stdio', env: ['TOKEN'] })]);
    expect(JSON.stringify(servers)).not.toContain('s3cret');
  });

  it('reads every client shape', () => {
    expect(
      summary(
        '{ "servers": { "v": { "type": "stdio", "command": "npx", "args": ["pkg-v"] } } }',
        at('vscode-servers'),
      ),
    ).toEqual([{ name: 'v', transport: 'stdio', npm: 'pkg-v', env: [], notScanned: undefined }]);
    expect(
      summary('{ "mcp": { "servers": { "s": { "url": "https://x.example/mcp" } } } }', at('vscode-settings')),
    ).toEqual([
      {
        name: 's',
        transport: 'http',
        npm: undefined,
        env: [],
        notScanned: 'a remote server: its code runs elsewhere',
      },
    ]);
    expect(
      summary(
        '{ "mcpServers": { "top": { "command": "npx", "args": ["pkg-t"] } }, "projects": { "/p": { "mcpServers": { "in": { "command": "npx", "args": ["pkg-i"] } } } } }',
        at('claude-code', 'json'),
      ).map((server) => server.name),
    ).toEqual(['top', 'in (/p)']);
    expect(
      summary(
        '{ "context_servers": { "z": { "command": { "path": "npx", "args": ["pkg-z"], "env": { "K": "v" } } } } }',
        at('zed'),
      ),
    ).toEqual([{ name: 'z', transport: 'stdio', npm: 'pkg-z', env: ['K'], notScanned: undefined }]);
    expect(
      summary(
        '[mcp_servers.c]\ncommand = "npx"\nargs = ["pkg-c@1.0.0"]\nenv = { K = "v" }\n',
        at('codex', 'toml'),
      ),
    ).toEqual([{ name: 'c', transport: 'stdio', npm: 'pkg-c', env: ['K'], notScanned: undefined }]);
    expect(
      summary('mcpServers:\n  - name: y\n    command: npx\n    args: [pkg-y]\n', at('continue-yaml', 'yaml')),
    ).toEqual([{ name: 'y', transport: 'stdio', npm: 'pkg-y', env: [], notScanned: undefined }]);
    expect(
      summary(
        '{ "experimental": { "modelContextProtocolServers": [ { "transport": { "type": "stdio", "command": "npx", "args": ["pkg-j"] } } ] } }',
        at('continue-json'),
      ),
    ).toEqual([{ name: 'server-1', transport: 'stdio', npm: 'pkg-j', env: [], notScanned: undefined }]);
    expect(
      summary(
        '{ "mcpServers": { "g": { "httpUrl": "https://g.example/mcp" }, "e": { "url": "https://e.example/sse", "type": "sse" } } }',
        at('any'),
      ),
    ).toEqual([
      expect.objectContaining({ name: 'g', transport: 'http' }),
      expect.objectContaining({ name: 'e', transport: 'sse' }),
    ]);
  });

  it('says where a broken file breaks', () => {
    expect(() =>
      serversInConfig('{\n  "mcpServers": {\n    "a": { "command": "npx" \n  }', at('mcpServers')),
    ).toThrow(ConfigError);
    expect(() => serversInConfig('{\n  "mcpServers": { "a": [ }\n}', at('mcpServers'))).toThrow(/line 2/);
    expect(() => serversInConfig('[mcp_servers.c\ncommand = 1', at('codex', 'toml'))).toThrow(
      /not valid TOML/,
    );
  });

  it('a file without servers, or of another shape, yields none', () => {
    expect(serversInConfig('{ "theme": "dark" }', at('zed'))).toEqual([]);
    expect(serversInConfig('', at('mcpServers'))).toEqual([]);
  });
});

describe('hostile configs', () => {
  it('a server named __proto__ is listed, not swallowed as a prototype', () => {
    const servers = serversInConfig(
      '{ "mcpServers": { "__proto__": { "command": "npx", "args": ["evil-mcp"] } } }',
      at('mcpServers', 'json'),
    );
    expect(servers.map((server) => [server.name, server.npm?.name])).toEqual([['__proto__', 'evil-mcp']]);
  });

  it('tokens in commands, specs and headers never reach the output', () => {
    const servers = serversInConfig(
      JSON.stringify({
        mcpServers: {
          git: {
            command: 'npx',
            args: ['-y', 'git+https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git'],
          },
          inline: { command: 'npx -y some-mcp --api-key sk-live-abcdefghijklmnop' },
          remote: {
            command: 'npx',
            args: [
              'mcp-remote',
              'https://x.example/mcp',
              '--header',
              'Authorization: Bearer abcdefghijklmnop',
            ],
          },
        },
      }),
      at('mcpServers', 'json'),
    );
    const printed = JSON.stringify(servers);
    expect(printed).not.toMatch(/ghp_abcdef|sk-live-abcdef|Bearer abcdef/);
    expect(servers[2]?.args).toContain('Authorization: <redacted>');
  });
});

import { describe, expect, it } from 'vitest';
import { readLaunch } from '../../src/mcp/launch.js';
import { redactArgs, redactUrl } from '../../src/mcp/redact.js';

describe('readLaunch: which npm package a config starts', () => {
  it.each([
    [
      'npx',
      ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
      '@modelcontextprotocol/server-filesystem',
      undefined,
      false,
    ],
    ['npx', ['-y', 'mcp-remote@0.1.29', 'https://x.example'], 'mcp-remote', '0.1.29', true],
    ['npx', ['--package=@acme/mcp@^2', 'acme-mcp'], '@acme/mcp', '^2', false],
    ['npx', ['-p', 'pkg-a@1.2.3', '--', 'pkg-a-bin'], 'pkg-a', '1.2.3', true],
    ['npm', ['exec', '--yes', '--', 'weather-mcp@next'], 'weather-mcp', 'next', false],
    ['pnpm', ['dlx', 'tidy-json-mcp@1.2.2'], 'tidy-json-mcp', '1.2.2', true],
    ['yarn', ['dlx', 'notes-mcp'], 'notes-mcp', undefined, false],
    ['bunx', ['docs-mcp@2.0.0'], 'docs-mcp', '2.0.0', true],
    ['bun', ['x', 'docs-mcp'], 'docs-mcp', undefined, false],
    ['C:\\Program Files\\nodejs\\npx.cmd', ['-y', 'win-mcp'], 'win-mcp', undefined, false],
    ['cmd', ['/c', 'npx', '-y', 'win-mcp@1.0.0'], 'win-mcp', '1.0.0', true],
  ] as const)('%s %j → %s', (command, args, name, requested, pinned) => {
    const reading = readLaunch(command, args);
    expect(reading).toEqual({
      npm: expect.objectContaining({ name, pinned, ...(requested ? { requested } : {}) }),
    });
    if (!requested && 'npm' in reading) expect(reading.npm.requested).toBeUndefined();
  });

  it.each([
    ['uvx', ['mcp-server-fetch'], /Python/],
    ['docker', ['run', '-i', 'ghcr.io/github/github-mcp-server'], /container image/],
    ['node', ['/home/me/server.js'], /script on this machine/],
    ['/usr/local/bin/my-server', [], /my-server, a program on this machine/],
    ['npm', ['run', 'serve'], /npm, a program/],
    ['npx', ['github:someone/server'], /git spec/],
    ['npx', ['-y'], /without a package/],
  ] as const)('%s %j is not an npm package: %s', (command, args, reason) => {
    const reading = readLaunch(command, args);
    expect('reason' in reading && reading.reason).toMatch(reason);
  });
});

describe('redactArgs: secrets in arguments never reach the output', () => {
  it('redacts flag values, KEY=value pairs, token shapes and URL credentials', () => {
    expect(
      redactArgs([
        '--api-key',
        'abc123',
        '--token=zzz',
        '-e',
        'GITHUB_PERSONAL_ACCESS_TOKEN=ghp_x',
        'sk-live-1234567890abcdef',
        'https://user:pw@host.example/p?access_token=t0k&page=2',
        '/home/me/docs',
        '--verbose',
      ]),
    ).toEqual([
      '--api-key',
      '<redacted>',
      '--token=<redacted>',
      '-e',
      'GITHUB_PERSONAL_ACCESS_TOKEN=<redacted>',
      '<redacted>',
      'https://***@host.example/p?access_token=<redacted>&page=2',
      '/home/me/docs',
      '--verbose',
    ]);
  });

  it('leaves ordinary URLs alone', () => {
    expect(redactUrl('https://mcp.example.com/sse?page=2')).toBe('https://mcp.example.com/sse?page=2');
  });
});

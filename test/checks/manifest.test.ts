import { describe, expect, it } from 'vitest';
import { escapesPackage, manifest } from '../../src/checks/manifest.js';
import { testCheck } from '../helpers/check-tester.js';

testCheck(manifest, {
  flagged: [
    {
      label: 'bin named git',
      manifest: { name: 'git-helper-utils', bin: { git: 'bin/git.js' } },
      severity: 'high',
      message: /`git` command/,
    },
    {
      label: 'bin named node among others',
      manifest: { name: 'fast-runner', bin: { 'fast-runner': 'a.js', node: 'b.js' } },
      severity: 'high',
    },
    { label: 'case variant of a command', manifest: { name: 'x', bin: { NPM: 'a.js' } }, severity: 'high' },
    {
      label: 'string bin of a scoped package named like a command',
      manifest: { name: '@evil/sh', bin: 'run.js' },
      severity: 'high',
    },
    {
      label: 'bin pointing outside the package',
      manifest: { name: 'y', bin: { y: '../../.bashrc' } },
      severity: 'high',
      message: /outside the package/,
    },
    {
      label: 'a path-like bin name npm links as ls',
      manifest: { name: 'z', bin: { '../../bin/ls': 'a.js' } },
      severity: 'high',
      message: /`ls` command/,
    },
    {
      label: 'main outside the package',
      manifest: { name: 'm', main: '../../../home/user/.ssh/config' },
      severity: 'high',
      message: /"main"/,
    },
    { label: 'absolute main', manifest: { name: 'm', main: '/etc/passwd' }, severity: 'high' },
  ],
  clean: [
    {
      label: 'npm owns npx',
      manifest: { name: 'npm', bin: { npm: 'bin/npm-cli.js', npx: 'bin/npx-cli.js' } },
    },
    {
      label: 'corepack owns yarn and pnpm',
      manifest: { name: 'corepack', bin: { yarn: 'a', pnpm: 'b', corepack: 'c' } },
    },
    { label: 'a package named like its command', manifest: { name: 'which', bin: { which: 'bin/which' } } },
    {
      label: 'ordinary CLI bins',
      manifest: { name: 'typescript', bin: { tsc: './bin/tsc', tsserver: './bin/tsserver' } },
    },
    {
      label: 'MCP server bin',
      manifest: {
        name: '@modelcontextprotocol/server-filesystem',
        bin: { 'mcp-server-filesystem': 'dist/index.js' },
      },
    },
    {
      label: 'main inside the package with ./ and ..',
      manifest: { name: 'n', main: './lib/../dist/index.js' },
    },
    { label: 'non-string bin values are ignored', manifest: { name: 'o', bin: { o: 42 } } },
    {
      label: 'a scoped bin name (npm links its last segment)',
      manifest: { name: 'mcp-handler', bin: { '@vercel/mcp-adapter': 'dist/cli.js' } },
    },
  ],
});

describe('escapesPackage', () => {
  it.each([
    ['../x', true],
    ['a/../../x', true],
    ['/abs', true],
    ['C:\\Windows\\x', true],
    ['~/x', true],
    ['./a/../b', false],
    ['dist/index.js', false],
    ['..foo/bar', false],
  ])('%s → %s', (path, escapes) => {
    expect(escapesPackage(path)).toBe(escapes);
  });
});

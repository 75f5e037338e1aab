import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { InventoryEntry } from '../../src/commands/inventory.js';
import { atLeast, type Severity } from '../../src/severity.js';
import { runCli } from './cli.js';

const registry = inject('registryUrl');
const fixtures = new URL('../../fixtures/mcp-configs/', import.meta.url).pathname;
/** Every secret value the fixture configs hold: none may appear in any output. */
const SECRETS = [
  'secret-weather-key-0001',
  'secret-forecast-key-0002',
  'secret-url-token-0003',
  'secret-header-0004',
  'ghp_secretsecretsecretsecretsecret0005',
  'secret-postmark-0006',
  'secret-notesync-0007',
  'secret-password-0008',
  'secret-codex-0009',
  'ghp_secretsecretsecretsecretsecret0010',
];

/** A machine with every supported client configured, and a project with its own configs, in temp folders. */
function machine() {
  const root = mkdtempSync(join(tmpdir(), 'ocellus-mcp-'));
  const home = join(root, 'home');
  const project = join(root, 'project');
  cpSync(join(fixtures, 'home'), home, { recursive: true });
  cpSync(join(fixtures, 'project'), project, { recursive: true });
  writeFileSync(join(home, '.npmrc'), `registry=${registry}\n`);
  return { home: { home, cache: join(home, '.npm') }, project };
}

function expectNoSecrets(...outputs: string[]) {
  for (const output of outputs) for (const secret of SECRETS) expect(output).not.toContain(secret);
}

describe('ocellus inventory', () => {
  it('finds every configured server of every supported client, and prints no secret', async () => {
    const { home, project } = machine();
    const result = await runCli(['inventory', '--format', 'json'], { cwd: project, home });
    expect(result.code).toBe(0);
    expectNoSecrets(result.stdout, result.stderr);
    const { configs, servers } = JSON.parse(result.stdout) as {
      configs: Array<{ client: string }>;
      servers: InventoryEntry[];
    };
    expect(new Set(configs.map((config) => config.client))).toEqual(
      new Set([
        'Claude Desktop',
        'Claude Code',
        'Cursor',
        'VS Code',
        'Windsurf',
        'Cline',
        'Continue',
        'Zed',
        'Gemini CLI',
        'Codex',
      ]),
    );
    expect(configs).toHaveLength(17);
    expect(servers).toHaveLength(21);
    const byName = (name: string) => servers.find((server) => server.name === name);
    expect(byName('weather')).toMatchObject({
      client: 'Claude Desktop',
      env: ['WEATHER_API_KEY'],
      npm: { name: 'weather-mcp-server', pinned: true },
    });
    expect(byName('notes')?.npm).toMatchObject({ name: 'notes-mcp-poisoned', pinned: false });
    expect(byName('calc')).toMatchObject({
      client: 'VS Code',
      npm: { name: 'calc-mcp-invisible', requested: '1.0.1' },
    });
    expect(byName('tidy')).toMatchObject({ client: 'VS Code', env: ['GITHUB_TOKEN'] });
    expect(byName('mini')).toMatchObject({ client: 'Zed', npm: { name: 'mini-mcp-stdio' } });
    expect(byName('alerts')).toMatchObject({
      client: 'Codex',
      npm: { name: 'forecast-mcp', requested: '1.4.0' },
    });
    expect(byName('notes-sync')).toMatchObject({ client: 'Continue', env: ['NOTESYNC_TOKEN'] });
    expect(byName('git-docs (/work/app)')).toMatchObject({ client: 'Claude Code' });
    expect(byName('github')).toMatchObject({ notScanned: 'a container image, not an npm package' });
    expect(byName('github')?.args).toContain('GITHUB_PERSONAL_ACCESS_TOKEN=<redacted>');
    expect(byName('remote-docs')).toMatchObject({
      transport: 'http',
      headers: ['Authorization'],
      url: 'https://mcp.example.com/sse?token=<redacted>',
    });
    expect(byName('fetch')?.notScanned).toMatch(/Python/);
    expect(byName('filesystem')?.lookalike).toMatch(/^@modelcontextprotocol\/server-filesystem/);
  });

  it('--scan scans the npm servers: poisoned, shadowing and rug-pull servers are high or critical, the honest one passes', async () => {
    const { home, project } = machine();
    const result = await runCli(['inventory', '--scan', '--format', 'json'], { cwd: project, home });
    expect(result.code).toBe(1);
    expectNoSecrets(result.stdout, result.stderr);
    const { servers } = JSON.parse(result.stdout) as { servers: InventoryEntry[] };
    const highest = (name: string) => servers.find((server) => server.name === name)?.scan?.highestSeverity;
    for (const name of ['notes', 'mailer', 'forecast', 'calc', 'postmark', 'filesystem']) {
      expect(atLeast(highest(name) as Severity, 'high'), `${name}: ${highest(name)}`).toBe(true);
    }
    expect(servers.find((server) => server.name === 'forecast')?.scan?.top).toMatchObject({
      checkId: expect.stringMatching(/version-diff|tool-poisoning/),
      severity: 'critical',
    });
    expect(servers.find((server) => server.name === 'git-docs (/work/app)')?.scan).toMatchObject({
      verdict: 'pass',
    });
    expect(servers.find((server) => server.name === 'weather')?.scan).toMatchObject({ verdict: 'pass' });
    for (const name of ['fetch', 'github', 'units', 'remote-docs', 'remote']) {
      const server = servers.find((entry) => entry.name === name);
      expect(server?.scan, name).toBeUndefined();
      expect(server?.notScanned, name).toBeTruthy();
    }
  });

  it('the table ends with one line per server: verdict, highest finding and capabilities, or why it was not scanned', async () => {
    const { home, project } = machine();
    const result = await runCli(['inventory', '--scan'], { cwd: project, home });
    expectNoSecrets(result.stdout, result.stderr);
    expect(result.stdout).toMatch(/forecast \(Claude Code\)\s+BLOCK\s+critical/);
    expect(result.stdout).toMatch(
      /1\.4\.1 changes the description of tool "get_forecast" toward instructions for the model/,
    );
    expect(result.stdout).toMatch(/fetch \(Claude Desktop\)\s+not scanned: a Python program/);
  });

  it('a config that does not parse is named with its line, and the inventory exits 3', async () => {
    const { home, project } = machine();
    writeFileSync(
      join(home.home, '.cursor', 'mcp.json'),
      '{\n  "mcpServers": {\n    "x": { "command": "npx", }\n  \n',
    );
    const result = await runCli(['inventory'], { cwd: project, home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/\.cursor\/mcp\.json: not valid JSON at line \d+/);
    expect(result.stdout).toContain('NOT READ');
  });
});

describe('ocellus approve and verify', () => {
  it('records what was reviewed, then reports drift: a new version with rewritten tool descriptions, an unapproved floating server', async () => {
    const { home } = machine();
    // A project of its own: only the given config is configured there.
    const project = mkdtempSync(join(tmpdir(), 'ocellus-team-'));
    writeFileSync(join(project, 'package.json'), '{"name":"team","version":"1.0.0"}');
    const config = join(project, 'team-mcp.json');
    writeFileSync(
      config,
      JSON.stringify({ mcpServers: { alerts: { command: 'npx', args: ['-y', 'forecast-mcp@1.4.0'] } } }),
    );
    // An empty home: only the given config is configured.
    const bare = { home: mkdtempSync(join(tmpdir(), 'ocellus-bare-')), cache: home.cache };
    writeFileSync(join(bare.home, '.npmrc'), `registry=${registry}\n`);
    const approve = await runCli(['approve', 'forecast-mcp@1.4.0', '--by', 'alice@example.com'], {
      cwd: project,
      home: bare,
    });
    expect(approve.code).toBe(0);
    const approvals = JSON.parse(readFileSync(join(project, 'ocellus-approvals.json'), 'utf8'));
    expect(approvals.approvals).toEqual([
      expect.objectContaining({
        name: 'forecast-mcp',
        version: '1.4.0',
        integrity: expect.stringMatching(/^sha512-/),
        toolsHash: expect.stringMatching(/^sha256-/),
        tools: ['get_forecast'],
        approvedBy: 'alice@example.com',
      }),
    ]);

    const clean = await runCli(['verify', '--config', config], { cwd: project, home: bare });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('OK           alerts');

    writeFileSync(
      config,
      JSON.stringify({
        mcpServers: {
          alerts: { command: 'npx', args: ['-y', 'forecast-mcp@1.4.1'] },
          notes: { command: 'npx', args: ['notes-sync-mcp'] },
        },
      }),
    );
    const drift = await runCli(['verify', '--config', config], { cwd: project, home: bare });
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('starts 1.4.1, but 1.4.0 was approved');
    expect(drift.stdout).toContain('tool descriptions changed since approval');
    expect(drift.stdout).toContain('configured but never approved');
    expect(drift.stdout).toContain('floating version (latest)');
  });

  it('refuses to approve a server with high findings unless told it is a reviewed exception', async () => {
    const { project } = machine();
    const bare = {
      home: mkdtempSync(join(tmpdir(), 'ocellus-bare-')),
      cache: join(tmpdir(), 'ocellus-cache-approve'),
    };
    writeFileSync(join(bare.home, '.npmrc'), `registry=${registry}\n`);
    const refused = await runCli(['approve', 'forecast-mcp@1.4.1', '--by', 'bob'], {
      cwd: project,
      home: bare,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not approved');
    const forced = await runCli(['approve', 'forecast-mcp@1.4.1', '--by', 'bob', '--force'], {
      cwd: project,
      home: bare,
    });
    expect(forced.code).toBe(0);
  });
});

import { describe, expect, inject, it } from 'vitest';
import { runCli } from './cli.js';

const registry = inject('registryUrl');
/** Runs the CLI against the test registry with JSON output. */
const json = (...args: string[]) => runCli([...args, '--registry', registry, '--format', 'json']);

describe('ocellus name against a real registry', () => {
  it('reports a published look-alike with its target and technique, and exits 1', async () => {
    const { code, stdout } = await json('name', 'mcp-server-filesysterm');
    expect(code).toBe(1);
    const [verdict] = JSON.parse(stdout);
    expect(verdict).toMatchObject({ name: 'mcp-server-filesysterm', exists: true, versions: 1 });
    expect(verdict.suspects[0]).toMatchObject({
      target: '@modelcontextprotocol/server-filesystem',
      technique: 'edit-distance',
    });
    expect(verdict.created).toMatch(/^\d{4}-/);
    // Six days old with one version: the registry's history backs the name's evidence.
    expect(verdict.severity).toBe('high');
  });

  it('an unreachable registry exits 3 and says so, rather than calling a name safe', async () => {
    const { code, stderr, stdout } = await runCli([
      'name',
      'mcp-server-filesysterm',
      '--registry',
      'http://127.0.0.1:9/',
    ]);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain('The registry did not answer for "mcp-server-filesysterm"');
  });

  it('a name that does not exist: exists false, and the name it was probably meant to be', async () => {
    const { code, stdout } = await runCli(['name', 'expresss', '--registry', registry]);
    expect(code).toBe(1);
    expect(stdout).toContain('expresss: not found in the registry');
    expect(stdout).toContain('did you mean express?');
  });

  it('an ordinary name passes with exit 0', async () => {
    const { code, stdout } = await json('name', 'weather-mcp-server');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ name: 'weather-mcp-server', exists: true, suspects: [] }),
    ]);
  });

  it('a version or a bad name is a usage error', async () => {
    expect((await runCli(['name', 'express@1', '--registry', registry])).code).toBe(2);
    expect((await runCli(['name'])).code).toBe(2);
  });

  it('scan flags the look-alike in the tree', async () => {
    const { code, stdout } = await json('scan', 'mcp-server-filesysterm');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.packages[0].findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          checkId: 'typosquat',
          severity: 'high',
          message: expect.stringContaining("inserted 'r'"),
        }),
        // The registry's history backs the name's evidence: a week-old package with one release.
        expect.objectContaining({ checkId: 'registry-metadata', title: 'New package', severity: 'low' }),
      ]),
    );
  });
});

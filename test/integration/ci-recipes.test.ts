import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { cliPath, isolatedHome } from './cli.js';
import { git, lock, lockedMonorepo } from './monorepo.js';

const registry = inject('registryUrl');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The `ocellus …` commands of the README's CI recipe for one platform, exactly as written there. */
function recipeCommands(heading: string): string[] {
  const start = readme.indexOf(heading);
  const block = readme.slice(
    readme.indexOf('```yaml', start),
    readme.indexOf('```\n', readme.indexOf('```yaml', start) + 7),
  );
  return block
    .split('\n')
    .map((line) => /^\s*-\s*(?:run:\s*)?(ocellus .+)$/.exec(line)?.[1])
    .filter((command): command is string => Boolean(command));
}

/** A pull request on the fixture monorepo: main holds the locked project, the change adds one dependency. */
async function pullRequest(home: { cache: string }): Promise<string> {
  const dir = await lockedMonorepo(registry, home.cache);
  git(dir, 'checkout', '-q', '-b', 'feature');
  const web = join(dir, 'packages', 'web', 'package.json');
  const manifest = JSON.parse(readFileSync(web, 'utf8'));
  manifest.dependencies['git-shortcuts'] = '^1.0.0';
  writeFileSync(web, JSON.stringify(manifest, null, 2));
  await lock(dir, registry, home.cache);
  git(dir, 'commit', '-qam', 'add git-shortcuts');
  return dir;
}

describe.each([
  ['GitHub Actions', 'GitHub Actions (`.github/workflows/ocellus.yml`)', 'ocellus.sarif'],
  ['GitLab CI', 'GitLab CI (`.gitlab-ci.yml`)', 'gl-ocellus.sarif'],
])('the README CI recipe for %s', (_platform, heading, sarifFile) => {
  it('publishes the full audit as SARIF, then fails the pull request that adds a risky package', async () => {
    const commands = recipeCommands(heading);
    expect(commands).toHaveLength(2);
    const home = isolatedHome(`registry=${registry}\n`);
    const dir = await pullRequest(home);
    // `ocellus` on PATH, as the recipe's install step leaves it.
    const bin = mkdtempSync(join(tmpdir(), 'ocellus-bin-'));
    writeFileSync(join(bin, 'ocellus'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(bin, 'ocellus'), 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: home.home,
      npm_config_userconfig: join(home.home, '.npmrc'),
      npm_config_cache: home.cache,
      BASE_REF: 'main',
      NO_COLOR: '1',
    };
    const codes: number[] = [];
    for (const command of commands) {
      const code = await promisify(execFile)('sh', ['-c', command], { cwd: dir, env })
        .then(() => 0)
        .catch((error: { code?: number }) => error.code ?? 1);
      codes.push(code);
    }
    expect(codes).toEqual([0, 1]);
    const sarif = JSON.parse(readFileSync(join(dir, sarifFile), 'utf8'));
    expect(
      sarif.runs[0].results.map((result: { properties: { package: string } }) => result.properties.package),
    ).toEqual(expect.arrayContaining(['data-collector', 'git-shortcuts']));
    const comment = readFileSync(join(dir, 'ocellus.md'), 'utf8');
    expect(comment).toContain('BLOCK');
    expect(comment).toContain('git-shortcuts@1.2.0');
    expect(comment).not.toContain('data-collector');
  });
});

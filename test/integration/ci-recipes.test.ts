import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { cliPath, isolatedHome } from './cli.js';
import { git, lock, lockedMonorepo } from './monorepo.js';

const registry = inject('registryUrl');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** One platform's CI recipe in the README: its YAML block exactly as written there. */
function recipe(heading: string): string {
  const start = readme.indexOf(heading);
  const open = readme.indexOf('```yaml', start);
  return readme.slice(open, readme.indexOf('```\n', open + 7));
}

/** The `ocellus …` commands of a recipe. */
function recipeCommands(block: string): string[] {
  return block
    .split('\n')
    .map((line) => /^\s*(?:-\s*)?(?:run:\s*)?(ocellus .+)$/.exec(line)?.[1])
    .filter((command): command is string => Boolean(command));
}

/** The folder the recipe's scans keep their analyses in, and the folder its cache step saves and restores. */
function recipeCache(block: string): { scans?: string; saved?: string } {
  return {
    scans: /^\s*OCELLUS_CACHE_DIR:\s*(\S+)\s*$/m.exec(block)?.[1],
    saved: (/^\s*path:\s*(\S+)\s*$/m.exec(block) ?? /^\s*paths:\s*\[([^\]]+)\]\s*$/m.exec(block))?.[1],
  };
}

/**
 * The step that names what the folder holds, for the recipe's save step (GitHub's: a cache there cannot be
 * overwritten, so it saves a new one only when this name changes; GitLab overwrites its one cache per branch).
 */
function recipeCacheName(block: string): string | undefined {
  return /^\s*run:\s*(.*\$GITHUB_OUTPUT.*)$/m.exec(block)?.[1];
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
    const block = recipe(heading);
    const commands = recipeCommands(block);
    expect(commands).toHaveLength(2);
    const cache = recipeCache(block);
    // The cache step keeps the very folder the scans write to (else every pipeline starts empty).
    expect(cache.scans).toBe('.ocellus-cache');
    expect(cache.saved?.replace(/\/$/, '')).toBe(cache.scans);
    const home = isolatedHome(`registry=${registry}\n`);
    const dir = await pullRequest(home);
    // `ocellus` on PATH, as the recipe's install step leaves it.
    const bin = mkdtempSync(join(tmpdir(), 'ocellus-bin-'));
    writeFileSync(join(bin, 'ocellus'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(bin, 'ocellus'), 0o755);
    /** One pipeline: the recipe's commands in the checkout, with npm's cache at `npmCache`. */
    const pipeline = async (npmCache: string) => {
      const env = {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: home.home,
        npm_config_userconfig: join(home.home, '.npmrc'),
        npm_config_cache: npmCache,
        BASE_REF: 'main',
        NO_COLOR: '1',
        OCELLUS_CACHE_DIR: cache.scans ?? '',
      };
      const codes: number[] = [];
      for (const command of commands) {
        const code = await promisify(execFile)('sh', ['-c', command], { cwd: dir, env })
          .then(() => 0)
          .catch((error: { code?: number }) => error.code ?? 1);
        codes.push(code);
      }
      let cacheName: string | undefined;
      if (nameStep) {
        const output = join(dir, '.github-output');
        writeFileSync(output, '');
        await promisify(execFile)('bash', ['-e', '-c', nameStep], {
          cwd: dir,
          env: { ...env, GITHUB_OUTPUT: output },
        });
        cacheName = /^key=(.+)$/m.exec(readFileSync(output, 'utf8'))?.[1];
      }
      const sarif = JSON.parse(readFileSync(join(dir, sarifFile), 'utf8'));
      return {
        codes,
        flagged: sarif.runs[0].results
          .map((result: { properties: { package: string } }) => result.properties.package)
          .sort(),
        comment: readFileSync(join(dir, 'ocellus.md'), 'utf8'),
        cacheName,
      };
    };
    const nameStep = recipeCacheName(block);
    // The pipeline of main, before the pull request: its cache is the one the pull request starts from.
    git(dir, 'checkout', '-q', 'main');
    const onMain = await pipeline(home.cache);
    git(dir, 'checkout', '-q', 'feature');
    const first = await pipeline(home.cache);
    expect(first.codes).toEqual([0, 1]);
    expect(first.flagged).toEqual(expect.arrayContaining(['data-collector', 'git-shortcuts']));
    expect(first.comment).toContain('BLOCK');
    expect(first.comment).toContain('git-shortcuts@1.2.0');
    expect(first.comment).not.toContain('data-collector');
    expect(existsSync(join(dir, '.ocellus-cache', 'analysis-v1'))).toBe(true);

    // The next pipeline on a fresh runner: npm's cache empty, the analysis cache restored.
    const freshNpmCache = join(mkdtempSync(join(tmpdir(), 'ocellus-runner-')), 'npm');
    const second = await pipeline(freshNpmCache);
    // The same results, and (GitHub) the same name for the folder: nothing new was analysed, no new cache saved.
    expect(second).toEqual(first);
    if (nameStep) {
      expect(first.cacheName).toMatch(/^ocellus-[0-9a-f]{32}$/);
      // The pull request analysed a package main had not: its folder is saved under a name of its own.
      expect(onMain.cacheName).toMatch(/^ocellus-[0-9a-f]{32}$/);
      expect(first.cacheName).not.toBe(onMain.cacheName);
    } else {
      expect(heading).toContain('GitLab');
    }
    // No tarball was downloaded: npm's cache never received one.
    expect(existsSync(join(freshNpmCache, '_cacache', 'content-v2'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';

const fixture = new URL('../../fixtures/projects/monorepo/', import.meta.url).pathname;

/** What `npm install --package-lock-only --ignore-scripts` writes: a lockfile, and nothing installed. */
export async function lock(dir: string, registry: string, cache: string): Promise<void> {
  await new Arborist({ path: dir, registry, packageLockOnly: true, ignoreScripts: true, cache }).reify();
}

/** git in a test repository, with an identity of its own. */
export function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=ci@example.invalid', '-c', 'user.name=ci', ...args], { cwd: dir });
}

/** The fixture monorepo, locked against the test registry and committed on `main` in a fresh repository. */
export async function lockedMonorepo(registry: string, cache: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ocellus-mono-'));
  cpSync(fixture, dir, { recursive: true });
  await lock(dir, registry, cache);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'main');
  return dir;
}

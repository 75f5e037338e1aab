import { describe, expect, it } from 'vitest';
import { expandedScript, installHooks } from '../../src/facts/install-hooks.js';

describe('installHooks', () => {
  it('follows the package scripts a hook starts by name, with npm, pnpm, bun and yarn', () => {
    const hooks = installHooks({
      postinstall: 'npm run setup && yarn assets',
      setup: 'pnpm run --silent compile',
      compile: 'node build/compile.js',
      assets: 'bun run fonts',
      fonts: 'node fonts.js',
      test: 'vitest',
    });
    expect(hooks.map((hook) => hook.hook)).toEqual(['postinstall']);
    expect(hooks[0]?.runs.map((run) => run.name)).toEqual(['setup', 'compile', 'assets', 'fonts']);
    expect(expandedScript(hooks[0] as never)).toBe(
      'npm run setup && yarn assets ; pnpm run --silent compile ; node build/compile.js ; bun run fonts ; node fonts.js',
    );
  });

  it("leaves yarn's own commands and scripts that do not exist alone, and stops at a loop", () => {
    const [hook] = installHooks({
      preinstall: 'yarn install --frozen-lockfile && npm run missing && npm run a',
      install: 'echo hi',
      a: 'npm run a',
    });
    expect(hook?.runs).toEqual([{ name: 'a', script: 'npm run a' }]);
  });

  it('reads only preinstall, install and postinstall (npm does not run prepare for a registry package)', () => {
    expect(installHooks({ prepare: 'npm run build', build: 'tsc', test: 'vitest' })).toEqual([]);
  });
});

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { applyFixtureHistories, publishFixtures, startRegistry } from './registry.js';

declare module 'vitest' {
  export interface ProvidedContext {
    registryUrl: string;
    registryStorage: string;
  }
}

const fixturesDir = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'fixtures');

export default async function setup(project: TestProject) {
  const registry = await startRegistry();
  await publishFixtures(registry.url, fixturesDir);
  await applyFixtureHistories(registry.storage, fixturesDir);
  project.provide('registryUrl', registry.url);
  project.provide('registryStorage', registry.storage);
  return async () => {
    await registry.stop();
    // The canary fixture writes these from every lifecycle hook and module body: after the whole run (every
    // command, every fixture), none may exist.
    const markers = readdirSync(tmpdir()).filter((name) => name.startsWith('ocellus-canary-'));
    if (markers.length > 0)
      throw new Error(`package code ran during the tests: ${markers.join(', ')} in ${tmpdir()}`);
  };
}

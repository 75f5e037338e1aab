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
  return () => registry.stop();
}

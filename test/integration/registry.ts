import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Arborist from '@npmcli/arborist';
import { publish } from 'libnpmpublish';
import pacote from 'pacote';
import semver from 'semver';
import { runServer } from 'verdaccio';

export interface TestRegistry {
  url: string;
  /** Verdaccio's storage folder: tests may tamper with stored tarballs to fake a lying registry. */
  storage: string;
  stop(): Promise<void>;
}

/** A real npm registry (Verdaccio) on 127.0.0.1 with a random port, proxying nothing. */
export async function startRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'ocellus-registry-'));
  const storage = join(dir, 'storage');
  const server: Server = await runServer({
    self_path: dir,
    storage,
    uplinks: {},
    packages: {
      '@*/*': { access: '$all', publish: '$all', unpublish: '$all' },
      '**': { access: '$all', publish: '$all', unpublish: '$all' },
    },
    max_body_size: '100mb',
    log: { type: 'stdout', format: 'json', level: 'silent' },
    // biome-ignore lint/suspicious/noExplicitAny: verdaccio's config type lives in a package it does not ship
  } as any);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    storage,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Folders under fixtures/ that hold a package: `name/<version>/` or `@scope/name/<version>/`. */
export async function fixturePackages(fixturesDir: string): Promise<string[]> {
  const packages: string[] = [];
  for (const entry of await readdir(fixturesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of await readdir(join(fixturesDir, entry.name)))
        packages.push(join(entry.name, scoped));
    } else {
      packages.push(entry.name);
    }
  }
  return packages;
}

/** Publishes every version folder of every fixture, oldest first, packed without running any script. */
export async function publishFixtures(registryUrl: string, fixturesDir: string): Promise<number> {
  let published = 0;
  for (const pkg of await fixturePackages(fixturesDir)) {
    const versions = (await readdir(join(fixturesDir, pkg)))
      .filter((v) => semver.valid(v))
      .sort(semver.compare);
    for (const version of versions) {
      const dir = join(fixturesDir, pkg, version);
      if (!(await stat(join(dir, 'package.json')).catch(() => undefined))) continue;
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      const tarball = await pacote.tarball(`file:${dir}`, { ignoreScripts: true, Arborist });
      await publish(manifest, tarball, { registry: registryUrl, defaultTag: 'latest' });
      published++;
    }
  }
  return published;
}

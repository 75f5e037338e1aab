import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * What a fixture's `registry.json` may say about its history, applied to Verdaccio's stored document so the
 * real registry serves it: when it was published, by whom, with or without provenance, and a registry
 * manifest that differs from the tarball's (manifest confusion).
 */
interface FixtureHistory {
  createdDaysAgo?: number;
  versions?: Record<
    string,
    {
      publishedDaysAgo?: number;
      publisher?: string;
      maintainers?: string[];
      provenance?: boolean;
      deprecated?: string;
      registryManifest?: Record<string, unknown>;
    }
  >;
}

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_AUTHOR = 'fixture-author';

/**
 * Gives every published fixture a registry history. By default a fixture is an established package: first
 * published 400 days ago, a release a week, by one maintainer, so only fixtures that opt in look new.
 */
export async function applyFixtureHistories(
  storage: string,
  fixturesDir: string,
  now = Date.now(),
): Promise<void> {
  for (const pkg of await fixturePackages(fixturesDir)) {
    const documentPath = join(storage, pkg, 'package.json');
    const raw = await readFile(documentPath, 'utf8').catch(() => undefined);
    if (!raw) continue;
    const history: FixtureHistory = JSON.parse(
      (await readFile(join(fixturesDir, pkg, 'registry.json'), 'utf8').catch(() => undefined)) ?? '{}',
    );
    const doc = JSON.parse(raw) as {
      time: Record<string, string>;
      versions: Record<string, Record<string, unknown>>;
    };
    const versions = Object.keys(doc.versions).sort(semver.compare);
    const createdDaysAgo = history.createdDaysAgo ?? 400;
    const step = Math.min(7, createdDaysAgo / (versions.length + 1));
    doc.time.created = new Date(now - createdDaysAgo * DAY).toISOString();
    versions.forEach((version, index) => {
      const override = history.versions?.[version] ?? {};
      const daysAgo = override.publishedDaysAgo ?? createdDaysAgo - index * step;
      doc.time[version] = new Date(now - daysAgo * DAY).toISOString();
      const manifest = doc.versions[version] as Record<string, unknown> & { dist: Record<string, unknown> };
      const publisher = override.publisher ?? DEFAULT_AUTHOR;
      manifest._npmUser = { name: publisher, email: `${publisher}@example.invalid` };
      manifest.maintainers = (override.maintainers ?? [publisher]).map((name) => ({
        name,
        email: `${name}@example.invalid`,
      }));
      if (override.provenance) {
        manifest.dist.attestations = {
          url: `https://registry.example.invalid/-/npm/v1/attestations/${pkg}@${version}`,
          provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
        };
      }
      if (override.deprecated) manifest.deprecated = override.deprecated;
      Object.assign(manifest, override.registryManifest ?? {});
    });
    doc.time.modified = doc.time[versions.at(-1) ?? ''] ?? doc.time.created;
    await writeFile(documentPath, JSON.stringify(doc));
  }
}

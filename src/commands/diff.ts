import semver from 'semver';
import { CHECKS } from '../checks/index.js';
import { compareReleases } from '../diff/compare.js';
import { type DependencyRecord, type ReleaseView, readRelease } from '../diff/release.js';
import { OcellusError } from '../errors.js';
import { manifestCapabilities } from '../facts/capabilities.js';
import { codeCapabilities, type FactsReuse } from '../facts/package-facts.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { fetchRelease } from '../fetch/tarball.js';
import { CAPABILITIES, type PackageContents } from '../model.js';
import { loadNpmOptions, type NpmOptions } from '../npm-config.js';
import { PackumentStore, type ReleaseRecord } from '../registry/packument.js';
import { registryFacts } from '../registry/releases.js';
import { buildReport } from '../report/build.js';
import { type ReportFormat, renderReport } from '../report/render.js';
import type { FailOn } from '../score.js';
import { isPackageName } from '../targets/spec.js';
import type { CommandIo } from './scan.js';

export interface DiffCommandOptions {
  format: ReportFormat;
  failOn: FailOn;
  registry?: string;
  color: boolean;
}

/**
 * `ocellus diff <name> <from> <to>`: the security-relevant delta between two published versions, in the scan
 * report's format (one package, its findings being the delta), so the same readers and exit codes apply.
 */
export async function runDiffCommand(
  name: string,
  from: string,
  to: string,
  options: DiffCommandOptions,
  io: CommandIo,
): Promise<number> {
  if (!isPackageName(name)) throw new OcellusError('EBADSPEC', `"${name}" is not an npm package name.`);
  for (const version of [from, to]) {
    if (!semver.valid(version))
      throw new OcellusError('EBADSPEC', `"${version}" is not an exact version (such as 1.0.15).`);
  }
  const npmOptions = await loadNpmOptions({
    cwd: io.cwd,
    env: io.env,
    overrides: { registry: options.registry },
  });
  const store = new PackumentStore(npmOptions);
  const outcome = await store.get(name);
  if (!outcome.ok) {
    if (outcome.code === 'E404')
      throw new OcellusError('ENOTFOUND_PACKAGE', `The registry has no package named "${name}".`);
    throw new OcellusError('EREGISTRY', outcome.reason);
  }
  const { index } = outcome;
  const records = [from, to].map((version) => {
    const record = index.releases.get(version);
    if (!record) {
      const known = [...index.releases.keys()].sort(semver.rcompare).slice(0, 8).join(', ');
      throw new OcellusError('ENOVERSION', `${name}@${version} is not published. Recent versions: ${known}.`);
    }
    return record;
  }) as [ReleaseRecord, ReleaseRecord];
  const [fromContents, toContents] = await Promise.all([
    fetchPublished(name, records[0], npmOptions),
    fetchPublished(name, records[1], npmOptions),
  ]);
  const next = readPublished(name, to, toContents);
  // The older release reuses the newer one's facts for every file the two share unchanged.
  const previous = readPublished(name, from, fromContents, { contents: toContents, code: next.code });
  const dependencyRecords = new Map<string, DependencyRecord>();
  const dependencies = (release: ReleaseView) => [
    ...Object.keys(stringMap(release.manifest.dependencies)),
    ...Object.keys(stringMap(release.manifest.optionalDependencies)),
  ];
  const before = new Set(dependencies(previous));
  const declared = dependencies(next).filter((dependency) => !before.has(dependency));
  await Promise.all(
    declared.map(async (dependency) => {
      const record = await store.get(dependency);
      if (record.ok) {
        dependencyRecords.set(dependency, {
          ...(record.index.created ? { created: record.index.created } : {}),
          versionCount: record.index.releases.size,
        });
      }
    }),
  );
  const facts = registryFacts(index, to, new Date());
  const { findings, failures } = compareReleases({
    name,
    previous: previous,
    next: next,
    checks: CHECKS,
    dependencyRecord: (dependency) => dependencyRecords.get(dependency),
    ...(facts ? { registry: { ...facts, previous: records[0] } } : {}),
  });
  const capabilities = [
    ...manifestCapabilities(next.manifest, next.contents),
    ...codeCapabilities(next.code),
  ];
  // Files either release could not read leave the comparison partial: never a clean delta.
  for (const release of [previous, next])
    for (const failure of release.code.failures)
      failures.push(`${release.version} ${failure.path}: ${failure.reason}`);
  const incomplete = failures.length
    ? [{ name, version: to, code: 'ECHECK', reason: `not everything could be read: ${failures.join('; ')}` }]
    : [];
  const { report, judgement } = buildReport(
    {
      target: `${name} ${from}..${to}`,
      roots: [name],
      packages: [
        {
          name,
          version: to,
          integrity: records[1].integrity ?? null,
          paths: [[name]],
          capabilities: CAPABILITIES.filter((capability) => capabilities.includes(capability)),
          findings,
        },
      ],
      incomplete,
      skippedForPlatform: [],
    },
    { toolVersion: io.toolVersion, failOn: options.failOn, allowIncomplete: false },
  );
  io.stdout.write(renderReport(report, options.format, { color: options.color }));
  return judgement.exitCode;
}

async function fetchPublished(
  name: string,
  record: ReleaseRecord,
  npmOptions: NpmOptions,
): Promise<PackageContents> {
  const fetched = await fetchRelease(name, record, npmOptions, DEFAULT_LIMITS);
  if (!fetched.ok)
    throw new OcellusError('EREGISTRY', `Could not read ${name}@${record.version}: ${fetched.reason}`);
  return fetched.contents;
}

function readPublished(
  name: string,
  version: string,
  contents: PackageContents,
  reuse?: FactsReuse,
): ReleaseView {
  const read = readRelease(version, contents, reuse);
  if (!read.ok) throw new OcellusError('EREGISTRY', `Could not read ${name}@${version}: ${read.reason}`);
  return read.release;
}

function stringMap(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

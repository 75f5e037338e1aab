import { describe, expect, it } from 'vitest';
import { coversVersions, indexPackument, slimIndex } from '../../src/registry/packument.js';
import { previousRelease, registryFacts, releaseKind } from '../../src/registry/releases.js';

/** A full packument as the registry sends it: versions with manifests, and publish times. */
function packument(versions: Record<string, string | null>, extra: Record<string, unknown> = {}) {
  const time: Record<string, string> = {
    created: '2024-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
  };
  const docs: Record<string, unknown> = {};
  for (const [version, published] of Object.entries(versions)) {
    if (published) time[version] = published;
    docs[version] = {
      name: 'pkg',
      version,
      dist: { integrity: `sha512-${version}`, tarball: `https://r/pkg-${version}.tgz` },
    };
  }
  return {
    name: 'pkg',
    'dist-tags': { latest: Object.keys(versions).at(-1) },
    versions: docs,
    time,
    ...extra,
  };
}

describe('previousRelease: the release a version replaced', () => {
  const index = indexPackument(
    packument({
      '1.0.0': '2024-01-01T00:00:00.000Z',
      '1.0.1': '2024-02-01T00:00:00.000Z',
      '1.1.0': '2024-03-01T00:00:00.000Z',
      '2.0.0-rc.1': '2024-04-01T00:00:00.000Z',
      '2.0.0': '2024-05-01T00:00:00.000Z',
      // A backport published after 2.0.0: not what 2.0.0 replaced.
      '1.1.1': '2024-06-01T00:00:00.000Z',
      '2.0.1-beta.0': '2024-07-01T00:00:00.000Z',
    }),
  );
  it.each([
    ['1.0.1', '1.0.0'],
    ['1.1.0', '1.0.1'],
    ['2.0.0', '1.1.0'], // skips the prerelease and the later backport
    ['2.0.0-rc.1', '1.1.0'],
    ['1.1.1', '1.1.0'],
    ['2.0.1-beta.0', '2.0.0'],
  ])('%s replaced %s', (version, expected) => {
    expect(previousRelease(index, version)?.version).toBe(expected);
  });

  it('a first release has none', () => {
    expect(previousRelease(index, '1.0.0')).toBeUndefined();
  });

  it('skips unpublished versions: the time map lists them, the versions do not', () => {
    const doc = packument({ '1.0.0': '2024-01-01T00:00:00.000Z', '1.0.2': '2024-03-01T00:00:00.000Z' });
    (doc.time as Record<string, string>)['1.0.1'] = '2024-02-01T00:00:00.000Z';
    const trimmed = indexPackument(doc);
    expect(trimmed.unpublished).toEqual(['1.0.1']);
    expect(previousRelease(trimmed, '1.0.2')?.version).toBe('1.0.0');
  });

  it('falls back to semver alone when a mirror trims the times', () => {
    const untimed = indexPackument(packument({ '1.0.0': null, '1.2.0': null, '1.1.0': null }));
    expect(previousRelease(untimed, '1.2.0')?.version).toBe('1.1.0');
  });
});

describe('indexPackument', () => {
  it('keeps publisher, maintainers, provenance, deprecation and the manifest parts the checks compare', () => {
    const index = indexPackument({
      name: 'pkg',
      time: { created: '2024-01-01T00:00:00.000Z', '1.0.0': '2024-01-01T00:00:00.000Z' },
      versions: {
        '1.0.0': {
          name: 'pkg',
          version: '1.0.0',
          _npmUser: { name: 'alice', email: 'a@example.com' },
          maintainers: [{ name: 'alice' }, 'bob <b@example.com>'],
          deprecated: 'use pkg2',
          scripts: { postinstall: 'node x.js', test: 'vitest' },
          dependencies: { a: '^1.0.0' },
          optionalDependencies: { b: '^2.0.0' },
          bin: './cli.js',
          repository: { type: 'git', url: 'git+https://github.com/o/pkg.git' },
          dist: {
            integrity: 'sha512-x',
            tarball: 'https://r/pkg.tgz',
            attestations: {
              url: 'https://r/att',
              provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
            },
          },
        },
        'not-a-version': { name: 'pkg' },
      },
    });
    expect(index.releases.size).toBe(1);
    expect(index.releases.get('1.0.0')).toMatchObject({
      publisher: 'alice',
      maintainers: ['alice', 'bob'],
      provenance: true,
      deprecated: 'use pkg2',
      integrity: 'sha512-x',
      manifest: {
        scripts: { postinstall: 'node x.js', test: 'vitest' },
        dependencies: { a: '^1.0.0', b: '^2.0.0' },
        bin: { pkg: 'cli.js' },
        repository: 'git+https://github.com/o/pkg.git',
      },
    });
  });

  it('survives a hostile or trimmed document: nothing becomes a finding by being missing', () => {
    for (const doc of [null, 'text', [], { versions: 'x' }, { versions: { '1.0.0': null } }]) {
      expect(() => indexPackument(doc)).not.toThrow();
    }
    const facts = registryFacts(
      indexPackument({ name: 'p', versions: { '1.0.0': {} } }),
      '1.0.0',
      new Date(),
    );
    expect(facts).toMatchObject({
      versionCount: 1,
      release: { version: '1.0.0', maintainers: [], provenance: false },
    });
    expect(facts?.created).toBeUndefined();
  });
});

describe('releaseKind', () => {
  it.each([
    ['1.0.15', '1.0.16', 'patch'],
    ['1.2.0', '1.3.0', 'minor'],
    ['1.4.2', '2.0.0', 'major'],
    ['0.3.1', '0.4.0', 'major'], // 0.x minors break by npm's rules
    ['0.0.1', '0.0.2', 'major'],
    ['0.3.1', '0.3.2', 'patch'],
  ])('%s → %s is %s', (from, to, kind) => {
    expect(releaseKind(from, to)).toBe(kind);
  });
});

describe('registry manifests: missing is unknown, empty is empty', () => {
  it('a full document without scripts has none; an abbreviated one does not say', () => {
    const index = indexPackument({
      name: 'p',
      versions: {
        '1.0.0': { _id: 'p@1.0.0', name: 'p', version: '1.0.0', bin: './bin//p.js' },
        '1.0.1': { name: 'p', version: '1.0.1' },
      },
    });
    expect(index.releases.get('1.0.0')?.manifest).toMatchObject({
      scripts: {},
      dependencies: {},
      bin: { p: 'bin/p.js' },
    });
    expect(index.releases.get('1.0.1')?.manifest.scripts).toBeUndefined();
  });
});

describe('publish times a mirror made up', () => {
  it('times that disagree with version order for most versions are not trusted: semver alone decides', () => {
    // Ingest times: later versions stamped earlier about half the time, as a re-syncing mirror leaves them.
    const stamps = [
      '2024-06-01',
      '2024-01-01',
      '2024-05-01',
      '2024-02-01',
      '2024-04-01',
      '2024-03-01',
      '2024-08-01',
      '2024-07-01',
      '2024-10-01',
      '2024-09-01',
      '2024-12-01',
      '2024-11-01',
    ];
    const versions = Object.fromEntries(stamps.map((day, minor) => [`1.${minor}.0`, `${day}T00:00:00.000Z`]));
    const index = indexPackument(packument(versions));
    expect(index.timesTrusted).toBe(false);
    expect(previousRelease(index, '1.5.0')?.version).toBe('1.4.0');
    expect(registryFacts(index, '1.5.0', new Date('2024-03-02'))?.timesTrusted).toBe(false);
  });

  it('a few backports do not make the real registry untrusted', () => {
    const stamps = [
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
      '2024-04-01',
      '2024-05-01',
      '2024-06-01',
      '2024-07-01',
      '2024-08-01',
      '2024-02-15',
      '2024-09-01',
      '2024-10-01',
    ];
    const versions = Object.fromEntries(stamps.map((day, minor) => [`1.${minor}.0`, `${day}T00:00:00.000Z`]));
    expect(indexPackument(packument(versions)).timesTrusted).toBe(true);
  });
});

describe('slimIndex: whole records only where the scan looks', () => {
  const index = indexPackument(
    packument({
      '1.0.0': '2024-01-01T00:00:00.000Z',
      '1.1.0': '2024-02-01T00:00:00.000Z',
      '1.2.0': '2024-03-01T00:00:00.000Z',
      '2.0.0': '2024-04-01T00:00:00.000Z',
    }),
  );
  const slim = slimIndex(index, new Set(['1.2.0']));

  it('keeps the wanted version and the release it replaced whole, the rest as version and time', () => {
    expect(slim.releases.get('1.2.0')).toEqual(index.releases.get('1.2.0'));
    expect(slim.releases.get('1.1.0')).toEqual(index.releases.get('1.1.0'));
    expect(slim.releases.get('2.0.0')?.integrity).toBeUndefined();
    expect(slim.releases.size).toBe(index.releases.size);
  });

  it('gives the same registry facts for the wanted version as the whole index', () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    expect(registryFacts(slim, '1.2.0', at)).toEqual(registryFacts(index, '1.2.0', at));
  });

  it('indexing a document for the wanted versions gives the slimmed index without building the rest', () => {
    const doc = packument({
      '1.0.0': '2024-01-01T00:00:00.000Z',
      '1.1.0': '2024-02-01T00:00:00.000Z',
      '1.2.0': '2024-03-01T00:00:00.000Z',
      '1.2.1-beta.1': '2024-03-15T00:00:00.000Z',
      '2.0.0': '2024-04-01T00:00:00.000Z',
      '1.1.1': '2024-05-01T00:00:00.000Z',
    });
    for (const wanted of [['1.2.0'], ['2.0.0', '1.0.0'], ['1.2.1-beta.1'], ['9.9.9']]) {
      const set = new Set(wanted);
      expect(indexPackument(doc, set), wanted.join()).toEqual(slimIndex(indexPackument(doc), set));
    }
  });

  it('knows which versions it can answer for, so a stored slim index is not used for others', () => {
    expect(coversVersions(slim, new Set(['1.2.0']))).toBe(true);
    expect(coversVersions(slim, new Set(['2.0.0']))).toBe(false);
    expect(coversVersions(index, new Set(['2.0.0']))).toBe(true);
    // A version published after the index was stored: the registry must be asked.
    expect(coversVersions(index, new Set(['2.1.0']))).toBe(false);
    expect(coversVersions(slim, new Set(['1.2.0', '2.1.0']))).toBe(false);
  });
});

import pickManifest from 'npm-pick-manifest';
import { describe, expect, it } from 'vitest';
import { installView } from '../../src/registry/install-view.js';

/** A full registry document as the registry sends it, trimmed to two versions. */
const FULL = {
  _id: 'tool',
  _rev: '12-abc',
  name: 'tool',
  readme: '# tool\n'.repeat(1000),
  maintainers: [{ name: 'owner', email: 'owner@example.com' }],
  'dist-tags': { latest: '2.1.0' },
  time: {
    created: '2024-01-01T00:00:00.000Z',
    '2.0.0': '2024-02-01T00:00:00.000Z',
    '2.1.0': '2024-03-01T00:00:00.000Z',
  },
  versions: {
    '2.0.0': {
      name: 'tool',
      version: '2.0.0',
      description: 'a tool',
      scripts: { postinstall: 'node setup.js' },
      _npmUser: { name: 'owner' },
      dependencies: { left: '^1.0.0' },
      optionalDependencies: { 'native-linux': '1.0.0' },
      peerDependencies: { host: '>=3' },
      peerDependenciesMeta: { host: { optional: true } },
      engines: { node: '>=18' },
      os: ['linux'],
      cpu: ['x64'],
      libc: ['glibc'],
      hasInstallScript: true,
      dist: {
        tarball: 'https://registry.example/tool/-/tool-2.0.0.tgz',
        integrity: 'sha512-aaa',
        shasum: 'abc',
        fileCount: 12,
        attestations: { url: 'https://registry.example/attestations/tool@2.0.0' },
      },
    },
    '2.1.0': {
      name: 'tool',
      version: '2.1.0',
      deprecated: 'broken, use 2.0.0',
      dependencies: { left: '^1.0.0' },
      dist: { tarball: 'https://registry.example/tool/-/tool-2.1.0.tgz', integrity: 'sha512-bbb' },
    },
  },
};

describe('installView', () => {
  it('keeps what resolving a tree reads and drops publishers, scripts and readmes', () => {
    const view = installView(FULL) as unknown as typeof FULL;
    expect(view['dist-tags']).toEqual(FULL['dist-tags']);
    expect(view.time).toEqual(FULL.time);
    expect(view).not.toHaveProperty('readme');
    expect(view).not.toHaveProperty('maintainers');
    const release = view.versions['2.0.0'];
    for (const field of [
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'peerDependenciesMeta',
      'engines',
      'os',
      'cpu',
      'libc',
      'hasInstallScript',
    ] as const)
      expect(release[field]).toEqual(FULL.versions['2.0.0'][field]);
    expect(release.dist).toEqual({
      tarball: FULL.versions['2.0.0'].dist.tarball,
      integrity: 'sha512-aaa',
      shasum: 'abc',
    });
    expect(release).not.toHaveProperty('scripts');
    expect(release).not.toHaveProperty('_npmUser');
    expect(release).not.toHaveProperty('description');
  });

  it('leads npm to pick the same version as the full document: not the deprecated latest', () => {
    const full = pickManifest(FULL as never, '^2.0.0');
    const viewed = pickManifest(installView(FULL), '^2.0.0');
    expect(viewed.version).toBe('2.0.0');
    expect(viewed.version).toBe(full.version);
  });

  it('reads a hostile or broken document as one with no versions, never throwing', () => {
    for (const junk of [null, 'text', [], { versions: 'x' }, { versions: { '1.0.0': null, '2.0.0': [] } }])
      expect(installView(junk).versions).toEqual({});
    expect(installView({ versions: { '1.0.0': { dist: 'x', version: '1.0.0' } } }).versions).toEqual({
      '1.0.0': { version: '1.0.0' },
    });
  });
});

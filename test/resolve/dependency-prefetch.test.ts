import type { Packument } from 'pacote';
import { describe, expect, it } from 'vitest';
import { DependencyPrefetch, dependencyRanges } from '../../src/resolve/dependency-prefetch.js';

/** A registry document: versions with their dependency fields, `latest` on the given version (else the last). */
function documentOf(
  name: string,
  versions: Record<string, Record<string, unknown>>,
  latest = Object.keys(versions).at(-1) as string,
): Packument {
  return {
    name,
    'dist-tags': { latest },
    versions: Object.fromEntries(
      Object.entries(versions).map(([version, fields]) => [version, { name, version, ...fields }]),
    ),
  } as unknown as Packument;
}

function prefetchLog() {
  const requested: string[] = [];
  const picked: string[] = [];
  const prefetch = new DependencyPrefetch(
    (name) => requested.push(name),
    {},
    (name, version) => picked.push(`${name}@${version}`),
  );
  return { requested, picked, prefetch };
}

describe('DependencyPrefetch', () => {
  it('requests the dependencies of the version npm would pick, as soon as a document arrives', () => {
    const { requested, picked, prefetch } = prefetchLog();
    prefetch.want('app', '^1.0.0');
    expect(requested).toEqual(['app']);
    prefetch.documentArrived(
      documentOf(
        'app',
        {
          '1.0.0': { dependencies: { old: '^1.0.0' } },
          '1.4.0': { dependencies: { lib: '^2.0.0' }, optionalDependencies: { fsevents: '^2.3.0' } },
          // latest is outside ^1: npm picks 1.4.0, the highest release the range allows
          '2.0.0': { dependencies: { next: '^1.0.0' } },
        },
        '2.0.0',
      ),
    );
    expect(requested).toEqual(['app', 'lib', 'fsevents']);
    // The version picked is told, for the scan to start on it before the tree is known.
    expect(picked).toEqual(['app@1.4.0']);
  });

  it('follows a dependency whose document came first once a range for it is known', () => {
    const { requested, prefetch } = prefetchLog();
    prefetch.documentArrived(documentOf('lib', { '2.1.0': { dependencies: { leaf: '~3.0.0' } } }));
    expect(requested).toEqual([]);
    prefetch.want('lib', '^2.0.0');
    expect(requested).toEqual(['lib', 'leaf']);
  });

  it('asks for each name once and follows each version once, so cycles end', () => {
    const { requested, picked, prefetch } = prefetchLog();
    prefetch.want('a', '^1.0.0');
    prefetch.documentArrived(documentOf('a', { '1.0.0': { dependencies: { b: '^1.0.0' } } }));
    prefetch.documentArrived(documentOf('b', { '1.0.0': { dependencies: { a: '1.x' } } }));
    prefetch.want('a', '^1.0.0');
    expect(requested).toEqual(['a', 'b']);
    expect(picked).toEqual(['a@1.0.0', 'b@1.0.0']);
  });

  it('requests nothing once resolution is over', () => {
    const { requested, prefetch } = prefetchLog();
    prefetch.want('a', '^1.0.0');
    prefetch.close();
    prefetch.documentArrived(documentOf('a', { '1.0.0': { dependencies: { b: '^1.0.0' } } }));
    prefetch.want('c', '^1.0.0');
    expect(requested).toEqual(['a']);
  });

  it('ignores a range no version satisfies (Arborist reports it) and a document nobody asked for', () => {
    const { requested, prefetch } = prefetchLog();
    prefetch.want('a', '^9.0.0');
    prefetch.documentArrived(documentOf('a', { '1.0.0': { dependencies: { b: '^1.0.0' } } }));
    prefetch.documentArrived(documentOf('unrelated', { '1.0.0': { dependencies: { c: '^1.0.0' } } }));
    expect(requested).toEqual(['a']);
  });
});

describe('dependencyRanges', () => {
  it('reads what npm installs from the registry: aliases by their target, never git, file or URL specs', () => {
    expect(
      dependencyRanges({
        dependencies: {
          plain: '^1.2.0',
          tagged: 'next',
          aliased: 'npm:real-name@^4.0.0',
          fromGit: 'github:someone/repo#main',
          fromFile: 'file:../local',
          fromUrl: 'https://example.com/x.tgz',
          notAString: 42,
        },
      }),
    ).toEqual([
      ['plain', '^1.2.0'],
      ['tagged', 'next'],
      ['real-name', '^4.0.0'],
    ]);
  });

  it('leaves out bundled dependencies (they ship inside the tarball) and optional peers', () => {
    expect(
      dependencyRanges({
        dependencies: { bundled: '^1.0.0', fetched: '^1.0.0' },
        bundleDependencies: ['bundled'],
        peerDependencies: { react: '^18.0.0', 'react-dom': '^18.0.0' },
        peerDependenciesMeta: { 'react-dom': { optional: true } },
      }),
    ).toEqual([
      ['fetched', '^1.0.0'],
      ['react', '^18.0.0'],
    ]);
    expect(dependencyRanges({ dependencies: { a: '^1.0.0' }, bundledDependencies: true })).toEqual([]);
  });
});

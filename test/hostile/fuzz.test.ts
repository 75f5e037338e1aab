import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { runChecks } from '../../src/checks/run.js';
import { jsFileFacts } from '../../src/facts/js-facts.js';
import { DEFAULT_LIMITS } from '../../src/fetch/limits.js';
import { UnpackError, unpackTarball } from '../../src/fetch/unpack.js';
import { serversInConfig } from '../../src/mcp/servers.js';
import { contextOf } from '../helpers/package-builder.js';
import { makeTarball } from '../helpers/tarball.js';

const limits = { ...DEFAULT_LIMITS, maxEntries: 200, maxFileBytes: 64 * 1024, maxPackageBytes: 512 * 1024 };
/** A bounded number of cases, so the suite stays fast in CI; failures print a reproducible seed. */
const runs = { numRuns: 150 };

describe('fuzz: the tar reader', () => {
  it('random bytes are read or refused with an UnpackError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        try {
          await unpackTarball(bytes, limits);
        } catch (error) {
          expect(error).toBeInstanceOf(UnpackError);
        }
      }),
      runs,
    );
  });

  it('tarballs with hostile names, types and corrupted bytes never put a path outside the package', async () => {
    const entry = fc.record({
      path: fc.oneof(
        fc.string({ maxLength: 60 }),
        fc.constantFrom('../x', '/etc/passwd', 'package/../../y', 'a\\..\\..\\z', 'package/ok.js'),
      ),
      body: fc.string({ maxLength: 200 }),
      type: fc.constantFrom('File' as const, 'SymbolicLink' as const, 'Link' as const, 'Directory' as const),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        async (entries, at, value) => {
          let tarball: Buffer;
          try {
            tarball = makeTarball(entries.map((item) => ({ ...item, linkpath: 'target' })));
          } catch {
            return; // the header encoder refused the name: not a tarball anyone can publish
          }
          if (tarball.length > 0) tarball[at % tarball.length] = value;
          try {
            const contents = await unpackTarball(tarball, limits);
            for (const path of contents.files.keys()) {
              expect(path.startsWith('/') || path.split(/[\\/]/).includes('..')).toBe(false);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(UnpackError);
          }
        },
      ),
      runs,
    );
  });
});

describe('fuzz: the facts extractor and the checks', () => {
  const jsLike = fc.stringMatching(/^[\w\s(){}[\];.,'"`+\-*/=<>!&|?:$\\]{0,400}$/);
  it('any text gives facts (parsed, recovered or tokens), never a crash', () => {
    fc.assert(
      fc.property(
        fc.oneof(jsLike, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 })),
        (text) => {
          const facts = jsFileFacts('index.js', text);
          expect(['parsed', 'recovered', 'tokens']).toContain(facts.parse);
        },
      ),
      runs,
    );
  });

  it('every check runs on any package without throwing', () => {
    fc.assert(
      fc.property(jsLike, fc.string({ maxLength: 200 }), (code, description) => {
        const failures: string[] = [];
        runChecks(
          contextOf({
            manifest: {
              scripts: { postinstall: description },
              bin: description,
              dependencies: { mcp: description },
            },
            files: {
              'index.js': code,
              'tool.js': `server.tool('t', ${JSON.stringify(description)}, {}, f);`,
            },
          }),
          CHECKS,
          failures,
        );
        expect(failures).toEqual([]);
      }),
      runs,
    );
  });

  it('any MCP config text is read or refused with a clear error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 300 })), (text) => {
        try {
          serversInConfig(text, { client: 'fuzz', path: '/f.json', format: 'jsonc', shape: 'any' });
        } catch (error) {
          expect((error as Error).name).toBe('Error');
          expect((error as Error).message).toMatch(/not valid JSON/);
        }
      }),
      runs,
    );
  });
});

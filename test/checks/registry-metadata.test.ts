import { registryMetadata } from '../../src/checks/registry-metadata.js';
import { testCheck } from '../helpers/check-tester.js';
import { registryOf, releaseRecord } from '../helpers/package-builder.js';

const files = { 'index.js': 'module.exports = (a, b) => a + b;\n' };
const pkg = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  name,
  version,
  manifest: { name, version, repository: `github:someone/${name.replace(/^@.*\//, '')}`, ...extra },
  files,
});
const withProvenance = releaseRecord('1.1.0', { provenance: true, publishedDaysAgo: 30 });

testCheck(registryMetadata, {
  flagged: [
    {
      label: 'a release published by an account that did not maintain the previous one',
      ...pkg('string-pad', '3.0.1'),
      registry: registryOf(
        'string-pad',
        releaseRecord('3.0.1', { publisher: 'mallory', maintainers: ['mallory'], publishedDaysAgo: 2 }),
        { previous: releaseRecord('3.0.0', { publisher: 'alice', maintainers: ['alice', 'bob'] }) },
      ),
      severity: 'medium',
      message: /3\.0\.1 was published by mallory, who did not maintain 3\.0\.0/,
    },
    {
      label: 'provenance present on the previous release and missing now, from a new account',
      ...pkg('ci-lib', '1.1.1'),
      registry: registryOf(
        'ci-lib',
        releaseRecord('1.1.1', { publisher: 'eve', maintainers: ['alice', 'eve'] }),
        {
          previous: withProvenance,
        },
      ),
      severity: 'high',
      message: /1\.1\.1 has no provenance attestation, while 1\.1\.0 was built and attested by CI/,
    },
    {
      label: 'provenance lost by the usual publisher',
      ...pkg('ci-lib', '1.1.1'),
      registry: registryOf('ci-lib', releaseRecord('1.1.1'), { previous: withProvenance }),
      severity: 'medium',
    },
    {
      label: "npm's security placeholder",
      ...pkg('evil-colors', '0.0.1-security', { description: 'security holding package' }),
      registry: registryOf(
        'evil-colors',
        releaseRecord('0.0.1-security', {
          manifest: { scripts: {}, dependencies: {}, bin: {}, description: 'security holding package' },
        }),
      ),
      severity: 'high',
    },
    {
      label: 'a 99.x version on a name with one release, with an install script (dependency confusion)',
      ...pkg('acme-auth-client', '99.10.0', { scripts: { preinstall: 'node index.js' } }),
      registry: registryOf('acme-auth-client', releaseRecord('99.10.0', { publishedDaysAgo: 1 }), {
        createdDaysAgo: 1,
        versionCount: 1,
      }),
      severity: 'critical',
      message: /dependency-confusion/,
    },
    {
      label: 'a new unscoped name that looks internal',
      ...pkg('payments-internal-sdk', '1.0.0'),
      registry: registryOf('payments-internal-sdk', releaseRecord('1.0.0', { publishedDaysAgo: 5 }), {
        createdDaysAgo: 5,
        versionCount: 1,
      }),
      severity: 'medium',
      message: /looks like a company's internal package/,
    },
    {
      label: "a new package claiming the @modelcontextprotocol servers' repository",
      ...pkg('mcp-server-filesysterm', '0.6.2', {
        repository: { type: 'git', url: 'git+https://github.com/modelcontextprotocol/servers.git' },
      }),
      registry: registryOf('mcp-server-filesysterm', releaseRecord('0.6.2', { publishedDaysAgo: 4 }), {
        createdDaysAgo: 4,
        versionCount: 2,
      }),
      severity: 'medium',
      message:
        /modelcontextprotocol\/servers as its repository, which belongs to the @modelcontextprotocol packages/,
    },
    {
      label: 'a deprecation that warns of a compromise',
      ...pkg('left-pad-x', '1.0.3'),
      registry: registryOf(
        'left-pad-x',
        releaseRecord('1.0.3', {
          deprecated: 'This version was compromised, do not use it. Upgrade to 1.0.4.',
        }),
      ),
      severity: 'medium',
    },
  ],
  clean: [
    {
      label: 'a version a mirror stamped yesterday, when its times are not publish times',
      ...pkg('express-ish', '4.21.2'),
      registry: {
        ...registryOf('express-ish', releaseRecord('4.21.2', { publishedDaysAgo: 0.5 })),
        timesTrusted: false,
      },
      cleanBelow: 'info',
    },
    {
      label: 'no registry facts (a local tarball or a trimmed mirror)',
      ...pkg('anything', '1.0.0'),
      cleanBelow: 'info',
    },
    {
      label: 'an established package whose maintainers take turns publishing',
      ...pkg('express-ish', '4.19.2'),
      registry: registryOf(
        'express-ish',
        releaseRecord('4.19.2', { publisher: 'bob', maintainers: ['alice', 'bob'] }),
        {
          previous: releaseRecord('4.19.1', { publisher: 'alice', maintainers: ['alice', 'bob'] }),
        },
      ),
      cleanBelow: 'info',
    },
    {
      label: 'a new account publishing through CI with provenance (trusted publishing)',
      ...pkg('ci-lib', '1.2.0'),
      registry: registryOf(
        'ci-lib',
        releaseRecord('1.2.0', { publisher: 'GitHub Actions', maintainers: ['alice'], provenance: true }),
        { previous: withProvenance },
      ),
      cleanBelow: 'medium',
    },
    {
      label: 'a previous release without provenance either',
      ...pkg('plain-lib', '2.0.1'),
      registry: registryOf('plain-lib', releaseRecord('2.0.1'), { previous: releaseRecord('2.0.0') }),
      cleanBelow: 'info',
    },
    {
      label: 'a high major on an established package (date-versioned releases)',
      ...pkg('calver-tool', '2024.5.1'),
      registry: registryOf('calver-tool', releaseRecord('2024.5.1'), { versionCount: 80 }),
      cleanBelow: 'info',
    },
    {
      label: 'a scoped package of the organisation that owns the repository',
      ...pkg('@modelcontextprotocol/server-notes', '0.1.0', {
        repository: 'git+https://github.com/modelcontextprotocol/servers.git',
      }),
      registry: registryOf(
        '@modelcontextprotocol/server-notes',
        releaseRecord('0.1.0', { publishedDaysAgo: 3 }),
        {
          createdDaysAgo: 3,
          versionCount: 1,
        },
      ),
      cleanBelow: 'medium',
    },
    {
      label: 'an old deprecation with an ordinary reason',
      ...pkg('request-ish', '2.88.2'),
      registry: registryOf(
        'request-ish',
        releaseRecord('2.88.2', {
          deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
        }),
      ),
      cleanBelow: 'low',
    },
  ],
});

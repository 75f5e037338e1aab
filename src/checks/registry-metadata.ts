import semver from 'semver';
import { publisherDelta } from '../diff/publisher.js';
import { scriptsOf } from '../facts/manifest.js';
import { repositoryUrl } from '../registry/packument.js';
import { daysBetween } from '../registry/releases.js';
import { MCP_SERVERS, POPULAR_PACKAGES } from '../typosquat/bundled.js';
import { type CheckContext, defineCheck, excerpt, type FindingDraft } from './check.js';
import { INSTALL_HOOKS } from './install-scripts.js';

const NEW_PACKAGE_DAYS = 30;
const NEW_VERSION_DAYS = 2;
const INTERNAL_NAME = /(?:^|[-_.])(?:internal|private|corp|intranet|infra|inhouse|priv)(?:[-_.]|$)/i;
const DEPRECATED_FOR_SAFETY = /malicious|malware|compromis|hijack|security|vulnerab|do not (?:use|install)/i;

let knownOwners: Map<string, string> | undefined;
let popularNames: Set<string> | undefined;

/** Repository owners that are a popular npm scope (`babel` → `@babel`): built once, never changes in a run. */
function ownerScopes(): Map<string, string> {
  if (!knownOwners) {
    knownOwners = new Map();
    for (const [name] of POPULAR_PACKAGES) {
      const scope = /^@([^/]+)\//.exec(name)?.[1];
      if (scope) knownOwners.set(scope.toLowerCase(), `@${scope}`);
    }
    for (const server of MCP_SERVERS) {
      for (const scope of server.scopes) {
        if (scope.startsWith('@')) knownOwners.set(scope.slice(1).toLowerCase(), scope);
      }
    }
  }
  return knownOwners;
}

function isPopular(name: string): boolean {
  popularNames ??= new Set(POPULAR_PACKAGES.map(([popular]) => popular));
  return popularNames.has(name);
}

export const registryMetadata = defineCheck({
  id: 'registry-metadata',
  scope: 'registry',
  title: 'Registry metadata',
  description: 'What the registry says about who published this version, when, and how.',
  docs: `Reads the package's registry document (packument). Reports: a package first published in the last 30
days (low) or a version published in the last two days (info: hijacked versions do their damage in the hours
before anyone notices); a release published by an account that did not maintain the previous one, maintainers
replaced wholesale, or a provenance attestation present on the previous release and missing now (the shape of
the eslint-scope, ua-parser-js and Nx account takeovers); deprecated versions; npm's security placeholder
(0.0.1-security, left where malware was removed); dependency-confusion shapes (a 99.x version on a name with
few releases, or a new unscoped name that looks internal); a repository field that claims another project's
repository. Registries and mirrors that trim fields produce no findings for what is missing. Silence a reviewed
case by raising --fail-on until the policy file lands.`,
  defaultSeverity: 'medium',
  run(ctx) {
    const registry = ctx.registry;
    if (!registry) return [];
    const findings: FindingDraft[] = [];
    const { release } = registry;
    const packageAge = daysBetween(registry.created, registry.checkedAt);
    const versionAge = registry.timesTrusted ? daysBetween(release.published, registry.checkedAt) : undefined;
    const hasInstallScript = INSTALL_HOOKS.some((hook) => scriptsOf(ctx.manifest)[hook]?.trim());

    if (
      /-security$/.test(release.version) &&
      /security holding package/i.test(release.manifest.description ?? '')
    ) {
      findings.push({
        severity: 'high',
        title: 'npm security placeholder',
        message: `${ctx.name}@${release.version} is npm's security placeholder: npm removed this package's real versions for malicious code, so whatever depends on it was built against malware.`,
        location: { file: 'package.json' },
        confidence: 'high',
      });
    }
    if (packageAge !== undefined && packageAge <= NEW_PACKAGE_DAYS) {
      findings.push({
        severity: 'low',
        title: 'New package',
        message: `${ctx.name} was first published ${ageText(packageAge)} ago and has ${registry.versionCount} version(s): too new for the community to have noticed anything wrong.`,
        location: { file: 'package.json' },
        confidence: 'high',
      });
    } else if (versionAge !== undefined && versionAge <= NEW_VERSION_DAYS) {
      findings.push({
        severity: 'info',
        title: 'New version',
        message: `${ctx.version} was published ${ageText(versionAge)} ago; hijacked releases do their harm in the hours before they are pulled.`,
        location: { file: 'package.json' },
        confidence: 'high',
      });
    }
    if (registry.previous) findings.push(...publisherDelta(registry.previous, release));
    if (release.deprecated) {
      const forSafety = DEPRECATED_FOR_SAFETY.test(release.deprecated);
      findings.push({
        severity: forSafety ? 'medium' : 'info',
        title: 'Deprecated version',
        message: `${ctx.name}@${ctx.version} is deprecated: "${excerpt(release.deprecated, 200)}".`,
        location: { file: 'package.json' },
        confidence: 'high',
      });
    }
    findings.push(...dependencyConfusion(ctx, packageAge, hasInstallScript));
    findings.push(...repositoryClaims(ctx, packageAge));
    return findings;
  },
});

function ageText(days: number): string {
  if (days < 1) return `${Math.max(1, Math.round(days * 24))} hour(s)`;
  return `${Math.round(days)} day(s)`;
}

function dependencyConfusion(
  ctx: CheckContext,
  packageAge: number | undefined,
  hasInstallScript: boolean,
): FindingDraft[] {
  const registry = ctx.registry;
  if (!registry || !semver.valid(ctx.version)) return [];
  const few = registry.versionCount <= 5;
  if (semver.major(ctx.version) >= 90 && few) {
    return [
      {
        severity: hasInstallScript ? 'critical' : 'high',
        title: 'Dependency-confusion shape',
        message: `${ctx.name}@${ctx.version} is a version ${semver.major(ctx.version)} on a name with ${registry.versionCount} release(s): dependency-confusion packages publish a huge version so that npm prefers them over a company's internal package${hasInstallScript ? ', and this one runs an install script' : ''}.`,
        location: { file: 'package.json' },
        confidence: 'medium',
      },
    ];
  }
  const young = packageAge !== undefined && packageAge <= 90;
  if (
    !ctx.name.startsWith('@') &&
    INTERNAL_NAME.test(ctx.name) &&
    registry.versionCount <= 3 &&
    young &&
    !isPopular(ctx.name)
  ) {
    return [
      {
        severity: hasInstallScript ? 'high' : 'medium',
        title: 'Internal-looking public name',
        message: `${ctx.name} is a new unscoped package with ${registry.versionCount} release(s) whose name looks like a company's internal package: if your registry setup falls back to the public registry, this is what you would get${hasInstallScript ? ', and it runs an install script' : ''}.`,
        location: { file: 'package.json' },
        confidence: 'low',
      },
    ];
  }
  return [];
}

/**
 * A package that borrows another project's repository field borrows its credibility: registry pages show the
 * stars and the source of a project that did not publish it. Established packages in monorepos do this
 * legitimately, so only young packages outside the popular list are judged.
 */
function repositoryClaims(ctx: CheckContext, packageAge: number | undefined): FindingDraft[] {
  const url = repositoryUrl(ctx.manifest?.repository);
  const young = packageAge !== undefined && packageAge <= 90;
  if (!url) {
    // Old packages without one are common; a new one asks to be trusted with nothing to check it against.
    return young
      ? [
          {
            severity: 'info',
            title: 'No repository',
            message: `${ctx.name} is new and names no source repository, so its published code cannot be compared with its source.`,
            location: { file: 'package.json' },
            confidence: 'high',
          },
        ]
      : [];
  }
  if (!young || isPopular(ctx.name) || MCP_SERVERS.some((server) => server.scopes.includes(ctx.name)))
    return [];
  const match = /(?:github|gitlab)\.com[/:]([^/\s#]+)\/([^/\s#]+?)(?:\.git)?(?:[#/]|$)/i.exec(url);
  if (!match?.[1] || !match[2]) return [];
  const owner = match[1].toLowerCase();
  const repo = match[2].toLowerCase();
  const scope = ctx.name.startsWith('@') ? ctx.name.split('/')[0]?.slice(1).toLowerCase() : undefined;
  const bare = ctx.name.replace(/^@[^/]+\//, '').toLowerCase();
  if (scope === owner) return [];
  // The owner publishes under its own npm scope (the impersonated vendor), or the repository is named after
  // another popular package.
  const ownedScope = ownerScopes().get(owner);
  const claimed = ownedScope ?? (isPopular(repo) && repo !== bare ? repo : undefined);
  if (!claimed) return [];
  return [
    {
      severity: 'medium',
      title: "Claims another project's repository",
      message: `${ctx.name}, first published ${ageText(packageAge ?? 0)} ago, names ${owner}/${repo} as its repository, which belongs to ${ownedScope ? `the ${ownedScope} packages` : `the ${claimed} package`}: its registry page borrows that project's credibility.`,
      location: { file: 'package.json' },
      evidence: excerpt(url),
      confidence: 'medium',
    },
  ];
}

import { locateKey } from '../facts/manifest.js';
import { normalizeBin, registryManifest } from '../registry/packument.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { INSTALL_HOOKS } from './install-scripts.js';

export const manifestConfusion = defineCheck({
  id: 'manifest-confusion',
  scope: 'registry',
  title: 'Registry manifest disagrees with the tarball',
  description:
    "The registry's copy of package.json says something different from the package.json inside the tarball.",
  docs: `The npm registry does not check that the manifest a publisher uploads matches the package.json inside
the tarball (Darcy Clarke's "manifest confusion", 2023). Registry pages, audits and many scanners read the
registry's copy; npm runs the lifecycle scripts of the tarball's copy. An install script only the tarball
declares is hidden from them (high); dependencies or bin commands that differ mean the registry's description
of the package is not what lands on disk (medium). npm's own normalisations are not findings: the implied
\`node-gyp rebuild\` of a binding.gyp, and bin paths written with or without ./.`,
  defaultSeverity: 'high',
  run(ctx) {
    const registry = ctx.registry?.release.manifest;
    if (!registry || !ctx.manifest) return [];
    const tarball = registryManifest(ctx.manifest, ctx.name);
    const text = ctx.manifestText ?? undefined;
    const where = (key: string, parent?: string) => {
      const at = text ? locateKey(text, key, parent) : undefined;
      return { file: 'package.json', ...(at ? { line: at.line, column: at.column } : {}) };
    };
    const findings: FindingDraft[] = [];
    const gypImplied = ctx.contents.files.has('binding.gyp');
    for (const hook of registry.scripts ? INSTALL_HOOKS : []) {
      const inTarball = tarball.scripts?.[hook]?.trim();
      const inRegistry = registry.scripts?.[hook]?.trim();
      if (inTarball === inRegistry) continue;
      if (!inTarball && hook === 'install' && gypImplied && inRegistry === 'node-gyp rebuild') continue;
      if (inTarball) {
        findings.push({
          severity: 'high',
          title: 'Install script hidden from the registry',
          message: `The tarball's package.json runs ${hook} "${excerpt(inTarball, 100)}", but the registry's manifest ${inRegistry ? `shows "${excerpt(inRegistry, 100)}"` : 'shows no such script'}: npm runs the tarball's, while anything reading the registry sees the other.`,
          location: where(hook, 'scripts'),
          evidence: excerpt(`"${hook}": "${inTarball}"`),
          confidence: 'high',
        });
      } else {
        findings.push({
          severity: 'medium',
          title: 'Registry shows a script the tarball lacks',
          message: `The registry's manifest declares ${hook} "${excerpt(inRegistry ?? '', 100)}", which the tarball's package.json does not: the two copies of the manifest disagree.`,
          location: { file: 'package.json' },
          confidence: 'high',
        });
      }
    }
    const dependencyChanges = registry.dependencies
      ? differences(tarball.dependencies ?? {}, registry.dependencies)
      : [];
    if (dependencyChanges.length > 0) {
      findings.push({
        severity: 'medium',
        title: 'Dependencies differ from the registry',
        message: `The tarball's dependencies differ from the ones the registry lists (and npm installs): ${dependencyChanges.slice(0, 6).join('; ')}.`,
        location: where('dependencies'),
        confidence: 'high',
      });
    }
    // npm expands directories.bin into bin entries when it publishes; only an explicit bin is compared.
    const binChanges =
      ctx.manifest.directories === undefined
        ? differences(normalizeBin(ctx.manifest.bin, ctx.name), registry.bin ?? {})
        : [];
    if (binChanges.length > 0) {
      findings.push({
        severity: 'medium',
        title: 'Commands differ from the registry',
        message: `The tarball's bin commands differ from the registry's: ${binChanges.slice(0, 6).join('; ')}.`,
        location: where('bin'),
        confidence: 'high',
      });
    }
    return findings;
  },
});

function differences(tarball: Record<string, string>, registry: Record<string, string>): string[] {
  const changes: string[] = [];
  for (const [key, value] of Object.entries(tarball)) {
    if (!(key in registry)) changes.push(`${key} only in the tarball`);
    else if (registry[key] !== value)
      changes.push(`${key} is ${value} in the tarball, ${registry[key]} in the registry`);
  }
  for (const key of Object.keys(registry)) if (!(key in tarball)) changes.push(`${key} only in the registry`);
  return changes;
}

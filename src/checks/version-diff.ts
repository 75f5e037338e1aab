import { addedDependencies, brandNewDependencies, releaseDelta } from '../diff/delta.js';
import type { RegistryFacts } from '../registry/releases.js';
import { defineCheck } from './check.js';

export const versionDiff = defineCheck({
  id: 'version-diff',
  title: 'Risky change since the previous release',
  description: 'What changed for security between this version and the release before it.',
  docs: `The fake postmark-mcp published fifteen clean releases; 1.0.16 added one line that Bcc'd every email to
the attacker. Looking at 1.0.16 alone, a send call with a Bcc looks ordinary; next to 1.0.15 it is the change.
For every package in the tree Ocellus fetches the release it replaced (the highest lower version published
before it) and reports what appeared: install scripts added or made riskier; dependencies added, high when the
dependency itself is brand new; new capabilities (network, programs, env, files, generated code), high when a
patch release starts both talking to the network and reading secrets; new network destinations that are not the
package's own; new binaries or minified code; a size jump in a patch release; build output that changed while its
source did not. Findings of the other checks that are new in this release say so and quote the added line.
Major releases (and 0.x minors) are expected to change a lot, so new capabilities, binaries and rebuilt output
weigh one level less there; install scripts, brand-new dependencies, raw-IP destinations and rug pulls do not.
Turn it off with --no-diff; review a pair of versions with \`ocellus diff <name> <from> <to>\`.`,
  defaultSeverity: 'high',
  run(ctx) {
    if (!ctx.previous || !ctx.manifest) return [];
    const next = {
      version: ctx.version,
      manifest: ctx.manifest,
      contents: ctx.contents,
      code: ctx.code,
      readText: ctx.readText,
    };
    const delta = releaseDelta({ previous: ctx.previous, next });
    // A scan judges brand-new dependencies apart (registry facts are not cached with the code's findings);
    // given the records here, as in `ocellus diff` and unit tests, the check judges them itself.
    if (!ctx.dependencyRecord) return delta;
    return [
      ...delta,
      ...brandNewDependencies({
        name: ctx.name,
        version: ctx.version,
        previousVersion: ctx.previous.version,
        added: addedDependencies(ctx.previous, next),
        manifestText: ctx.manifestText,
        dependencyRecord: ctx.dependencyRecord,
        ...releasedAtOf(ctx.registry),
      }),
    ];
  },
});

/** When the release was published, if the registry's times can be believed; else when the scan ran. */
export function releasedAtOf(registry: RegistryFacts | undefined): { releasedAt?: string } {
  const releasedAt = (registry?.timesTrusted ? registry.release.published : undefined) ?? registry?.checkedAt;
  return releasedAt ? { releasedAt } : {};
}

import { describeTarget, describeTechnique, typosquatSeverity } from '../checks/typosquat.js';
import { ExitCode, OcellusError } from '../errors.js';
import { loadNpmOptions } from '../npm-config.js';
import { PackumentStore } from '../registry/packument.js';
import { isPackageName } from '../targets/spec.js';
import { bundledNameIndex } from '../typosquat/bundled.js';
import { findSuspects, type Suspect } from '../typosquat/matcher.js';
import type { CommandIo } from './scan.js';

export interface NameCommandOptions {
  format: 'table' | 'json';
  registry?: string;
}

/** What `ocellus name` learns about one name: the JSON shape documented in the README. */
export interface NameVerdict {
  name: string;
  exists: boolean;
  /** ISO date of the first publish, when the registry says. */
  created?: string;
  versions?: number;
  /** How a scan would rate the closest suspect: low for an established name (two years, 12+ versions). */
  severity?: 'high' | 'medium' | 'low';
  suspects: Array<{ target: string; technique: Suspect['technique']; score: number; detail: string }>;
}

/**
 * `ocellus name <name...>`: vets names before anyone installs them. Exit 1 when a name is a suspected
 * squat, so an assistant or a script can stop on it.
 */
export async function runNameCommand(
  names: string[],
  options: NameCommandOptions,
  io: CommandIo,
): Promise<number> {
  for (const name of names) {
    if (!isPackageName(name)) {
      throw new OcellusError(
        'EBADSPEC',
        `"${name}" is not an npm package name (give the name alone, without a version).`,
      );
    }
  }
  const npmOptions = await loadNpmOptions({
    cwd: io.cwd,
    env: io.env,
    overrides: { registry: options.registry },
  });
  const index = bundledNameIndex();
  const store = new PackumentStore(npmOptions);
  const verdicts: NameVerdict[] = [];
  for (const name of names) {
    const registryFacts = await readRegistryFacts(name, store);
    // A name the registry does not have is judged as a newcomer whatever the snapshot says.
    const suspects = findSuspects(name, index, registryFacts.exists ? {} : { suspectDownloads: null });
    const top = suspects[0];
    const age = registryFacts.created
      ? (Date.now() - Date.parse(registryFacts.created)) / 86_400_000
      : undefined;
    const history =
      age !== undefined && registryFacts.versions !== undefined
        ? { age, versions: registryFacts.versions }
        : undefined;
    verdicts.push({
      name,
      exists: registryFacts.exists,
      // The same judgement a scan makes: an established name with years of releases is low, not a squat.
      ...(top ? { severity: typosquatSeverity(top, history) } : {}),
      ...(registryFacts.created ? { created: registryFacts.created } : {}),
      ...(registryFacts.versions !== undefined ? { versions: registryFacts.versions } : {}),
      suspects: suspects.map((suspect) => ({
        target: suspect.target,
        technique: suspect.technique,
        score: suspect.score,
        detail: describeTechnique(suspect),
      })),
    });
    if (options.format === 'table')
      io.stdout.write(renderVerdict(name, registryFacts, suspects, verdicts.at(-1)?.severity));
  }
  if (options.format === 'json') io.stdout.write(`${JSON.stringify(verdicts, null, 2)}\n`);
  const suspected = verdicts.some((verdict) => verdict.severity === 'high' || verdict.severity === 'medium');
  return suspected ? ExitCode.findings : ExitCode.ok;
}

interface RegistryFacts {
  exists: boolean;
  created?: string;
  versions?: number;
}

async function readRegistryFacts(name: string, store: PackumentStore): Promise<RegistryFacts> {
  const outcome = await store.get(name);
  if (outcome.ok) {
    return {
      exists: true,
      versions: outcome.index.releases.size,
      ...(outcome.index.created ? { created: outcome.index.created } : {}),
    };
  }
  if (outcome.code === 'E404') return { exists: false };
  throw new OcellusError('EREGISTRY', `The registry did not answer for "${name}" (${outcome.reason}).`);
}

function renderVerdict(
  name: string,
  facts: RegistryFacts,
  suspects: Suspect[],
  severity: NameVerdict['severity'],
): string {
  const lines: string[] = [];
  const age = facts.created ? `, first published ${facts.created.slice(0, 10)}` : '';
  const versions = facts.versions !== undefined ? `, ${facts.versions} version(s)` : '';
  lines.push(facts.exists ? `${name}: exists${age}${versions}` : `${name}: not found in the registry`);
  if (suspects.length === 0) {
    lines.push('  no look-alike of a popular package or known MCP server');
  } else {
    if (severity === 'low')
      lines.push('  established (two years or more, 12+ versions): a resemblance, not a fresh squat');
    const lead = facts.exists ? 'looks like' : 'did you mean';
    for (const suspect of suspects.slice(0, 5)) {
      lines.push(
        `  ${lead} ${suspect.target}? ${describeTechnique(suspect)}; ${describeTarget(suspect)}; score ${suspect.score.toFixed(2)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { OcellusError } from '../errors.js';
import type { Capability, Finding, PackageReport } from '../model.js';
import type { FailOn } from '../score.js';
import { atLeast, type Severity } from '../severity.js';
import schema from './policy.schema.json' with { type: 'json' };

export interface IgnoreEntry {
  check: string;
  package: string;
  version?: string;
  reason: string;
  /** YYYY-MM-DD; from that day on the finding fails again. */
  expires?: string;
}

export interface Policy {
  failOn?: FailOn;
  ignore?: IgnoreEntry[];
  trustedScopes?: string[];
  deniedCapabilities?: Array<{ capability: Capability; allow?: string[]; severity?: Severity }>;
  severity?: Record<string, Severity>;
}

/** A finding the policy or the baseline took out of the verdict, kept in the report so nothing disappears silently. */
export interface Suppressed {
  name: string;
  version: string;
  checkId: string;
  title: string;
  reason: string;
}

export const POLICY_FILES = [
  '.ocellus.json',
  'ocellus.config.json',
  'ocellus.config.yaml',
  'ocellus.config.yml',
];

// Compiled on first use: compiling costs ~60 ms, and most scans have no policy file.
let compiled: ValidateFunction | undefined;
const policyValidator = (): ValidateFunction =>
  (compiled ??= new Ajv2020({ allErrors: true }).compile(schema));

/** The policy file in a project folder (or the one given), validated; undefined when there is none. */
export async function loadPolicy(
  dir: string,
  explicit?: string,
): Promise<{ path: string; policy: Policy } | undefined> {
  const candidates = explicit ? [explicit] : POLICY_FILES.map((name) => join(dir, name));
  for (const path of candidates) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) continue;
      throw new OcellusError('ECONFIG', `Cannot read the policy file ${path}: ${(error as Error).message}`);
    }
    return { path, policy: parsePolicy(text, path) };
  }
  return undefined;
}

/** Pure: policy text to a validated policy, or an error naming every problem and where it is. */
export function parsePolicy(text: string, path: string): Policy {
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new OcellusError(
      'ECONFIG',
      `The policy file ${path} does not parse: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const validatePolicy = policyValidator();
  if (!validatePolicy(value)) {
    const problems = (validatePolicy.errors ?? []).map((error) => {
      const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'the policy';
      const missing = (error.params as { missingProperty?: string }).missingProperty;
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      if (missing)
        return `${where}: "${missing}" is required${missing === 'reason' ? ' (say why the finding is accepted)' : ''}`;
      if (extra) return `${where}: unknown key "${extra}"`;
      return `${where}: ${error.message}`;
    });
    throw new OcellusError('ECONFIG', `The policy file ${path} is not valid:\n  ${problems.join('\n  ')}`, {
      hint: 'The policy schema is documented in the README (Policy) and in src/policy/policy.schema.json.',
    });
  }
  return value as Policy;
}

/**
 * Pure: the packages with the policy and baseline applied. Ignored and baselined findings move to `suppressed`
 * (reported, not judged); an expired ignore leaves its finding in place and says so; denied capabilities
 * become findings; severity overrides and trusted scopes adjust severities.
 */
export function applyPolicy(
  packages: readonly PackageReport[],
  policy: Policy,
  options: { today: string; baseline?: ReadonlySet<string> },
): { packages: PackageReport[]; suppressed: Suppressed[] } {
  const suppressed: Suppressed[] = [];
  const result = packages.map((pkg) => {
    const findings: Finding[] = [];
    const all = [
      ...pkg.findings.map((finding) => ({ ...finding })),
      ...deniedCapabilityFindings(pkg, policy),
    ];
    for (const finding of all) {
      const override = policy.severity?.[finding.checkId];
      if (override) finding.severity = override;
      const scope = pkg.name.startsWith('@') ? pkg.name.split('/')[0] : undefined;
      if (
        scope &&
        policy.trustedScopes?.includes(scope) &&
        finding.severity !== 'critical' &&
        atLeast(finding.severity, 'medium')
      ) {
        finding.severity = 'low';
        finding.message = `${finding.message} (Capped at low: ${scope} is a trusted scope in the policy.)`;
      }
      const entry = policy.ignore?.find(
        (ignore) =>
          ignore.check === finding.checkId &&
          ignore.package === pkg.name &&
          (!ignore.version || ignore.version === pkg.version),
      );
      if (entry?.expires && entry.expires <= options.today) {
        finding.message = `${finding.message} (The policy's ignore for this expired on ${entry.expires}: "${entry.reason}".)`;
        findings.push(finding);
        continue;
      }
      if (entry) {
        suppressed.push({
          name: pkg.name,
          version: pkg.version,
          checkId: finding.checkId,
          title: finding.title,
          reason: `ignored by policy: ${entry.reason}`,
        });
        continue;
      }
      if (options.baseline?.has(baselineKey(pkg.name, finding))) {
        suppressed.push({
          name: pkg.name,
          version: pkg.version,
          checkId: finding.checkId,
          title: finding.title,
          reason: 'in the baseline',
        });
        continue;
      }
      findings.push(finding);
    }
    return { ...pkg, findings };
  });
  return { packages: result, suppressed };
}

function deniedCapabilityFindings(pkg: PackageReport, policy: Policy): Finding[] {
  return (policy.deniedCapabilities ?? [])
    .filter((rule) => pkg.capabilities.includes(rule.capability) && !(rule.allow ?? []).includes(pkg.name))
    .map((rule) => ({
      checkId: 'policy',
      severity: rule.severity ?? 'high',
      title: 'Capability denied by policy',
      message: `${pkg.name} uses ${rule.capability}, which the policy denies${rule.allow?.length ? ` except for ${rule.allow.join(', ')}` : ''}.`,
      location: { file: 'package.json' },
      confidence: 'high' as const,
    }));
}

/** A finding's identity in a baseline: without the version, so an upgrade that keeps the same code still matches. */
export function baselineKey(
  name: string,
  finding: Pick<Finding, 'checkId' | 'location' | 'evidence' | 'title'>,
): string {
  return [
    name,
    finding.checkId,
    finding.location?.file ?? '',
    (finding.evidence ?? finding.title).replace(/\s+/g, ' '),
  ].join('\u0000');
}

/** The keys of every finding in a previous `--format json` report. */
export async function loadBaseline(path: string): Promise<Set<string>> {
  let report: { packages?: Array<{ name?: unknown; findings?: unknown }> };
  try {
    report = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new OcellusError('ECONFIG', `Cannot read the baseline ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(report?.packages)) {
    throw new OcellusError('ECONFIG', `${path} is not an Ocellus JSON report (scan --format json).`);
  }
  const keys = new Set<string>();
  for (const pkg of report.packages) {
    if (typeof pkg.name !== 'string' || !Array.isArray(pkg.findings)) continue;
    for (const finding of pkg.findings as Finding[]) keys.add(baselineKey(pkg.name, finding));
  }
  return keys;
}

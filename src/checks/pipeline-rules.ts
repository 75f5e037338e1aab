import type { CheckDefinition } from './check.js';

/**
 * Findings the scan itself raises rather than a check over one package's contents: they need rule
 * descriptions too (SARIF readers show a result's rule), so they are described here once.
 */
export const PIPELINE_RULES: ReadonlyArray<Omit<CheckDefinition, 'run'>> = [
  {
    id: 'lockfile-integrity',
    title: 'Tarball does not match the lockfile',
    description: 'The registry serves different bytes for a locked package than the lockfile recorded.',
    docs: `A project audit fetches every package exactly as locked and verifies it against the lockfile's integrity. A
mismatch means the package was replaced after it was locked, or the registry or a mirror is compromised: the package is
not analysed and the finding is critical.`,
    defaultSeverity: 'critical',
  },
  {
    id: 'lockfile-source',
    title: 'Dependency bypasses the registry',
    description: 'A locked dependency comes from git, a tarball URL or a local path instead of the registry.',
    docs: `No registry integrity, metadata or version history applies to such a dependency. A tarball inside the
project is scanned like any package; git and remote-tarball dependencies are not fetched and are listed as not
analysed.`,
    defaultSeverity: 'medium',
  },
  {
    id: 'policy',
    title: 'Capability denied by policy',
    description: "A package uses a capability the project's policy file denies.",
    docs: `Set in the policy file's deniedCapabilities, with an allow list of packages that may use the capability.`,
    defaultSeverity: 'high',
  },
];

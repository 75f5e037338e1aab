import type { FindingDraft } from '../checks/check.js';
import type { ReleaseRecord } from '../registry/packument.js';

/**
 * Pure: who published a release compared with the release before it. A release published by an account that
 * did not maintain the previous one, maintainers replaced wholesale, or a missing provenance attestation where
 * earlier releases had one are how account takeovers (eslint-scope, ua-parser-js, Nx) look from the registry.
 * A missing field is never a finding: mirrors trim them.
 */
export function publisherDelta(previous: ReleaseRecord, next: ReleaseRecord): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const previousMaintainers = new Set(previous.maintainers.map((name) => name.toLowerCase()));
  const newPublisher =
    next.publisher !== undefined &&
    previous.publisher !== undefined &&
    next.publisher.toLowerCase() !== previous.publisher.toLowerCase() &&
    !previousMaintainers.has(next.publisher.toLowerCase());
  if (newPublisher) {
    findings.push({
      // A release built and attested by CI has an accountable origin even from a new account.
      severity: next.provenance ? 'low' : 'medium',
      title: 'New publisher',
      message: `${next.version} was published by ${next.publisher}, who did not maintain ${previous.version} (published by ${previous.publisher}${previous.maintainers.length > 0 ? `; maintainers ${previous.maintainers.slice(0, 5).join(', ')}` : ''}).`,
      location: { file: 'package.json' },
      confidence: 'medium',
    });
  }
  const nextMaintainers = next.maintainers.map((name) => name.toLowerCase());
  if (
    previousMaintainers.size > 0 &&
    nextMaintainers.length > 0 &&
    !nextMaintainers.some((name) => previousMaintainers.has(name))
  ) {
    findings.push({
      severity: 'medium',
      title: 'Maintainers replaced',
      message: `Every maintainer changed between ${previous.version} (${previous.maintainers.slice(0, 5).join(', ')}) and ${next.version} (${next.maintainers.slice(0, 5).join(', ')}): the package changed hands, as event-stream did before its backdoor.`,
      location: { file: 'package.json' },
      confidence: 'medium',
    });
  }
  if (previous.provenance && !next.provenance) {
    findings.push({
      severity: newPublisher ? 'high' : 'medium',
      title: 'Provenance attestation missing',
      message: `${next.version} has no provenance attestation, while ${previous.version} was built and attested by CI: this release did not come out of the usual build${newPublisher ? `, and a new account published it` : ''}.`,
      location: { file: 'package.json' },
      confidence: 'medium',
    });
  }
  return findings;
}

import type { Check } from './check.js';
import { CODE_CHECKS } from './code-checks.js';
import { manifestConfusion } from './manifest-confusion.js';
import { registryMetadata } from './registry-metadata.js';
import { typosquat } from './typosquat.js';
import { versionDiff } from './version-diff.js';

/**
 * Every check, in the order their findings are listed: the code checks, with the name check before the version
 * diff, then the registry's. Adding a check is adding a file and a line here or in CODE_CHECKS.
 */
export const CHECKS: readonly Check[] = [
  ...CODE_CHECKS.filter((check) => check !== versionDiff),
  typosquat,
  versionDiff,
  registryMetadata,
  manifestConfusion,
];

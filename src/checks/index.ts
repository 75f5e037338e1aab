import { aiCliAbuse } from './ai-cli-abuse.js';
import type { Check } from './check.js';
import { destructive } from './destructive.js';
import { dnsExfil } from './dns-exfil.js';
import { dropper } from './dropper.js';
import { dynamicCode } from './dynamic-code.js';
import { encodedPayload } from './encoded-payload.js';
import { envHarvest } from './env-harvest.js';
import { exfilEndpoint } from './exfil-endpoint.js';
import { hardcodedRecipient } from './hardcoded-recipient.js';
import { installScripts } from './install-scripts.js';
import { manifest } from './manifest.js';
import { manifestConfusion } from './manifest-confusion.js';
import { obfuscation } from './obfuscation.js';
import { persistence } from './persistence.js';
import { registryMetadata } from './registry-metadata.js';
import { remoteCode } from './remote-code.js';
import { selfPropagation } from './self-propagation.js';
import { sensitiveFiles } from './sensitive-files.js';
import { shellExec } from './shell-exec.js';
import { toolPoisoning } from './tool-poisoning.js';
import { typosquat } from './typosquat.js';
import { unanalysedContent } from './unanalysed-content.js';
import { versionDiff } from './version-diff.js';
import { walletDrainer } from './wallet-drainer.js';

/** Every check, in the order their findings are listed. Adding a check is adding a file and a line here. */
export const CHECKS: readonly Check[] = [
  installScripts,
  manifest,
  shellExec,
  dynamicCode,
  encodedPayload,
  remoteCode,
  obfuscation,
  envHarvest,
  sensitiveFiles,
  exfilEndpoint,
  dnsExfil,
  hardcodedRecipient,
  aiCliAbuse,
  selfPropagation,
  walletDrainer,
  toolPoisoning,
  destructive,
  persistence,
  dropper,
  unanalysedContent,
  typosquat,
  versionDiff,
  registryMetadata,
  manifestConfusion,
];

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
import { obfuscation } from './obfuscation.js';
import { persistence } from './persistence.js';
import { remoteCode } from './remote-code.js';
import { selfPropagation } from './self-propagation.js';
import { sensitiveFiles } from './sensitive-files.js';
import { shellExec } from './shell-exec.js';
import { toolPoisoning } from './tool-poisoning.js';
import { unanalysedContent } from './unanalysed-content.js';
import { versionDiff } from './version-diff.js';
import { walletDrainer } from './wallet-drainer.js';

/**
 * The checks that judge a tarball's code (scope `code`), in the order their findings are listed. Apart from the
 * registry checks so that an analysis worker loads only these: the typosquat lists alone cost a worker about
 * 100 ms and 15 MB at start.
 */
export const CODE_CHECKS: readonly Check[] = [
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
  versionDiff,
];

import type { Check } from './check.js';
import { installScripts } from './install-scripts.js';
import { manifest } from './manifest.js';
import { unanalysedContent } from './unanalysed-content.js';

/** Every check, in the order their findings are listed. Adding a check is adding a file and a line here. */
export const CHECKS: readonly Check[] = [installScripts, manifest, unanalysedContent];

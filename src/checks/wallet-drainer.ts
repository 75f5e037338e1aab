import type { JsFileFacts } from '../facts/model.js';
import { defineCheck, type FindingDraft } from './check.js';
import { at } from './code-helpers.js';

const HOOK_TARGET =
  /^(?:fetch|XMLHttpRequest\.prototype\.(?:open|send|setRequestHeader)|(?:ethereum|solana|phantom\.solana|tronWeb)\.(?:request|send|sendAsync|signTransaction|signAndSendTransaction))$/;
const WALLET_WORDS =
  /\beth_(?:sendTransaction|signTypedData|requestAccounts|accounts)\b|\bsignTransaction\b|\bsignAndSendTransaction\b|\btransferFrom\b|\bapprove\b|\bwindow\.ethereum\b|\bsolana\b|\bmetamask\b/i;
const ADDRESS =
  /^(?:0x[a-fA-F0-9]{40}|(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,62}|T[1-9A-HJ-NP-Za-km-z]{33}|[1-9A-HJ-NP-Za-km-z]{43,44})$/;

function walletSignals(file: JsFileFacts): { addresses: number; words: boolean } {
  const addresses = new Set(
    file.strings.filter((text) => ADDRESS.test(text.value)).map((text) => text.value),
  );
  return { addresses: addresses.size, words: file.strings.some((text) => WALLET_WORDS.test(text.value)) };
}

export const walletDrainer = defineCheck({
  id: 'wallet-drainer',
  title: 'Browser wallet drainer',
  description: 'Hooks on fetch, XMLHttpRequest or wallet providers next to hard-coded crypto addresses.',
  docs: `The chalk/debug compromise (September 2025) added code to 18 packages that replaced \`fetch\`,
\`XMLHttpRequest\` and \`window.ethereum.request\` in the browser and rewrote every crypto address in
requests and responses to the closest-looking attacker address. Critical when a file replaces one of these
functions and carries crypto addresses or wallet method names; high when it hooks a wallet provider at all.
A fetch polyfill or retry wrapper with no wallet content is not a finding.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const hooks = file.assignments.filter((assignment) => HOOK_TARGET.test(assignment.target));
      if (hooks.length === 0) continue;
      const { addresses, words } = walletSignals(file);
      const walletHook = hooks.find((hook) => /ethereum|solana|tronWeb/.test(hook.target));
      const targets = [...new Set(hooks.map((hook) => hook.target))].join(', ');
      const first = walletHook ?? hooks[0];
      if (!first) continue;
      if (addresses >= 2 || (words && hooks.length >= 2)) {
        findings.push({
          severity: 'critical',
          message: `Replaces ${targets} and carries ${addresses > 0 ? `${addresses} crypto addresses` : 'wallet transaction methods'}: the shape of a wallet drainer.`,
          location: at(file, first),
          evidence: targets,
        });
      } else if (walletHook) {
        findings.push({
          severity: 'high',
          message: `Replaces the browser wallet provider's ${walletHook.target}.`,
          location: at(file, walletHook),
          evidence: walletHook.target,
          confidence: 'medium',
        });
      }
    }
    return findings;
  },
});

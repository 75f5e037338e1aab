import type { JsFileFacts } from '../facts/model.js';
import { isDynamicCode, isExec, isNetwork } from '../facts/names.js';
import { defineCheck, type FindingDraft } from './check.js';
import { isBundle } from './code-helpers.js';

const HIDDEN_API =
  /^(?:fetch|XMLHttpRequest|ethereum|child_process|execSync|exec|spawn|eval|https?|net|dns|WebSocket|sendBeacon|request|prototype|open|send|solana|atob)$/;

/** Build output is minified by design; these paths and names say "a bundle", not "hidden". */
const BUNDLE_PATH =
  /(?:^|\/)(?:dist|build|bundle|bundles|umd|cjs|esm|lib|out|vendor|min)\/|[.-]min\.[cm]?js$|\.bundle\.[cm]?js$|\.umd\.[cm]?js$/i;

function obfuscatorStyle(file: JsFileFacts): string | undefined {
  const { hexIdentifiers, stringArray, escapedChars } = file.signals;
  const escapeDensity = escapedChars / Math.max(1, file.size / 1024);
  if (hexIdentifiers >= 20 && (stringArray || escapedChars >= 50)) {
    return `javascript-obfuscator style code (${hexIdentifiers} _0x identifiers${stringArray ? ', a string array' : ''})`;
  }
  if (hexIdentifiers >= 50) return `${hexIdentifiers} _0x-style identifiers`;
  if (escapedChars >= 200 && escapeDensity >= 20) return `strings written as ${escapedChars} \\x/\\u escapes`;
  return undefined;
}

function dangerousApis(file: JsFileFacts): string[] {
  const used = new Set<string>();
  for (const call of file.calls) {
    if (isNetwork(call.callee)) used.add('network');
    if (isExec(call.callee)) used.add('processes');
    if (isDynamicCode(call.callee) && !/^set/.test(call.callee)) used.add('eval');
  }
  if (file.assignments.some((assignment) => /fetch|XMLHttpRequest|ethereum/.test(assignment.target)))
    used.add('browser hooks');
  if (file.imports.some((use) => use.module === 'child_process')) used.add('processes');
  return [...used];
}

export const obfuscation = defineCheck({
  id: 'obfuscation',
  title: 'Obfuscated code',
  description:
    'Code deliberately made unreadable (obfuscator output, escape-encoded strings), outside known bundle layouts.',
  docs: `Honest packages ship readable source or minified bundles with source maps; obfuscators
(\`_0x\` identifiers, rotated string arrays, strings spelled as \\x escapes) exist to stop review. The
chalk/debug compromise of September 2025 shipped an obfuscated wallet drainer in index.js. Obfuscator
output (a string array behind _0x identifiers) is high, as is any obfuscated code that uses or names the
network, processes, eval or browser hooks; weaker signs alone (many escapes) are medium. Very long
lines outside dist/build folders without a source map are reported at low when the file also uses one of
those APIs. Minified bundles are not findings.`,
  defaultSeverity: 'medium',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const style = obfuscatorStyle(file);
      const apis = dangerousApis(file);
      const strong = file.signals.stringArray && file.signals.hexIdentifiers >= 20;
      // A bundle's unicode tables and vendored code carry escapes and every API: only the obfuscator signature counts there.
      if (style && (strong || (apis.length > 0 && !isBundle(file)))) {
        // Obfuscator output hides its API calls behind the string array; the array itself still names them.
        const named = file.strings.filter((text) => HIDDEN_API.test(text.value)).map((text) => text.value);
        for (const name of new Set(named)) if (apis.length < 6) apis.push(`"${name}"`);
        const signature = file.signals.stringArray && file.signals.hexIdentifiers >= 20;
        findings.push({
          severity: apis.length > 0 || signature ? 'high' : 'medium',
          message: `${file.path} is obfuscated: ${style}${apis.length > 0 ? `, and it uses ${apis.join(', ')}` : ''}.`,
          location: { file: file.path },
          confidence: apis.length > 0 ? 'high' : 'medium',
        });
      } else if (
        file.signals.longestLine > 5_000 &&
        !file.signals.sourceMap &&
        !BUNDLE_PATH.test(file.path) &&
        apis.length > 0
      ) {
        findings.push({
          severity: 'low',
          message: `${file.path} has a ${file.signals.longestLine}-character line outside a bundle folder and uses ${apis.join(', ')}.`,
          location: { file: file.path },
          confidence: 'low',
        });
      }
    }
    return findings;
  },
});

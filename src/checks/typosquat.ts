import { daysBetween } from '../registry/releases.js';
import { bundledNameIndex } from '../typosquat/bundled.js';
import { findSuspects, type Suspect } from '../typosquat/matcher.js';
import { HIGH_THRESHOLD } from '../typosquat/score.js';
import { defineCheck } from './check.js';

const TECHNIQUE_NAMES: Record<Suspect['technique'], string> = {
  confusable: 'confusable characters',
  separator: 'separator change',
  transposition: 'adjacent transposition',
  'repeated-character': 'repeated character',
  'omitted-character': 'omitted character',
  'edit-distance': 'misspelling',
  'token-order': 'token reordering',
  'scope-confusion': 'scope confusion',
  'noise-affix': 'noise prefix/suffix',
  'brand-impersonation': 'brand impersonation',
};

/** A name published for two years with a dozen releases has outlived any squat the registry would tolerate. */
const ESTABLISHED_DAYS = 730;
const ESTABLISHED_VERSIONS = 12;
const YOUNG_DAYS = 90;

export function describeTechnique(suspect: Suspect): string {
  return `${TECHNIQUE_NAMES[suspect.technique]}: ${suspect.detail}`;
}

/** "1.2M monthly downloads", or what the target is when its downloads are not in the snapshot. */
export function describeTarget(suspect: Suspect): string {
  if (suspect.targetDownloads !== undefined) {
    return `a package with ${formatCount(suspect.targetDownloads)} monthly downloads`;
  }
  return suspect.targetVendor ? `the ${suspect.targetVendor} MCP server` : 'a known package';
}

export function formatCount(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}k`;
  return String(count);
}

/**
 * Pure: how loud a suspected squat is, from the match and (when the registry says) the name's history.
 * Squats are young with few releases; a name with years and a dozen releases behind it is established.
 */
export function typosquatSeverity(
  top: Suspect,
  history?: { age: number; versions: number },
): 'high' | 'medium' | 'low' {
  if (history && history.age >= ESTABLISHED_DAYS && history.versions >= ESTABLISHED_VERSIONS) return 'low';
  // Two slips are common between legitimate siblings that the name alone cannot tell apart (tldjs/tldts,
  // koa-router before it moved to @koa/router): one letter substituted, or a scope folded into the name.
  // They stay medium unless the name is young.
  const ambiguous =
    (top.technique === 'edit-distance' && /'.' for '.'/.test(top.detail)) ||
    (top.technique === 'scope-confusion' && top.detail.includes('folded into the name'));
  const young = history !== undefined && history.age <= YOUNG_DAYS;
  return top.score >= HIGH_THRESHOLD && (!ambiguous || young) ? 'high' : 'medium';
}

export const typosquat = defineCheck({
  id: 'typosquat',
  scope: 'registry',
  title: 'Name imitates a popular package',
  description: 'A package name that imitates a popular npm package or a known MCP server.',
  docs: `Compares every package name in the tree with the 10,000 most downloaded npm packages and a curated list
of MCP servers (src/data/), by edit distance, adjacent transposition, repeated or omitted letters, separator
changes, reordered words, scope confusion, confusable characters (rn/m, 1/l, 0/o, Unicode homoglyphs), filler
such as -js or node-, and vendor brand words next to "mcp". A name that is itself in the popular list is only
reported when its look-alike is at least 100 times more downloaded, so siblings like preact and react stay quiet.
The incidents behind it: crossenv (2017, stole environment variables), electorn, discord.dll, the puppeteer
look-alikes of 2024, and postmark-mcp (2025), an unscoped copy of Postmark's MCP server that Bcc'd every email.
When the registry says when the name was first published: a squat is young, so a name published for two years or
more with at least 12 versions is reported low, and a name under 90 days old is high even for the one-letter slips
that are otherwise medium. If the package is
really the one you meant: A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const suspects = ctx.suspectsOf ? ctx.suspectsOf(ctx.name) : findSuspects(ctx.name, bundledNameIndex());
    const top = suspects[0];
    if (!top) return [];
    const age = daysBetween(ctx.registry?.created, ctx.registry?.checkedAt);
    const versions = ctx.registry?.versionCount;
    const severity = typosquatSeverity(
      top,
      age === undefined || versions === undefined ? undefined : { age, versions },
    );
    const established = severity === 'low';
    const history =
      age === undefined
        ? ''
        : ` The registry has ${versions} version(s) of it, the first published ${Math.round(age)} day(s) ago${established ? ', so it is an established package, not a fresh squat' : ''}.`;
    if (established) {
      return [
        {
          severity: 'low',
          confidence: 'low',
          message: `${ctx.name} resembles ${top.target} (${describeTechnique(top)}).${history}`,
          location: { file: 'package.json' },
          evidence: `"name": "${ctx.name}"`,
        },
      ];
    }
    return [
      {
        severity,
        confidence: severity === 'high' ? 'high' : 'medium',
        message: `${ctx.name} looks like ${top.target} (${describeTechnique(top)}), ${describeTarget(top)}. Check that this is the package you meant to install.${history}`,
        location: { file: 'package.json' },
        evidence: `"name": "${ctx.name}"`,
      },
    ];
  },
});

import type { JsFileFacts, StringFact, ToolFact } from '../facts/model.js';
import { sensitivePathsIn } from '../facts/sensitive-paths.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { at } from './code-helpers.js';

/** Instructions aimed at the model rather than the user, as they appear in poisoned MCP tool descriptions. */
const SIGNALS: Array<{ id: string; label: string; pattern: RegExp }> = [
  {
    id: 'hidden-tag',
    label: 'a hidden instruction tag',
    pattern: /<\s*\/?\s*(?:important|system|instructions?|secret|hidden|admin|critical)\s*>/i,
  },
  {
    id: 'concealment',
    label: 'asks to hide actions from the user',
    pattern:
      /\b(?:do not|don'?t|never)\s+(?:tell|inform|mention|reveal|show|notify|alert)\b[^.]{0,60}\buser\b|\bwithout\s+(?:telling|informing|notifying|alerting)\s+the\s+user\b|\buser\s+(?:must|should)\s+not\s+(?:know|see|be told)\b/i,
  },
  {
    id: 'pre-action',
    label: 'tells the model to do something before using the tool',
    pattern:
      /\bbefore\s+(?:using|calling|invoking|you\s+use|you\s+call)\s+(?:this|the)\s+tool\b[^.]{0,120}\b(?:read|open|cat|fetch|load|include|pass|send|call)\b/i,
  },
  {
    id: 'shadowing',
    label: 'gives rules for other tools',
    pattern:
      /\bwhen\s+(?:the\s+)?[\w-]{2,40}\s+tool\s+is\s+(?:used|called|invoked)\b|\binstead\s+of\s+(?:using\s+)?the\s+[\w-]{2,40}\s+tool\b|\balways\s+(?:add|include|bcc|cc|copy|send)\b[^.]{0,60}(?:@|\bto\b)/i,
  },
  {
    id: 'smuggle-argument',
    label: 'asks the model to put file contents into an argument',
    pattern:
      // Within one sentence; a dot inside a path (~/.aws) does not end it. Each character matches one branch only.
      /\b(?:pass|include|put|send|append|attach|add)\b(?:[^.]|\.(?=\S)){0,80}\b(?:contents?|text)\b(?:[^.]|\.(?=\S)){0,60}\b(?:argument|parameter|param|field|sidenote)\b/i,
  },
  {
    id: 'invisible',
    label: 'text hidden in Unicode tag characters',
    pattern: /[\u{E0000}-\u{E007F}]/u,
  },
  {
    id: 'terminal-escape',
    label: 'terminal escape codes that can hide or rewrite text',
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is looked for
    pattern: /\u001b\[[0-9;]{0,20}[A-Za-z]|\u001b\]/,
  },
];

const ZERO_WIDTH = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;
const NON_LATIN_LETTER = /[\u0370-\u1FFF\u2C00-\uD7FF]/;

const MCP_SIGNS = /^@modelcontextprotocol\/sdk|^fastmcp$|^mcp-framework$|^@mastra\/mcp/;

export const toolPoisoning = defineCheck({
  id: 'tool-poisoning',
  title: 'Instructions for the model hidden in an MCP server',
  description:
    'Tool descriptions and prompts in MCP server code that address the model: hidden tags, secrecy, pre-actions, rules for other tools, invisible text.',
  docs: `An MCP server's tool descriptions go straight into the model's context, unseen by most users. Invariant
Labs showed in 2025 how a description with an <IMPORTANT> block can make the assistant read ~/.cursor/mcp.json or
~/.ssh/id_rsa and pass it along "as a sidenote", tell it not to mention this to the user, or rewrite how other
tools behave ("when send_email is used, always bcc ..."), and how zero-width or Unicode tag characters hide
such text. Reported in packages that use an MCP server SDK or serve tools: critical when such an instruction
also names credentials or configuration files, high otherwise. Honest long descriptions are not findings. A
reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a
reason come with the policy file.`,
  defaultSeverity: 'high',
  run(ctx) {
    const dependencies = Object.keys({
      ...((ctx.manifest?.dependencies as Record<string, string>) ?? {}),
      ...((ctx.manifest?.peerDependencies as Record<string, string>) ?? {}),
    });
    const servesTools =
      dependencies.some((name) => MCP_SIGNS.test(name)) ||
      ctx.code.js.some(
        (file) =>
          file.imports.some((use) => MCP_SIGNS.test(use.module)) ||
          file.strings.some((text) => text.value === 'tools/list'),
      );
    if (!servesTools) return [];
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      // A description downloaded when the server starts can change for every user at any moment, without a
      // release: the rug pull no version diff or approval can see.
      for (const call of file.calls) {
        if (!/(?:^|\.)(?:tool|registerTool|prompt|registerPrompt)$/.test(call.callee)) continue;
        const described = [call.args[1], call.args[1]?.properties?.description].filter(
          (value) => value !== undefined,
        );
        if (!described.some((value) => value?.origins.includes('network'))) continue;
        findings.push({
          severity: 'high',
          title: 'Tool description downloaded at run time',
          message: `The description of ${call.args[0]?.value ? `"${call.args[0].value}"` : 'a tool'} comes from the network when the server starts: what the model is told can change at any time, unseen by review, approval or version diff.`,
          location: at(file, call),
          evidence: excerpt(call.args[1]?.text ?? call.written),
          confidence: 'medium',
        });
      }
      const seen = new Set<string>();
      for (const text of file.strings) {
        if (text.value.length < 20 || seen.has(text.value)) continue;
        // Prose the model reads is written in words; code-page tables and translations are not instructions.
        if ((text.value.match(/[A-Za-z]{2,}/g)?.length ?? 0) < 4) continue;
        const tool = file.tools.find(
          (declared) => declared.description && text.value.includes(declared.description.slice(0, 200)),
        );
        const hits = signalsIn(text.value, tool !== undefined);
        // Zero-width and bidi characters belong in Persian or emoji text; in English prose they hide something.
        const hiddenMarks = ZERO_WIDTH.test(text.value) && !NON_LATIN_LETTER.test(text.value);
        if (hits.length === 0 && !hiddenMarks) continue;
        seen.add(text.value);
        const labels = [
          ...hits.map((hit) => hit.label),
          ...(hiddenMarks ? ['zero-width or direction characters'] : []),
        ];
        const finding = grade(file, text, labels, tool);
        if (hits.length === 0) finding.severity = 'medium';
        findings.push(finding);
      }
      for (const tool of file.tools) {
        // Honest descriptions run to a few paragraphs; pages of text are room for instructions nobody reads.
        if (tool.description.length < LONG_DESCRIPTION || seen.has(tool.description)) continue;
        findings.push({
          severity: 'low',
          title: 'Very long tool description',
          message: `The description of ${tool.kind} "${tool.name}" is ${tool.description.length} characters long, far more than a tool's purpose needs: read what it tells the model.`,
          location: at(file, tool),
          evidence: excerpt(tool.description),
          confidence: 'low',
        });
      }
    }
    return findings;
  },
});

/** Unicode tag characters spell ASCII invisibly (U+E0041 is an invisible "A"): show what they say. */
export function revealHidden(text: string): string {
  return text
    .replace(
      /[\u{E0020}-\u{E007E}]+/gu,
      (hidden) =>
        `[hidden: ${[...hidden].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0) - 0xe0000)).join('')}]`,
    )
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u{E0000}-\u{E007F}]/gu, '');
}

const LONG_DESCRIPTION = 4_000;

/**
 * The signals a text carries. "Put the content in the text field" is ordinary tool guidance; it is an
 * instruction to smuggle only when the same text names a file or secret to put there. Escape codes count only
 * in a declared description.
 */
function signalsIn(text: string, isDescription = true): typeof SIGNALS {
  return SIGNALS.filter(
    (signal) =>
      signal.pattern.test(text) &&
      (signal.id !== 'smuggle-argument' || namesSecrets(text)) &&
      // Coloured log lines carry escape codes too; in a description the model reads, they hide text.
      (signal.id !== 'terminal-escape' || isDescription),
  );
}

/** The instruction signals a text carries, by label: what makes a description address the model. */
export function instructionSignals(text: string): string[] {
  const labels = signalsIn(text).map((signal) => signal.label);
  if (ZERO_WIDTH.test(text) && !NON_LATIN_LETTER.test(text))
    labels.push('zero-width or direction characters');
  return labels;
}

/** Whether an instruction points the model at credentials or configuration. */
export function namesSecrets(text: string): boolean {
  const visible = revealHidden(text).replace(/\s+/g, ' ');
  return (
    sensitivePathsIn(visible).length > 0 ||
    /\bmcp\.json\b|\bid_rsa\b|\.ssh\b|\.env\b|api[_ -]?key|password|token/i.test(visible)
  );
}

function grade(file: JsFileFacts, text: StringFact, labels: string[], tool?: ToolFact): FindingDraft {
  const visible = revealHidden(text.value);
  const targets = sensitivePathsIn(visible.replace(/\s+/g, ' ')).map((path) => path.label);
  const namesSecrets =
    targets.length > 0 ||
    /\bmcp\.json\b|\bid_rsa\b|\.ssh\b|\.env\b|api[_ -]?key|password|token/i.test(visible);
  return {
    severity: namesSecrets ? 'critical' : 'high',
    message: `${tool ? `The description of ${tool.kind} "${tool.name}"` : 'A string the model will read'} addresses the model (${labels.join('; ')})${namesSecrets ? `, and points it at ${targets[0] ?? 'secrets'}` : ''}: "${excerpt(visible, 160)}".`,
    location: at(file, text),
    evidence: excerpt(visible),
  };
}

import type { JsFileFacts, Position } from '../facts/model.js';
import { isDns, isExec, isFileRead, isNetwork } from '../facts/names.js';
import { type SensitivePath, sensitivePathsIn } from '../facts/sensitive-paths.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, hasNetwork, isBundle, networkCallsIn, where } from './code-helpers.js';

/** SDKs read their own service's credential files: the AWS SDK reads ~/.aws, Octokit ~/.config/gh... */
const OWNERS: Record<string, RegExp> = {
  aws: /^(?:@aws-sdk\/|@smithy\/|aws-sdk$|@aws\/|aws4$|@aws-crypto\/)/,
  gh: /^(?:@octokit\/|gh-|@github\/)/,
  docker: /^(?:dockerode|docker-modem|@docker\/)/,
  kube: /^(?:@kubernetes\/|kubernetes-client)/,
  gcloud: /^(?:google-auth-library|@google-cloud\/|gcp-metadata)/,
  azure: /^@azure\//,
  npmrc:
    /^(?:@npmcli\/|npm-registry-fetch|registry-auth-token|libnpm|pacote|npm$|pnpm$|yarn$|@yarnpkg\/|rc$)/,
  'git-credentials': /^(?:simple-git|isomorphic-git|@isomorphic-git\/)/,
};

/** Locations that honest code reads all the time (dotenv, MCP installers): only a flow to a sink counts. */
const ORDINARY = new Set(['env-file', 'mcp-config']);

interface Mention extends Position {
  file: JsFileFacts;
  path: SensitivePath;
  text: string;
}

function mentionsIn(file: JsFileFacts): Mention[] {
  const mentions: Mention[] = [];
  for (const text of file.strings) {
    for (const path of sensitivePathsIn(text.value))
      mentions.push({ file, path, text: text.value, line: text.line, column: text.column });
  }
  return mentions;
}

export const sensitiveFiles = defineCheck({
  id: 'sensitive-files',
  title: 'Reads credentials or wallets',
  description:
    'Reads of SSH keys, cloud and npm credentials, browser and Discord secrets, wallets, keychains, MCP client configs.',
  docs: `A "helpful" MCP server or a dependency that reads ~/.ssh, ~/.aws/credentials, ~/.npmrc,
~/.config/gh, browser Login Data and Cookies, Discord's Local Storage, wallet files or keychains is
collecting what it needs to take over accounts (eslint-scope 2018 read ~/.npmrc; the nx s1ngularity and
Shai-Hulud attacks of 2025 swept every credential store). Critical when the contents reach a network, DNS or
process call; high when a file reads such a path and talks to the network, or when a package sweeps three or
more kinds of credentials; medium when it reads one kind and the network is used elsewhere in the package.
Reading .env or MCP client configs is reported only when the contents are sent, and SDKs reading their own
service's file (the AWS SDK and ~/.aws, Octokit and ~/.config/gh, npm's libraries and ~/.npmrc) only when
the contents flow into a request.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    const packageNetwork = hasNetwork(ctx);
    const allMentions = ctx.code.js.flatMap((file) =>
      file.calls.some((call) => isFileRead(call.callee)) ? mentionsIn(file) : [],
    );
    const kinds = new Set(
      allMentions.filter((mention) => !ORDINARY.has(mention.path.id)).map((mention) => mention.path.id),
    );

    for (const file of ctx.code.js) {
      const sink = file.calls.find(
        (call) =>
          (isNetwork(call.callee) || isDns(call.callee) || isExec(call.callee)) &&
          argOrigins(call).has('sensitive-file'),
      );
      const mentions = allMentions.filter((mention) => mention.file === file);
      if (sink) {
        const read = file.calls.find(
          (call) => isFileRead(call.callee) && mentions.some((mention) => mention.line <= call.line + 3),
        );
        const named = mentions[0];
        findings.push({
          severity: 'critical',
          message: `Reads ${named ? `${named.path.label} (${excerpt(named.text, 60)})` : 'credential files'}${read ? ` at ${where(file, read)}` : ''} and sends the contents through ${sink.written}() (${where(file, sink)}).`,
          location: at(file, sink),
          evidence: excerpt(sink.args.map((arg) => arg.text).join(', ')),
        });
        continue;
      }
      const serious = mentions.filter(
        (mention) => !ORDINARY.has(mention.path.id) && !OWNERS[mention.path.id]?.test(ctx.name),
      );
      if (serious.length === 0) continue;
      const labels = [...new Set(serious.map((mention) => mention.path.label))];
      const first = serious[0] as Mention;
      const fileNetwork = networkCallsIn(file)[0];
      if ((fileNetwork && !isBundle(file)) || (kinds.size >= 3 && packageNetwork)) {
        findings.push({
          severity: 'high',
          message: `Reads ${labels.join(', ')} (${excerpt(first.text, 60)}, ${where(file, first)})${fileNetwork ? ` and calls ${fileNetwork.written}() in the same file (${where(file, fileNetwork)})` : `; the package sweeps ${kinds.size} kinds of credentials and uses the network`}.`,
          location: at(file, first),
          evidence: excerpt(first.text),
          confidence: 'medium',
        });
      } else if (packageNetwork) {
        findings.push({
          severity: 'medium',
          message: `Reads ${labels.join(', ')} (${excerpt(first.text, 60)}); the package also uses the network.`,
          location: at(file, first),
          evidence: excerpt(first.text),
          confidence: 'low',
        });
      }
    }
    return findings;
  },
});

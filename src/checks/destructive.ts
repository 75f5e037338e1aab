import type { CallFact, JsFileFacts } from '../facts/model.js';
import { isExec, isFileWrite } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, commandLine } from './code-helpers.js';

const GEO_GATE =
  /ipgeolocation|ip-api\.com|ipinfo\.io|ipapi\.co|geoip|freegeoip|country_?(?:code|name)|Europe\/(?:Moscow|Minsk)|\bru-RU\b/i;
const COUNTRY = /^(?:RU|BY|UA|IR|CN|KP|ru|by|russia|belarus)$/;
const HOME_OR_ROOT = /^(?:\/|~|~\/|[A-Za-z]:\\{0,2}|\/home\/?|\/Users\/?|\/root\/?|\.\.\/\.\.\/\.\.)$/;
const DELETE_COMMAND =
  /\brm\s+-[a-z]*r[a-z]*f?[a-z]*\s+(?:~|\/|\$HOME|%USERPROFILE%|\*)|\bdel\s+\/[sfq]|\brd\s+\/s|\bformat\s+[a-z]:|\bmkfs\b|\bdd\s+if=/i;

function recursiveRemoval(call: CallFact): boolean {
  if (!/^fs\.(?:rm|rmSync|rmdir|rmdirSync|remove|removeSync|emptyDir|emptyDirSync)$/.test(call.callee))
    return false;
  const options = call.args.find((arg) => arg.properties);
  return /^fs\.(?:remove|emptyDir)/.test(call.callee) || options?.properties?.recursive?.text === 'true';
}

function targetsHomeOrRoot(call: CallFact): boolean {
  const target = call.args[0];
  if (!target) return false;
  if (target.value !== undefined) return HOME_OR_ROOT.test(target.value.trim());
  return (
    target.refs.some((ref) =>
      /^os\.homedir$|^process\.env\.(?:HOME|USERPROFILE|HOMEDRIVE)$|^process\.cwd$/.test(ref),
    ) || target.origins.includes('host-info')
  );
}

/** Overwriting files found by walking directories: writeFile(path from readdir, constant content). */
function overwritesWalkedFiles(call: CallFact): boolean {
  if (!/^fs\.(?:writeFileSync|writeFile)$/.test(call.callee)) return false;
  return (call.args[0]?.origins.includes('file') ?? false) && call.args[1]?.value !== undefined;
}

function gated(file: JsFileFacts): boolean {
  return file.strings.some((text) => GEO_GATE.test(text.value) || COUNTRY.test(text.value));
}

export const destructive = defineCheck({
  id: 'destructive',
  title: 'Destroys files',
  description:
    'Recursive deletion or overwriting of the home folder or the disk, especially behind locale or geo checks.',
  docs: `node-ipc 10.1.1 (March 2022, "peacenotwar") looked up the machine's location and, in Russia or
Belarus, walked the disk overwriting every file with a heart. Critical when recursive deletion, directory-walk
overwriting or a wiping command is gated on geolocation or locale, or aims at the home folder or the root;
high for a walk that overwrites files it found. A build tool removing its own dist/ folder is not a finding.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const geo = gated(file);
      for (const call of file.calls) {
        const command = isExec(call.callee) ? commandLine(call) : undefined;
        const wipes = command !== undefined && DELETE_COMMAND.test(command);
        const removes = recursiveRemoval(call);
        const overwrites =
          overwritesWalkedFiles(call) ||
          (isFileWrite(call.callee) && /writeFile/.test(call.callee) && argOrigins(call).has('file') && geo);
        if (!wipes && !removes && !overwrites) continue;
        const aimed = wipes || targetsHomeOrRoot(call);
        if (!aimed && !geo && !overwrites) continue;
        const what = wipes
          ? `runs a wiping command (${excerpt(command ?? '', 60)})`
          : removes
            ? 'deletes folders recursively'
            : 'overwrites the files it finds while walking directories';
        const severity = geo || aimed ? 'critical' : 'high';
        findings.push({
          severity,
          message: `${call.written}() ${what}${aimed ? ' starting at the home folder or the root' : ''}${geo ? ', behind a geolocation or locale check' : ''}.`,
          location: at(file, call),
          evidence: excerpt(call.args.map((arg) => arg.text).join(', ')),
          confidence: severity === 'critical' ? 'high' : 'medium',
        });
      }
    }
    return findings;
  },
});

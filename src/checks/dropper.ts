import type { CallFact } from '../facts/model.js';
import { isExec, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, commandLine, downloadsOnlyFromOwnSources, isBundle, where } from './code-helpers.js';

// Native addons and shared libraries are loaded, not run: prebuildify's prebuilds/, bare's .bare addons.
const NATIVE_LIBRARY = /\.(?:node|bare|so(?:\.\d+)*|dll|dylib|wasm)$|(?:^|\/)prebuilds\//i;

function article(kind: string | undefined): string {
  const name = (kind ?? 'unknown').toUpperCase();
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

export const dropper = defineCheck({
  id: 'dropper',
  title: 'Downloads and runs a program',
  description: 'Download, write, make executable and run; or start an executable shipped inside the package.',
  docs: `A dropper fetches a binary (a miner, a remote-access tool), writes it to disk, marks it executable and
starts it: ua-parser-js 0.7.29 (2021) did exactly this from preinstall. Critical when one file downloads,
writes and executes (or chmods) what it wrote, low when every URL it names is a package registry or the
package's own site or repository (how esbuild-style installers fetch their own binary); high when code starts an executable (ELF, PE, Mach-O) that
ships inside the package, medium for such an executable that nothing visibly starts, info when the
package declares it as its bin or is a per-platform binary package (os/cpu set). Native addons
(.node, .so, .dll) loaded with require are not executables here.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const download = file.calls.find((call) => isNetwork(call.callee));
      if (!download || isBundle(file)) continue;
      // Written from the download (or a stream a response is piped into), then made executable or run.
      const writes = file.calls.filter(
        (call) =>
          /^fs\.(?:writeFile|writeFileSync|createWriteStream|copyFile|copyFileSync)$/.test(call.callee) &&
          (argOrigins(call).has('network') ||
            call.inNetworkCallback ||
            /createWriteStream/.test(call.callee)),
      );
      const mentions = (call: CallFact, path: string) =>
        call.args.some(
          (arg) =>
            arg.text.includes(path) || (arg.elements ?? []).some((element) => element.text.includes(path)),
        );
      let chain: { write: CallFact; chmod?: CallFact; run?: CallFact } | undefined;
      for (const write of writes) {
        const path = write.args[0]?.text;
        if (!path || path.length < 2) continue;
        const chmod = file.calls.find(
          (call) =>
            (/^fs\.chmod(?:Sync)?$/.test(call.callee) ||
              (isExec(call.callee) && /\bchmod\b/.test(commandLine(call) ?? ''))) &&
            mentions(call, path),
        );
        const run = file.calls.find(
          (call) => isExec(call.callee) && !/\bchmod\b/.test(commandLine(call) ?? '') && mentions(call, path),
        );
        if (chmod || run) {
          chain = { write, ...(chmod ? { chmod } : {}), ...(run ? { run } : {}) };
          break;
        }
      }
      if (chain) {
        const { write, chmod, run } = chain;
        const last = run ?? chmod ?? write;
        // A binary installer fetching its own build from the registry or its own releases is the ordinary case.
        const own = downloadsOnlyFromOwnSources(ctx, file);
        findings.push({
          severity: own ? 'low' : 'critical',
          ...(own ? { confidence: 'low' as const } : {}),
          message: `${own ? 'Installs a binary from its own registry or release source: ' : ''}Downloads with ${download.written}() (${where(file, download)}), writes it with ${write.written}() (${where(file, write)})${chmod ? `, makes it executable (${where(file, chmod)})` : ''}${run ? ` and starts a process (${where(file, run)})` : ''}.`,
          location: at(file, last),
          evidence: excerpt(last.args.map((arg) => arg.text).join(', ')),
        });
      }
    }
    // An executable the manifest declares as the package's command is what the package is (esbuild's binary).
    const declared = new Set(
      (ctx.manifest
        ? Object.values(
            typeof ctx.manifest.bin === 'string' ? { bin: ctx.manifest.bin } : (ctx.manifest.bin ?? {}),
          )
        : []
      )
        .filter((value): value is string => typeof value === 'string')
        .map((value) => value.replace(/^\.\//, '')),
    );
    const platformPackage = Array.isArray(ctx.manifest?.os) || Array.isArray(ctx.manifest?.cpu);
    const executables = ctx.code.others.filter(
      (other) => other.binary && other.binary !== 'wasm' && !NATIVE_LIBRARY.test(other.path),
    );
    for (const executable of executables) {
      const name = executable.path.split('/').pop() ?? executable.path;
      const starter = ctx.code.js
        .flatMap((file) => file.calls.filter((call) => isExec(call.callee)).map((call) => ({ file, call })))
        .find(({ call }) => call.args.some((arg) => (arg.value ?? arg.text).includes(name)));
      findings.push(
        starter
          ? {
              severity: 'high',
              message: `Starts ${executable.path}, ${article(executable.binary)} executable shipped in the package (${where(starter.file, starter.call)}).`,
              location: at(starter.file, starter.call),
              evidence: excerpt(starter.call.args[0]?.text ?? name),
            }
          : {
              // Declared as the package's command, or shipped by a per-platform binary package (os/cpu set,
              // like @esbuild/linux-x64): that binary is what the package is.
              severity: declared.has(executable.path) || platformPackage ? 'info' : 'medium',
              message: `Ships ${executable.path}, ${article(executable.binary)} executable (${executable.size} bytes)${declared.has(executable.path) ? ', declared as its command in package.json' : ''}.`,
              location: { file: executable.path },
              confidence: 'low',
            },
      );
    }
    for (const other of ctx.code.others) {
      if (!other.imageTrailer) continue;
      findings.push({
        severity: 'medium',
        message: `${other.path} carries ${other.imageTrailer} bytes after the end of the image, room for a hidden payload.`,
        location: { file: other.path },
        confidence: 'low',
      });
    }
    return findings;
  },
});

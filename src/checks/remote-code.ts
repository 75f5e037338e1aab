import { isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import {
  argOrigins,
  at,
  downloadsOnlyFromOwnSources,
  isBundle,
  networkCallsIn,
  runsCode,
  where,
} from './code-helpers.js';

export const remoteCode = defineCheck({
  id: 'remote-code',
  title: 'Runs code downloaded at run time',
  description: 'Data received from the network handed to eval, Function, vm or module._compile.',
  docs: `Code fetched at run time is code nobody reviewed, and it can change after the package is approved.
eslint-scope 3.7.2 (2018) downloaded a script from pastebin and eval'd it to steal npm tokens; many loaders
since fetch a second stage the same way. Reported (critical) when a response body, or a value derived from
it, reaches eval, new Function, vm or module._compile, including \`fetch(url).then(r => r.text()).then(eval)\`.
There is no honest reason for a dependency to do this; remove the package.`,
  defaultSeverity: 'critical',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const network = networkCallsIn(file);
      if (network.length === 0) continue;
      const source = network[0];
      const from = source ? ` (downloaded by ${source.written}() at ${where(file, source)})` : '';
      for (const call of file.calls) {
        if (!runsCode(call)) continue;
        const origins = argOrigins(call);
        const dynamicArg = call.args.some((arg) => arg.value === undefined);
        if (origins.has('network') || (call.inNetworkCallback && dynamicArg)) {
          findings.push({
            severity: 'critical',
            message: `${call.written}() runs code received from the network${from}.`,
            location: at(file, call),
            evidence: excerpt(call.args[0]?.text ?? call.written),
          });
        }
      }
      for (const ref of file.valueRefs) {
        // `.then(eval)`, `res.on('data', eval)`: handed the data a promise or stream delivers.
        if (!/\.(?:then|on|once)$/.test(ref.context) || isBundle(file)) continue;
        findings.push({
          severity: 'critical',
          message: `${ref.name} is passed as a callback in a file that downloads data${from}: downloaded text is run as code.`,
          location: at(file, ref),
          evidence: ref.name,
          confidence: 'medium',
        });
      }
      // require() of a file the same code writes from a download.
      const writesDownload = file.calls.some(
        (call) => /^fs\.write/.test(call.callee) && argOrigins(call).has('network'),
      );
      // Computed: an unknown name, or a path built from the file's folder (`path.join(__dirname, 'stage2.js')`).
      const computedPath = (use: (typeof file.imports)[number]) =>
        use.module === '?' || (use.computed && /^\.{1,2}\//.test(use.module));
      const requiresDynamic = file.imports.some(computedPath);
      if (
        writesDownload &&
        requiresDynamic &&
        network.some((call) => isNetwork(call.callee)) &&
        !isBundle(file) &&
        !downloadsOnlyFromOwnSources(ctx, file)
      ) {
        const use = file.imports.find(computedPath);
        if (use) {
          findings.push({
            severity: 'medium',
            message: `Writes downloaded data to disk and loads a computed module path${from}.`,
            location: at(file, use),
            confidence: 'medium',
          });
        }
      }
    }
    return findings;
  },
});

import { isDns, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, isBundle, networkCallsIn, where } from './code-helpers.js';

const SECRET_NAME = /TOKEN|SECRET|PASSW(?:OR)?D|API_?KEY|PRIVATE_KEY|ACCESS_KEY|CREDENTIAL|AUTH/i;
/** Uses that copy the values out (names alone, or a child process's env, are not harvesting). */
const SERIALISE = /JSON\.stringify|Object\.(?:entries|values)|iterated/;

export const envHarvest = defineCheck({
  id: 'env-harvest',
  title: 'Collects the environment',
  description: 'The whole environment, or many secret variables, serialised or sent over the network.',
  docs: `Reading NODE_ENV or one API key for the service a package talks to is ordinary and not reported.
Serialising the whole \`process.env\` and sending it is how most npm stealers take CI secrets (the
Shai-Hulud worm, 2025, dumped every variable): critical when the environment flows into a network or DNS
call, high when the whole environment is serialised in a file that talks to the network, or when one file
gathers secret variables of three or more services next to a network call. Passing the environment to a
child process (\`spawn(cmd, { env: process.env })\`) is not a finding.`,
  defaultSeverity: 'high',
  run(ctx) {
    const findings: FindingDraft[] = [];
    for (const file of ctx.code.js) {
      const network = networkCallsIn(file);
      const whole = file.accesses.find(
        (access) =>
          access.whole && SERIALISE.test(access.context ?? '') && !/child_process/.test(access.context ?? ''),
      );
      const flow = file.calls.find(
        (call) => (isNetwork(call.callee) || isDns(call.callee)) && argOrigins(call).has('env-all'),
      );
      if (flow) {
        const read = file.accesses.find((access) => access.whole);
        findings.push({
          severity:
            isBundle(file) && !flow.args.some((arg) => arg.text.includes('process.env'))
              ? 'medium'
              : 'critical',
          message: `Sends the whole environment over the network: process.env${read ? ` (${where(file, read)})` : ''} reaches ${flow.written}() (${where(file, flow)}).`,
          location: at(file, flow),
          evidence: excerpt(flow.args.map((arg) => arg.text).join(', ')),
        });
        continue;
      }
      if (whole && network.length > 0 && !isBundle(file)) {
        findings.push({
          severity: 'high',
          message: `Serialises the whole environment (${whole.context}) in a file that also calls ${network[0]?.written}() (${where(file, network[0] ?? whole)}).`,
          location: at(file, whole),
          evidence: `process.env (${whole.context})`,
          confidence: 'medium',
        });
        continue;
      }
      const secrets = [
        ...new Set(
          file.accesses
            .map((access) => access.path.slice('process.env.'.length))
            .filter((name) => SECRET_NAME.test(name)),
        ),
      ];
      const services = new Set(secrets.map((name) => name.split('_')[0]?.toUpperCase()));
      if (services.size >= 3 && network.length > 0) {
        const first = file.accesses.find((access) =>
          secrets.includes(access.path.slice('process.env.'.length)),
        );
        findings.push({
          severity: 'high',
          message: `Gathers secrets of ${services.size} services (${secrets.slice(0, 6).join(', ')}) in a file that also talks to the network.`,
          location: first ? at(file, first) : { file: file.path },
          evidence: excerpt(secrets.join(', ')),
          confidence: 'medium',
        });
      }
    }
    return findings;
  },
});

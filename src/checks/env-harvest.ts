import { isDns, isNetwork } from '../facts/names.js';
import { defineCheck, excerpt, type FindingDraft } from './check.js';
import { argOrigins, at, isBundle, networkCallsIn, where } from './code-helpers.js';

/**
 * Credentials CI systems and developer machines carry, by service. AI provider keys are left out: multi-provider
 * tools read them side by side for the user.
 */
const WELL_KNOWN_SECRETS: Array<[string, RegExp]> = [
  ['GITHUB', /^(?:GITHUB_TOKEN|GH_TOKEN|GITHUB_PAT|GH_ENTERPRISE_TOKEN|ACTIONS_RUNTIME_TOKEN)$/],
  ['NPM', /^(?:NPM_TOKEN|NODE_AUTH_TOKEN|NPM_AUTH_TOKEN)$/],
  ['AWS', /^AWS_(?:ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/],
  ['AZURE', /^AZURE_(?:CLIENT_SECRET|CLIENT_ID|TENANT_ID|STORAGE_KEY)$|^ARM_CLIENT_SECRET$/],
  ['GOOGLE', /^(?:GOOGLE_APPLICATION_CREDENTIALS|GCP_SERVICE_ACCOUNT_KEY)$/],
  ['SLACK', /^SLACK_(?:TOKEN|BOT_TOKEN|WEBHOOK_URL)$/],
  ['DISCORD', /^DISCORD_(?:TOKEN|WEBHOOK)$/],
  ['GITLAB', /^(?:GITLAB_TOKEN|CI_JOB_TOKEN)$/],
  ['DOCKER', /^DOCKER_(?:PASSWORD|TOKEN|AUTH_CONFIG)$/],
  ['VERCEL', /^VERCEL_TOKEN$/],
  ['NETLIFY', /^NETLIFY_AUTH_TOKEN$/],
  ['CLOUDFLARE', /^CLOUDFLARE_API_(?:TOKEN|KEY)$/],
  ['HEROKU', /^HEROKU_API_KEY$/],
  ['STRIPE', /^STRIPE_SECRET_KEY$/],
  ['CIRCLECI', /^CIRCLE_TOKEN$/],
];
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
reads the credentials of three or more well-known services (GitHub, npm, AWS, cloud,
CI and deployment providers) next to a network call; the package's own service does not count. Passing the environment to a
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
      // Credentials of well-known services other than the package's own: reading several is a sweep.
      const own =
        ctx.name
          .replace(/^@[^/]+\//, '')
          .split(/[-_./]/)[0]
          ?.toUpperCase() ?? '';
      const names = [...new Set(file.accesses.map((access) => access.path.split('.')[2] ?? ''))];
      const services = new Map<string, string>();
      for (const name of names) {
        const service = WELL_KNOWN_SECRETS.find(([, pattern]) => pattern.test(name))?.[0];
        if (service && service !== own) services.set(service, name);
      }
      if (services.size >= 3 && network.length > 0) {
        const taken = [...services.values()];
        const first = file.accesses.find((access) => taken.includes(access.path.split('.')[2] ?? ''));
        findings.push({
          severity: 'high',
          message: `Reads credentials of ${services.size} services (${taken.slice(0, 6).join(', ')}) in a file that also talks to the network.`,
          location: first ? at(file, first) : { file: file.path },
          evidence: excerpt(taken.join(', ')),
          confidence: 'medium',
        });
      }
    }
    return findings;
  },
});

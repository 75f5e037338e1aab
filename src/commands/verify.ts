import { homedir } from 'node:os';
import { join } from 'node:path';
import { readRelease } from '../diff/release.js';
import { ExitCode } from '../errors.js';
import { offeredTools } from '../facts/reachability.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { fetchRelease } from '../fetch/tarball.js';
import { readInventory } from '../mcp/inventory.js';
import type { NpmLaunch } from '../mcp/launch.js';
import type { ConfiguredServer } from '../mcp/servers.js';
import { loadNpmOptions, type NpmOptions } from '../npm-config.js';
import { APPROVALS_FILE, type Approval, readApprovals, toolsHash } from '../policy/approvals.js';
import { PackumentStore } from '../registry/packument.js';
import { resolveVersion } from '../registry/resolve-version.js';
import type { CommandIo } from './scan.js';

export interface VerifyCommandOptions {
  format: 'table' | 'json';
  file?: string;
  configs: string[];
  registry?: string;
}

/** What verify found for one configured server. */
export interface ServerCheck {
  client: string;
  server: string;
  package: string;
  /** The version the config would start today. */
  runs?: string;
  approved?: string;
  drift: string[];
  /** The registry could not answer: the server could not be verified. */
  error?: string;
}

/**
 * `ocellus verify`: every npm-started server in the MCP configs against the approvals file: never approved,
 * floating versions, a different version or integrity than approved, tool descriptions changed since approval.
 */
export async function runVerifyCommand(options: VerifyCommandOptions, io: CommandIo): Promise<number> {
  const path = options.file ?? join(io.cwd, APPROVALS_FILE);
  const { approvals } = await readApprovals(path);
  const home = io.env.HOME ?? io.env.USERPROFILE ?? homedir();
  const inventory = await readInventory({ home, cwd: io.cwd, env: io.env, extraConfigs: options.configs });
  const npmOptions = await loadNpmOptions({
    cwd: io.cwd,
    env: io.env,
    overrides: { registry: options.registry },
  });
  const store = new PackumentStore(npmOptions);
  const checks: ServerCheck[] = [];
  for (const server of inventory.servers) {
    if (server.npm) checks.push(await verifyServer(server, server.npm, approvals, store, npmOptions));
  }
  // Not npm packages: nothing to pin or hash here, but never left out of the answer.
  const unverifiable = inventory.servers
    .filter((server) => !server.npm)
    .map((server) => ({
      client: server.client,
      server: server.name,
      reason: server.notScanned ?? 'not an npm package',
    }));
  const configured = new Set(checks.map((check) => check.package));
  const unused = approvals
    .filter((approval) => !configured.has(approval.name))
    .map((approval) => `${approval.name}@${approval.version}`);
  const unreadable = inventory.configs.filter((config) => config.error);
  const drifted = checks.filter((check) => check.drift.length > 0).length;
  const failed = checks.filter((check) => check.error).length + unreadable.length;
  if (options.format === 'json') {
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, approvalsFile: path, servers: checks, notNpm: unverifiable, approvedNotConfigured: unused, unreadableConfigs: unreadable }, null, 2)}\n`,
    );
  } else {
    const lines: string[] = [];
    for (const check of checks) {
      const state = check.error ? 'NOT VERIFIED' : check.drift.length > 0 ? 'DRIFT' : 'OK';
      lines.push(
        `${state.padEnd(12)} ${check.server} (${check.client}): ${check.package}${check.runs ? `@${check.runs}` : ''}${check.approved ? `, approved ${check.approved}` : ''}`,
      );
      for (const reason of check.drift) lines.push(`    ${reason}`);
      if (check.error) lines.push(`    ${check.error}`);
    }
    for (const entry of unverifiable)
      lines.push(`NOT NPM      ${entry.server} (${entry.client}): ${entry.reason}; review it yourself`);
    for (const config of unreadable) lines.push(`NOT READ     ${config.path}: ${config.error}`);
    if (unused.length > 0) lines.push(`approved but not configured: ${unused.join(', ')}`);
    lines.push(
      `${checks.length} npm server(s) checked against ${path}: ${drifted} drifted, ${failed} not verified.`,
    );
    io.stdout.write(`${lines.join('\n')}\n`);
  }
  if (drifted > 0) return ExitCode.findings;
  return failed > 0 ? ExitCode.incomplete : ExitCode.ok;
}

async function verifyServer(
  server: ConfiguredServer,
  npm: NpmLaunch,
  approvals: readonly Approval[],
  store: PackumentStore,
  npmOptions: NpmOptions,
): Promise<ServerCheck> {
  const check: ServerCheck = { client: server.client, server: server.name, package: npm.name, drift: [] };
  const approval = approvals.find((entry) => entry.name === npm.name);
  if (!approval) check.drift.push('configured but never approved (run `ocellus approve` after review)');
  else check.approved = approval.version;
  if (!npm.pinned) {
    check.drift.push(
      `floating version (${npm.requested ?? 'latest'}): the client starts whatever is published next${approval ? `; pin ${npm.name}@${approval.version}` : ''}`,
    );
  }
  const outcome = await store.get(npm.name);
  if (!outcome.ok) {
    check.error = outcome.reason;
    return check;
  }
  const version = resolveVersion(outcome.index, npm.requested);
  const record = version ? outcome.index.releases.get(version) : undefined;
  if (!version || !record) {
    check.error = `the registry has no version matching ${npm.spec}`;
    return check;
  }
  check.runs = version;
  if (!approval) return check;
  if (version !== approval.version)
    check.drift.push(`starts ${version}, but ${approval.version} was approved`);
  else if (record.integrity && record.integrity !== approval.integrity)
    check.drift.push(
      `the registry now serves different bytes for ${version} (integrity ${record.integrity.slice(0, 24)}…, approved ${approval.integrity.slice(0, 24)}…)`,
    );
  const fetched = await fetchRelease(npm.name, record, npmOptions, DEFAULT_LIMITS);
  if (!fetched.ok) {
    check.error = fetched.reason;
    return check;
  }
  const read = readRelease(version, fetched.contents);
  if (!read.ok) {
    check.error = read.reason;
    return check;
  }
  const tools = offeredTools(read.release.code);
  if (toolsHash(tools) !== approval.toolsHash) {
    const now = new Set(tools.map((tool) => tool.name));
    const added = [...now].filter((name) => !approval.tools.includes(name));
    const removed = approval.tools.filter((name) => !now.has(name));
    const detail = [
      added.length ? `added ${added.join(', ')}` : '',
      removed.length ? `removed ${removed.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    check.drift.push(
      `tool descriptions changed since approval${detail ? ` (${detail})` : ' (same names, new wording: run ocellus diff)'}`,
    );
  }
  return check;
}

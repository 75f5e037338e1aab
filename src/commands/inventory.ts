import { homedir } from 'node:os';
import { commandCaches } from '../cache/location.js';
import { describeTechnique } from '../checks/typosquat.js';
import { ExitCode, errorMessage } from '../errors.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { readInventory } from '../mcp/inventory.js';
import type { ConfiguredServer } from '../mcp/servers.js';
import type { Capability } from '../model.js';
import { loadNpmOptions } from '../npm-config.js';
import { buildReport } from '../report/build.js';
import { scan } from '../scan.js';
import type { FailOn } from '../score.js';
import type { Severity } from '../severity.js';
import { parseScanSpec } from '../targets/spec.js';
import { bundledNameIndex } from '../typosquat/bundled.js';
import { findSuspects } from '../typosquat/matcher.js';
import type { CommandIo } from './scan.js';

export interface InventoryCommandOptions {
  format: 'table' | 'json';
  scan: boolean;
  configs: string[];
  failOn: FailOn;
  registry?: string;
  concurrency: number;
}

/** What a scan of one configured server found, as the inventory summarises it. */
export interface ServerScan {
  verdict: 'block' | 'warn' | 'pass';
  highestSeverity: Severity | 'none';
  findings: number;
  packages: number;
  capabilities: Capability[];
  top?: { checkId: string; severity: Severity; package: string; message: string };
  incomplete: number;
}

export interface InventoryEntry extends ConfiguredServer {
  /** The closest popular package or MCP server the package name imitates, if any. */
  lookalike?: string;
  scan?: ServerScan;
}

/**
 * `ocellus inventory`: every MCP server configured on this machine and in this project, what starts it, which
 * npm package and whether its version is pinned; with --scan, each npm package through the scan pipeline.
 */
export async function runInventoryCommand(options: InventoryCommandOptions, io: CommandIo): Promise<number> {
  const home = io.env.HOME ?? io.env.USERPROFILE ?? homedir();
  const inventory = await readInventory({ home, cwd: io.cwd, env: io.env, extraConfigs: options.configs });
  const index = bundledNameIndex();
  const entries: InventoryEntry[] = inventory.servers.map((server) => {
    const suspect = server.npm ? findSuspects(server.npm.name, index)[0] : undefined;
    return {
      ...server,
      ...(suspect ? { lookalike: `${suspect.target} (${describeTechnique(suspect)})` } : {}),
    };
  });
  // As for scan: a blocked server answers "do not run it" even when another could not be read.
  let blocked = false;
  let incomplete = false;
  if (options.scan) {
    const npmOptions = await loadNpmOptions({
      cwd: io.cwd,
      env: io.env,
      overrides: { registry: options.registry },
    });
    const bySpec = new Map<string, ServerScan | { error: string }>();
    for (const entry of entries) {
      if (!entry.npm || bySpec.has(entry.npm.spec)) continue;
      bySpec.set(entry.npm.spec, await scanServer(entry.npm.spec, npmOptions, options, io));
    }
    for (const entry of entries) {
      const result = entry.npm ? bySpec.get(entry.npm.spec) : undefined;
      if (!result) continue;
      if ('error' in result) {
        entry.notScanned = result.error;
        incomplete = true;
        continue;
      }
      entry.scan = result;
      if (result.verdict === 'block') blocked = true;
      if (result.incomplete > 0) incomplete = true;
    }
  }
  const unreadable = inventory.configs.filter((config) => config.error);
  if (unreadable.length > 0) {
    io.stderr.write(
      `ocellus: ${unreadable.length} config file(s) could not be read, so servers may be missing:\n${unreadable
        .map((config) => `  ${config.path}: ${config.error}`)
        .join('\n')}\n`,
    );
    incomplete = true;
  }
  if (options.format === 'json') {
    io.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, tool: { name: 'ocellus', version: io.toolVersion }, configs: inventory.configs, servers: entries }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(renderInventory(inventory.configs, entries, home, options.scan));
  }
  return blocked ? ExitCode.findings : incomplete ? ExitCode.incomplete : ExitCode.ok;
}

async function scanServer(
  spec: string,
  npmOptions: Awaited<ReturnType<typeof loadNpmOptions>>,
  options: InventoryCommandOptions,
  io: CommandIo,
): Promise<ServerScan | { error: string }> {
  try {
    const caches = commandCaches(io, npmOptions.cache);
    const result = await scan({
      specs: [parseScanSpec(spec, io.cwd)],
      npmOptions,
      limits: DEFAULT_LIMITS,
      concurrency: options.concurrency,
      ...caches,
      env: io.env,
    });
    const { report } = buildReport(result, {
      toolVersion: io.toolVersion,
      failOn: options.failOn,
      allowIncomplete: false,
    });
    const top = report.packages
      .flatMap((pkg) => pkg.findings.map((finding) => ({ pkg, finding })))
      .sort(
        (a, b) => SEVERITY_ORDER.indexOf(a.finding.severity) - SEVERITY_ORDER.indexOf(b.finding.severity),
      )[0];
    return {
      verdict: report.summary.verdict,
      highestSeverity: report.summary.highestSeverity,
      findings: report.summary.findings,
      packages: report.summary.packages,
      capabilities: report.summary.capabilities,
      incomplete: report.summary.incomplete.length,
      ...(top
        ? {
            top: {
              checkId: top.finding.checkId,
              severity: top.finding.severity,
              package: top.pkg.name,
              message: top.finding.message,
            },
          }
        : {}),
    };
  } catch (error) {
    return { error: `scan failed: ${errorMessage(error).split('\n')[0]}` };
  }
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function renderInventory(
  configs: Array<{ client: string; path: string; servers: number; error?: string }>,
  entries: InventoryEntry[],
  home: string,
  scanned: boolean,
): string {
  const tilde = (path: string) => (path.startsWith(home) ? `~${path.slice(home.length)}` : path);
  const lines: string[] = [];
  if (configs.length === 0) lines.push('No MCP client configuration found (use --config <file> for others).');
  for (const config of configs) {
    lines.push(
      `${config.client}: ${tilde(config.path)}${config.error ? ` (NOT READ: ${config.error})` : ` (${config.servers} server(s))`}`,
    );
    for (const entry of entries.filter((server) => server.configFile === config.path)) {
      const started = entry.command ? [entry.command, ...entry.args].join(' ') : (entry.url ?? '');
      lines.push(`  ${entry.name}${entry.disabled ? ' (disabled)' : ''}: ${entry.transport} ${started}`);
      if (entry.npm) {
        const version = entry.npm.pinned
          ? `pinned ${entry.npm.requested}`
          : `floating: ${entry.npm.requested ?? 'latest'}, runs whatever is published next`;
        lines.push(`    npm ${entry.npm.name} (${version})`);
      } else if (entry.notScanned) {
        lines.push(`    not scanned: ${entry.notScanned}`);
      }
      if (entry.env.length > 0) lines.push(`    env: ${entry.env.join(', ')} (values not shown)`);
      if (entry.headers.length > 0) lines.push(`    headers: ${entry.headers.join(', ')} (values not shown)`);
      if (entry.lookalike) lines.push(`    name looks like ${entry.lookalike}`);
    }
  }
  const npmCount = entries.filter((entry) => entry.npm).length;
  lines.push(
    '',
    `${entries.length} server(s) in ${configs.length} config file(s); ${npmCount} started from npm.`,
  );
  if (scanned) {
    lines.push('', `${'server'.padEnd(28)}${'verdict'.padEnd(9)}${'highest'.padEnd(10)}can`);
    for (const entry of entries) {
      const label = `${entry.name} (${entry.client})`.slice(0, 27).padEnd(28);
      if (entry.scan) {
        lines.push(
          `${label}${entry.scan.verdict.toUpperCase().padEnd(9)}${entry.scan.highestSeverity.padEnd(10)}${entry.scan.capabilities.join(', ') || 'nothing sensitive'}`,
        );
        if (entry.scan.top && SEVERITY_ORDER.indexOf(entry.scan.top.severity) <= 1)
          lines.push(
            `    ${entry.scan.top.severity.toUpperCase()} ${entry.scan.top.package}: ${entry.scan.top.message}`,
          );
      } else {
        lines.push(`${label}not scanned: ${entry.notScanned ?? 'not an npm package'}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandCaches } from '../cache/location.js';
import { ExitCode, OcellusError } from '../errors.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { loadNpmOptions } from '../npm-config.js';
import { APPROVALS_FILE, readApprovals, toolsHash, writeApprovals } from '../policy/approvals.js';
import { buildReport } from '../report/build.js';
import { scan } from '../scan.js';
import { parseScanSpec } from '../targets/spec.js';
import type { CommandIo } from './scan.js';

export interface ApproveCommandOptions {
  by?: string;
  file?: string;
  force: boolean;
  registry?: string;
}

/**
 * `ocellus approve <spec>`: scans the server, then records exactly what was reviewed (version, integrity,
 * a hash of its tool descriptions, who and when) in the project's approvals file.
 */
export async function runApproveCommand(
  rawSpec: string,
  options: ApproveCommandOptions,
  io: CommandIo,
): Promise<number> {
  const spec = parseScanSpec(rawSpec, io.cwd);
  const approvedBy = options.by ?? (await gitIdentity(io.cwd));
  if (!approvedBy) {
    throw new OcellusError(
      'EUSAGE',
      'Say who approves: --by <name or email> (git config user.email is not set here).',
    );
  }
  const npmOptions = await loadNpmOptions({
    cwd: io.cwd,
    env: io.env,
    overrides: { registry: options.registry },
  });
  const caches = commandCaches(io, npmOptions.cache);
  const result = await scan({
    specs: [spec],
    npmOptions,
    limits: DEFAULT_LIMITS,
    concurrency: 16,
    ...caches,
    env: io.env,
  });
  const { report, judgement } = buildReport(result, {
    toolVersion: io.toolVersion,
    failOn: 'high',
    allowIncomplete: false,
  });
  const root = report.packages.find((pkg) => pkg.paths.some((path) => path.length === 1));
  if (!root?.integrity)
    throw new OcellusError('EREGISTRY', `Could not read ${rawSpec} well enough to approve it.`);
  if (report.summary.incomplete.length > 0) {
    io.stderr.write(
      `ocellus: not approved: ${report.summary.incomplete.length} package(s) could not be analysed.\n`,
    );
    return ExitCode.incomplete;
  }
  if (judgement.verdict === 'block' && !options.force) {
    io.stderr.write(
      `ocellus: not approved: ${root.name}@${root.version} has findings at high or above (run \`ocellus scan ${root.name}@${root.version}\`). Approve a reviewed exception with --force.\n`,
    );
    return ExitCode.findings;
  }
  const path = options.file ?? join(io.cwd, APPROVALS_FILE);
  const file = await readApprovals(path);
  const tools = root.tools ?? [];
  const approval = {
    name: root.name,
    version: root.version,
    integrity: root.integrity,
    toolsHash: toolsHash(tools),
    tools: tools.map((tool) => tool.name),
    approvedBy,
    approvedAt: new Date().toISOString(),
  };
  file.approvals = [...file.approvals.filter((entry) => entry.name !== root.name), approval];
  await writeApprovals(path, file);
  const dynamic = tools.filter((tool) => tool.dynamic).map((tool) => tool.name);
  if (dynamic.length > 0) {
    io.stderr.write(
      `ocellus: warning: the description of ${dynamic.join(', ')} is computed at run time; the approval pins the code, not what the model will read.\n`,
    );
  }
  io.stdout.write(
    `approved ${root.name}@${root.version} (${tools.length} tool(s), ${root.integrity.slice(0, 20)}…) by ${approvedBy}, in ${path}\n`,
  );
  return ExitCode.ok;
}

async function gitIdentity(cwd: string): Promise<string | undefined> {
  for (const key of ['user.email', 'user.name']) {
    try {
      const { stdout } = await promisify(execFile)('git', ['config', key], { cwd, timeout: 5_000 });
      if (stdout.trim()) return stdout.trim();
    } catch {
      // not set, or no git: try the next, then ask for --by
    }
  }
  return undefined;
}

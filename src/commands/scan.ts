import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { commandCaches } from '../cache/location.js';
import { ExitCode, OcellusError } from '../errors.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { loadNpmOptions } from '../npm-config.js';
import { applyPolicy, loadBaseline, loadPolicy } from '../policy/policy.js';
import { createProgress } from '../progress.js';
import { buildReport } from '../report/build.js';
import { type ReportFormat, renderReport } from '../report/render.js';
import { LOCKFILES, lockedVersionsOf, lockfileLines } from '../resolve/lockfile.js';
import { scan } from '../scan.js';
import type { FailOn } from '../score.js';
import { closestName } from '../suggest.js';
import { parseScanSpec, type ScanSpec } from '../targets/spec.js';

export interface ScanCommandOptions {
  format: ReportFormat;
  /** From --fail-on; when absent, the policy's failOn, else high. */
  failOn?: FailOn;
  /** A policy file to use instead of the one found in the project. */
  policy?: string;
  /** A previous JSON report: only findings not in it fail. */
  baseline?: string;
  /** --changed-only --base <git-ref or lockfile>: scan only packages the base lockfile did not have. */
  changedSince?: string;
  registry?: string;
  concurrency: number;
  allowIncomplete: boolean;
  /** Compare every package with its previous release (on unless --no-diff). */
  diff?: boolean;
  /** Read and write the analysis cache (on unless --no-cache). */
  cache?: boolean;
  /** --cache-dir: where the analysis cache lives. */
  cacheDir?: string;
  /** Use cached registry documents without asking the registry whether they changed. */
  preferOffline?: boolean;
  color: boolean;
  output?: string;
}

export interface CommandIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  toolVersion: string;
}

/** `ocellus scan <spec...>`: options → scan → report → exit code. */
export async function runScanCommand(
  rawSpecs: string[],
  options: ScanCommandOptions,
  io: CommandIo,
): Promise<number> {
  const specs = rawSpecs.map((raw) => parseScanSpec(raw, io.cwd));
  const npmOptions = await loadNpmOptions({
    cwd: io.cwd,
    env: io.env,
    overrides: { registry: options.registry, 'prefer-offline': options.preferOffline || undefined },
  });
  const caches = commandCaches(io, npmOptions.cache, {
    enabled: options.cache ?? true,
    flag: options.cacheDir,
  });
  const progress = createProgress(io.stderr);
  let result: Awaited<ReturnType<typeof scan>>;
  try {
    const onlyChanged = options.changedSince ? await baseVersions(specs, options.changedSince) : undefined;
    result = await scan({
      specs,
      ...(onlyChanged ? { onlyChanged } : {}),
      npmOptions,
      limits: DEFAULT_LIMITS,
      concurrency: options.concurrency,
      diff: options.diff ?? true,
      ...caches,
      env: io.env,
      onProgress: (event) => progress.update(event),
    });
  } catch (error) {
    throw withSuggestion(error, specs);
  } finally {
    progress.clear();
  }
  const loaded = await loadPolicy(io.cwd, options.policy);
  const baseline = options.baseline ? await loadBaseline(options.baseline) : undefined;
  const applied = applyPolicy(result.packages, loaded?.policy ?? {}, {
    today: new Date().toISOString().slice(0, 10),
    ...(baseline ? { baseline } : {}),
  });
  const { report, judgement } = buildReport(
    { ...result, packages: applied.packages },
    {
      toolVersion: io.toolVersion,
      failOn: options.failOn ?? loaded?.policy.failOn ?? 'high',
      allowIncomplete: options.allowIncomplete,
      suppressed: applied.suppressed,
    },
  );
  const lockfile = result.lockfile;
  const lines = lockfile ? lockfileLines(lockfile.text, lockfile.name) : undefined;
  const text = renderReport(report, options.format, {
    color: options.color,
    ...(lockfile && lines
      ? {
          locate: (pkg: { name: string; version: string }) => ({
            uri: relative(io.cwd, lockfile.path).split(sep).join('/'),
            ...(lines.has(`${pkg.name}@${pkg.version}`)
              ? { line: lines.get(`${pkg.name}@${pkg.version}`) }
              : {}),
          }),
        }
      : {}),
  });
  if (options.output) await writeFile(options.output, text);
  else io.stdout.write(text);
  if (judgement.exitCode === ExitCode.incomplete) {
    const marks = report.summary.incomplete;
    const names = marks.slice(0, 10).map((mark) => `${mark.name}@${mark.version} (${mark.reason})`);
    if (marks.length > 10) names.push(`and ${marks.length - 10} more (the report lists them all)`);
    io.stderr.write(
      `ocellus: the scan is incomplete; ${marks.length} package(s) could not be analysed:\n  ${names.join('\n  ')}\n` +
        `${incompleteAdvice(marks)} or pass --allow-incomplete to accept a partial answer.\n`,
    );
  }
  return judgement.exitCode;
}

/** What to do about packages that could not be analysed depends on why: the registry, or their contents. */
function incompleteAdvice(marks: ReadonlyArray<{ code: string }>): string {
  const registry = marks.some((mark) => !LOCAL_CAUSES.has(mark.code));
  const local = marks.some((mark) => LOCAL_CAUSES.has(mark.code));
  if (registry && local) return 'Re-run when the registry is reachable, review the others by hand,';
  return local ? 'Review these packages by hand,' : 'Re-run when the registry is reachable,';
}
/** Causes in the package itself (its contents, its source), which a re-run does not change. */
const LOCAL_CAUSES = new Set(['ECHECK', 'EMANIFEST', 'ETOOBIG', 'ETOOMANY', 'EBADTAR', 'EOFFREGISTRY']);

/**
 * The name@version set of the lockfile the change started from: a lockfile path, or a git ref whose copy of the
 * project's lockfile is read with `git show`.
 */
async function baseVersions(specs: ScanSpec[], base: string): Promise<Set<string>> {
  const project = specs.find((spec) => spec.type === 'project');
  if (!project?.dir)
    throw new OcellusError(
      'EUSAGE',
      '--changed-only needs a project folder to scan (ocellus scan . --changed-only --base main).',
    );
  const asFile = resolve(project.dir, base);
  let text: string | undefined = existsSync(asFile) ? await readFile(asFile, 'utf8') : undefined;
  let lockName: string | undefined;
  if (text === undefined) {
    for (const name of [...LOCKFILES, 'yarn.lock', 'pnpm-lock.yaml']) {
      if (!existsSync(join(project.dir, name))) continue;
      try {
        const { stdout } = await promisify(execFile)('git', ['show', `${base}:./${name}`], {
          cwd: project.dir,
          maxBuffer: 256 * 1024 * 1024,
        });
        text = stdout;
        lockName = name;
      } catch (error) {
        const message =
          (error as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (error as Error).message;
        throw new OcellusError('EUSAGE', `Cannot read ${name} at ${base}: ${message}`);
      }
      break;
    }
  }
  if (text === undefined) throw new OcellusError('EUSAGE', `No lockfile to compare with at ${base}.`);
  const kind =
    [...LOCKFILES, 'yarn.lock', 'pnpm-lock.yaml'].find((name) => (lockName ?? asFile).endsWith(name)) ??
    'package-lock.json';
  return lockedVersionsOf(kind, text);
}

function withSuggestion(error: unknown, specs: ScanSpec[]): unknown {
  if (!(error instanceof OcellusError) || error.code !== 'ENOTFOUND_PACKAGE') return error;
  const missing = specs.find((spec) => spec.name && error.message.includes(`"${spec.name}"`));
  if (!missing?.name) return error;
  const suggestion = closestName(missing.name);
  if (!suggestion) return error;
  return new OcellusError('ENOTFOUND_PACKAGE', error.message, {
    cause: error,
    hint: `Did you mean "${suggestion}"? Check the name carefully: look-alike names are a common attack.`,
  });
}

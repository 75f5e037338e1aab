import { writeFile } from 'node:fs/promises';
import { ExitCode, OcellusError } from '../errors.js';
import { DEFAULT_LIMITS } from '../fetch/limits.js';
import { loadNpmOptions } from '../npm-config.js';
import { applyPolicy, loadBaseline, loadPolicy } from '../policy/policy.js';
import { createProgress } from '../progress.js';
import { buildReport } from '../report/build.js';
import { type ReportFormat, renderReport } from '../report/render.js';
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
  registry?: string;
  concurrency: number;
  allowIncomplete: boolean;
  /** Compare every package with its previous release (on unless --no-diff). */
  diff?: boolean;
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
    overrides: { registry: options.registry },
  });
  const progress = createProgress(io.stderr);
  let result: Awaited<ReturnType<typeof scan>>;
  try {
    result = await scan({
      specs,
      npmOptions,
      limits: DEFAULT_LIMITS,
      concurrency: options.concurrency,
      diff: options.diff ?? true,
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
  const text = renderReport(report, options.format, { color: options.color });
  if (options.output) await writeFile(options.output, text);
  else io.stdout.write(text);
  if (judgement.exitCode === ExitCode.incomplete) {
    const marks = report.summary.incomplete;
    const names = marks.slice(0, 10).map((mark) => `${mark.name}@${mark.version} (${mark.reason})`);
    if (marks.length > 10) names.push(`and ${marks.length - 10} more (the report lists them all)`);
    io.stderr.write(
      `ocellus: the scan is incomplete; ${marks.length} package(s) could not be analysed:\n  ${names.join('\n  ')}\n` +
        'Re-run when the registry is reachable, or pass --allow-incomplete to accept a partial answer.\n',
    );
  }
  return judgement.exitCode;
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

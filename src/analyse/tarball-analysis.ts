import type { Check } from '../checks/check.js';
import type { ReadLimits } from '../fetch/limits.js';
import { unpackDownloaded } from '../fetch/unpack.js';
import type { PackageContents } from '../model.js';
import { analyseCode, type CodeAnalysis } from './code-analysis.js';

/**
 * One package to analyse from its verified, still-compressed tarballs. Unpacking happens where the analysis
 * runs (a worker thread when there is a pool), so the scan's main thread only downloads and holds compressed
 * bytes, and the unpacked contents never cross a thread boundary.
 */
export interface TarballTask {
  name: string;
  version: string;
  tarball: Uint8Array;
  /** The release this one replaced, for the version diff. */
  previous?: { version: string; tarball: Uint8Array };
  limits: ReadLimits;
}

/** A holder's tarball, handed over: the holder keeps an empty one, so only the unpacking holds the bytes. */
function take(holder: { tarball: Uint8Array }): Uint8Array {
  const { tarball } = holder;
  holder.tarball = new Uint8Array(0);
  return tarball;
}

export type TarballOutcome =
  | {
      ok: true;
      analysis: CodeAnalysis;
      /** The previous release could not be unpacked: the analysis ran without the diff, and says why. */
      previousFailure?: { code: string; reason: string };
    }
  | { ok: false; code: string; reason: string };

/**
 * Unpacks a package's tarball (and the previous release's) in memory and runs the code checks on them.
 * The task's compressed tarballs are let go of (emptied) once unpacked: on a worker thread the task is a
 * private copy that would otherwise stay alive, tarballs and all, until the analysis ends (60 MB for next).
 */
export async function analyseTarball(task: TarballTask, checks: readonly Check[]): Promise<TarballOutcome> {
  const outcome = await unpackDownloaded(take(task), task.limits);
  if (!outcome.ok) return outcome;
  let previous: { version: string; contents: PackageContents } | undefined;
  let previousFailure: { code: string; reason: string } | undefined;
  if (task.previous) {
    // Files the two releases share are held once: the previous release takes this one's bytes for them.
    const unpacked = await unpackDownloaded(take(task.previous), task.limits, outcome.contents);
    if (unpacked.ok) previous = { version: task.previous.version, contents: unpacked.contents };
    else
      previousFailure = {
        code: unpacked.code,
        reason: `the previous release ${task.previous.version}, needed for the version diff: ${unpacked.reason}`,
      };
  }
  const code = analyseCode(task.name, task.version, outcome.contents, checks, previous);
  if (!code.ok) return code;
  return { ok: true, analysis: code.analysis, ...(previousFailure ? { previousFailure } : {}) };
}

import { CHECKS } from '../checks/index.js';
import type { PackageContents } from '../model.js';
import { analyseCode, type CodeOutcome } from './code-analysis.js';

/** One package to analyse in a worker thread: the tarballs' contents travel by structured clone. */
export interface AnalyseTask {
  name: string;
  version: string;
  contents: PackageContents;
  previous?: { version: string; contents: PackageContents };
}

/** Worker entry (piscina): the code analysis with every check, as `scan` runs it in-process. */
export default function analyse(task: AnalyseTask): CodeOutcome {
  return analyseCode(task.name, task.version, task.contents, CHECKS, task.previous);
}

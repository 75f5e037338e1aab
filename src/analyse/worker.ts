import { CODE_CHECKS } from '../checks/code-checks.js';
import { analyseTarball, type TarballOutcome, type TarballTask } from './tarball-analysis.js';

/** Worker entry (piscina): unpacks and analyses one package with every check, as `scan` does in-process. */
export default function analyse(task: TarballTask): Promise<TarballOutcome> {
  return analyseTarball(task, CODE_CHECKS);
}

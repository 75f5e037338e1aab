import type { SkippedEntry } from '../model.js';
import type { Severity } from '../severity.js';
import { defineCheck, excerpt } from './check.js';

// Text a scanner could have read. Native binaries (.node, .so, .wasm) are not JavaScript to analyse at any
// size; the package's `native` capability already says it ships them.
const CODE_FILE = /\.(?:[cm]?[jt]sx?|sh|bash|ps1|py|json)$/i;

const DESCRIBE: Record<
  SkippedEntry['reason'],
  (entry: SkippedEntry) => { severity: Severity; message: string }
> = {
  'file-too-large': (entry) => ({
    severity: CODE_FILE.test(entry.path) ? 'medium' : 'info',
    message: `${entry.path} (${formatBytes(entry.size)}) is over the per-file size limit and was not analysed.`,
  }),
  link: (entry) => ({
    severity: 'medium',
    message: `${entry.path} is a symbolic or hard link; npm packages do not normally ship links, and it was not followed.`,
  }),
  'unsafe-path': (entry) => ({
    severity: 'high',
    message: `The tarball holds an entry named ${excerpt(entry.path, 80)}, which would land outside the package folder.`,
  }),
  'not-a-file': (entry) => ({
    severity: 'info',
    message: `${entry.path} is not a regular file and was not analysed.`,
  }),
  duplicate: (entry) => ({
    severity: 'medium',
    message: `${entry.path} appears more than once in the tarball; the copy npm installs may differ from the one a reviewer sees.`,
  }),
};

export const unanalysedContent = defineCheck({
  id: 'unanalysed-content',
  title: 'Content not analysed',
  description:
    'Tarball entries the scanner did not analyse: over-size files, links, unsafe paths, duplicates.',
  docs: `A scanner that silently skips what it cannot read invites attackers to hide there. Every tarball
entry Ocellus does not analyse is reported: code files over the per-file limit (medium), links (medium),
entries whose path escapes the package folder (high: npm strips them, but no honest packer makes them),
and duplicate entries (medium). Large data files such as images are reported at info. A reviewed finding is accepted for now by scanning with a higher --fail-on; per-package allowlist entries with a reason come with the policy file.`,
  defaultSeverity: 'medium',
  run(ctx) {
    return ctx.contents.skipped.map((entry) => {
      const { severity, message } = DESCRIBE[entry.reason](entry);
      return { severity, message, location: { file: entry.path }, confidence: 'high' as const };
    });
  },
});

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { OcellusError } from '../errors.js';
import type { DeclaredTool } from '../model.js';

/** One reviewed MCP server: the exact bytes and tool descriptions someone looked at. */
export interface Approval {
  name: string;
  version: string;
  integrity: string;
  /** sha256 over the tools, prompts and resources with their descriptions: a rug pull changes it. */
  toolsHash: string;
  tools: string[];
  approvedBy: string;
  approvedAt: string;
}

export interface ApprovalsFile {
  schemaVersion: 1;
  approvals: Approval[];
}

/** Committed with the project, next to its MCP configs. */
export const APPROVALS_FILE = 'ocellus-approvals.json';

/** Pure: the hash of what the model is told, independent of declaration order and code layout. */
export function toolsHash(
  tools: readonly Pick<DeclaredTool, 'kind' | 'name' | 'description' | 'dynamic'>[],
): string {
  const canonical = tools
    .map((tool) => [tool.kind, tool.name, tool.dynamic ? '(computed at run time)' : tool.description])
    .sort((a, b) => {
      // Code-unit order, not the locale's: the hash must be the same on every machine.
      const left = `${a[0]}\u0000${a[1]}`;
      const right = `${b[0]}\u0000${b[1]}`;
      return left < right ? -1 : left > right ? 1 : 0;
    });
  return `sha256-${createHash('sha256').update(JSON.stringify(canonical)).digest('base64')}`;
}

export async function readApprovals(path: string): Promise<ApprovalsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, approvals: [] };
    throw new OcellusError('ECONFIG', `Cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OcellusError('ECONFIG', `${path} is not valid JSON: ${(error as Error).message}`);
  }
  const file = value as Partial<ApprovalsFile>;
  if (file?.schemaVersion !== 1 || !Array.isArray(file.approvals) || !file.approvals.every(isApproval)) {
    throw new OcellusError(
      'ECONFIG',
      `${path} is not an Ocellus approvals file (schemaVersion 1, approvals with name, version, integrity, toolsHash, approvedBy, approvedAt).`,
    );
  }
  return file as ApprovalsFile;
}

function isApproval(value: unknown): value is Approval {
  const entry = value as Record<string, unknown>;
  return (
    !!entry &&
    ['name', 'version', 'integrity', 'toolsHash', 'approvedBy', 'approvedAt'].every(
      (key) => typeof entry[key] === 'string',
    ) &&
    Array.isArray(entry.tools)
  );
}

/** Writes through a temporary file and a rename, so an interrupted write never leaves half a file. */
export async function writeApprovals(path: string, file: ApprovalsFile): Promise<void> {
  const sorted = {
    ...file,
    approvals: [...file.approvals].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
  await rename(temporary, path);
}

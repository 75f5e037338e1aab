import { posix, win32 } from 'node:path';
import npa from 'npm-package-arg';

/** How a configured server's npm package is started, and whether its version is pinned. */
export interface NpmLaunch {
  launcher: string;
  /** The spec as written (`@modelcontextprotocol/server-filesystem@0.6.2`, `mcp-remote`). */
  spec: string;
  name: string;
  /** The version or range asked for; absent means the `latest` tag. */
  requested?: string;
  /** An exact version: the same code runs every time. A range or tag runs whatever is published next. */
  pinned: boolean;
}

export type LaunchReading = { npm: NpmLaunch } | { reason: string };

const EXEC_PREFIX: Record<string, string[]> = {
  npm: ['exec', 'x'],
  pnpm: ['dlx'],
  yarn: ['dlx'],
  bun: ['x'],
};
/** Flags of npx-style launchers that take a value (so the value is not the package). */
const VALUE_FLAGS = new Set([
  '-p',
  '--package',
  '-c',
  '--call',
  '--registry',
  '--cache',
  '--userconfig',
  '--prefix',
]);

function baseCommand(command: string): string {
  const name = (command.includes('\\') ? win32 : posix).basename(command).toLowerCase();
  return name.replace(/\.(?:cmd|exe|bat|ps1)$/, '');
}

/** Pure: what a config's `command` and `args` start, when it is an npm package. */
export function readLaunch(command: string, args: readonly string[]): LaunchReading {
  const base = baseCommand(command);
  // `cmd /c npx -y pkg` on Windows.
  if (base === 'cmd' && args[0]?.toLowerCase() === '/c' && args[1]) return readLaunch(args[1], args.slice(2));
  let rest: readonly string[];
  if (base === 'npx' || base === 'pnpx' || base === 'bunx') rest = args;
  else if (EXEC_PREFIX[base]?.includes(args[0] ?? '')) rest = args.slice(1);
  else return { reason: notNpmReason(base) };
  let explicit: string | undefined;
  let spec: string | undefined;
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index] ?? '';
    if (arg === '--') {
      spec ??= rest[index + 1];
      break;
    }
    if (arg.startsWith('--package=')) explicit ??= arg.slice('--package='.length);
    else if (arg === '-p' || arg === '--package') explicit ??= rest[index + 1];
    if (arg.startsWith('-')) {
      if (VALUE_FLAGS.has(arg)) index++;
      continue;
    }
    spec = arg;
    break;
  }
  const chosen = explicit ?? spec;
  if (!chosen) return { reason: `${base} without a package to run` };
  return readSpec(base, chosen);
}

function readSpec(launcher: string, spec: string): LaunchReading {
  try {
    const parsed = npa(spec);
    if (!parsed.registry || !parsed.name)
      return { reason: `a ${parsed.type} spec (${spec}), not a registry package` };
    const requested = parsed.rawSpec && parsed.rawSpec !== '*' ? parsed.rawSpec : undefined;
    return {
      npm: {
        launcher,
        spec,
        name: parsed.name,
        ...(requested ? { requested } : {}),
        pinned: parsed.type === 'version',
      },
    };
  } catch {
    return { reason: `"${spec}" is not an npm package spec` };
  }
}

function notNpmReason(base: string): string {
  if (['uvx', 'uv', 'python', 'python3', 'pip', 'pipx'].includes(base))
    return 'a Python program, not an npm package';
  if (['docker', 'podman'].includes(base)) return 'a container image, not an npm package';
  if (base === 'node' || base === 'bun' || base === 'deno' || base === 'tsx')
    return 'a script on this machine, not a registry package';
  return `${base}, a program on this machine, not an npm package`;
}

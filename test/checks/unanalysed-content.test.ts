import { unanalysedContent } from '../../src/checks/unanalysed-content.js';
import { testCheck } from '../helpers/check-tester.js';

testCheck(unanalysedContent, {
  flagged: [
    {
      label: 'an oversized JavaScript file',
      skipped: [{ path: 'dist/index.js', reason: 'file-too-large', size: 40 * 1024 * 1024 }],
      severity: 'medium',
      message: /dist\/index\.js \(40\.0 MiB\) is over the per-file size limit/,
    },
    {
      label: 'an entry that escapes the package folder',
      skipped: [{ path: '../../.bashrc', reason: 'unsafe-path', size: 10 }],
      severity: 'high',
    },
    { label: 'a symlink', skipped: [{ path: 'lib/config', reason: 'link', size: 0 }], severity: 'medium' },
    {
      label: 'a duplicated entry',
      skipped: [{ path: 'index.js', reason: 'duplicate', size: 9 }],
      severity: 'medium',
    },
  ],
  clean: [
    { label: 'a package with everything read', files: { 'index.js': 'module.exports = 1' } },
    {
      label: 'a large native binary (the native capability already says so)',
      skipped: [{ path: 'lib/libvips-cpp.so.8.18.7', reason: 'file-too-large', size: 18 * 1024 * 1024 }],
    },
    {
      label: 'a large prebuilt addon',
      skipped: [{ path: 'nx.linux-x64-gnu.node', reason: 'file-too-large', size: 27 * 1024 * 1024 }],
    },
  ],
});

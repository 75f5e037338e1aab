import { manifestConfusion } from '../../src/checks/manifest-confusion.js';
import { testCheck } from '../helpers/check-tester.js';
import { registryOf, releaseRecord } from '../helpers/package-builder.js';

const registryWith = (manifest: Partial<ReturnType<typeof releaseRecord>['manifest']>) =>
  registryOf(
    'colours',
    releaseRecord('1.0.0', { manifest: { scripts: {}, dependencies: {}, bin: {}, ...manifest } }),
  );
const files = { 'index.js': 'module.exports = {};\n', 'setup.js': "console.log('x')\n" };

testCheck(manifestConfusion, {
  flagged: [
    {
      label: 'an install script only the tarball declares',
      name: 'colours',
      manifest: { scripts: { postinstall: 'node setup.js' } },
      files,
      registry: registryWith({}),
      severity: 'high',
      message: /runs postinstall "node setup\.js", but the registry's manifest shows no such script/,
    },
    {
      label: 'an install script the registry shows differently',
      name: 'colours',
      manifest: { scripts: { preinstall: 'node setup.js' } },
      files,
      registry: registryWith({ scripts: { preinstall: 'echo ok' } }),
      severity: 'high',
    },
    {
      label: 'dependencies that differ from what npm installs',
      name: 'colours',
      manifest: { dependencies: { 'evil-dep': '^1.0.0' } },
      files,
      registry: registryWith({ dependencies: { chalk: '^5.0.0' } }),
      severity: 'medium',
      message: /evil-dep only in the tarball; chalk only in the registry/,
    },
    {
      label: 'a bin command the registry does not show',
      name: 'colours',
      manifest: { bin: { git: 'setup.js' } },
      files,
      registry: registryWith({}),
      severity: 'medium',
    },
  ],
  clean: [
    {
      label: 'matching manifests',
      name: 'colours',
      manifest: {
        scripts: { postinstall: 'node setup.js' },
        dependencies: { a: '^1.0.0' },
        bin: './setup.js',
      },
      files,
      registry: registryWith({
        scripts: { postinstall: 'node setup.js' },
        dependencies: { a: '^1.0.0' },
        bin: { colours: 'setup.js' },
      }),
      cleanBelow: 'info',
    },
    {
      label: "npm's implied node-gyp rebuild for a binding.gyp",
      name: 'colours',
      manifest: {},
      files: { ...files, 'binding.gyp': '{}' },
      registry: registryWith({ scripts: { install: 'node-gyp rebuild' } }),
      cleanBelow: 'info',
    },
    {
      label:
        'a registry copy that carries no scripts field at all (an abbreviated document): unknown, not empty',
      name: 'colours',
      manifest: { scripts: { postinstall: 'node setup.js' } },
      files,
      registry: registryOf('colours', releaseRecord('1.0.0', { manifest: {} })),
      cleanBelow: 'info',
    },
    {
      label: 'bin commands npm expanded from directories.bin, and paths npm cleaned',
      name: 'colours',
      manifest: { directories: { bin: './bin' } },
      files: { ...files, 'bin/colours': '#!/usr/bin/env node\n' },
      registry: registryWith({ bin: { colours: 'bin/colours' } }),
      cleanBelow: 'info',
    },
    {
      label: 'no registry manifest (local tarball, trimmed mirror)',
      name: 'colours',
      manifest: { scripts: { postinstall: 'node setup.js' } },
      files,
      cleanBelow: 'info',
    },
  ],
});

import type { Capability, PackageContents } from '../model.js';
import { INSTALL_HOOKS } from './install-hooks.js';
import type { PackageManifest } from './manifest.js';
import { scriptsOf } from './manifest.js';

/**
 * What a package can do, from what it ships. This covers what the manifest and file list show
 * (install scripts, native code); capabilities read from code (network, env, ...) come from code facts.
 */
export function manifestCapabilities(
  manifest: PackageManifest | null,
  contents: PackageContents,
): Capability[] {
  const capabilities = new Set<Capability>();
  const scripts = scriptsOf(manifest);
  const hasBindingGyp = contents.files.has('binding.gyp');
  if (INSTALL_HOOKS.some((hook) => scripts[hook]?.trim()) || (hasBindingGyp && manifest?.gypfile !== false)) {
    capabilities.add('install-script');
  }
  if (hasBindingGyp || [...contents.files.keys()].some((path) => path.endsWith('.node'))) {
    capabilities.add('native');
  }
  return [...capabilities];
}

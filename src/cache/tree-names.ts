import { join } from 'node:path';
import { isRegistryPackageName } from '../registry/packument.js';
import { EntryStore, sha256 } from './entry-store.js';

const FORMAT = 'tree-names-v1';
const MAX_BYTES = 8 * 1024 * 1024;
/** More names than any real tree; a longer list is cut, costing only documents fetched the slow way. */
const MAX_NAMES = 5_000;

/**
 * The package names the last resolution of the same specs needed, so the next one can fetch their registry
 * documents all at once instead of level by level as Arborist discovers them. Only a hint: a name no longer in
 * the tree costs one wasted request, a new one is fetched by Arborist as usual, and nothing here is ever
 * believed about a package (the documents themselves are fetched, and revalidated, as without it).
 */
export class TreeNamesCache {
  readonly #store: EntryStore<string[]>;

  constructor(dir: string) {
    this.#store = new EntryStore(join(dir, FORMAT), MAX_BYTES, isNameList);
  }

  async get(registry: string, specs: readonly string[]): Promise<string[]> {
    return (await this.#store.get(this.#key(registry, specs))) ?? [];
  }

  async put(registry: string, specs: readonly string[], names: readonly string[]): Promise<void> {
    const plain = [...new Set(names)].filter(isRegistryPackageName).slice(0, MAX_NAMES);
    await this.#store.put(this.#key(registry, specs), plain);
    await this.#store.prune();
  }

  #key(registry: string, specs: readonly string[]): string {
    return sha256(JSON.stringify([FORMAT, registry, [...specs].sort()]));
  }
}

/** Only plain registry names are ever requested from a stored list (see isRegistryPackageName). */
const isNameList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((name) => typeof name === 'string' && isRegistryPackageName(name));

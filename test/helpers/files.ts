import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder, at any depth (cache entries live in shard folders). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

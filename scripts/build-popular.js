#!/usr/bin/env node
// Regenerates src/data/popular-packages.json: the most downloaded npm package names with their monthly
// downloads, used to suggest a name when a spec does not exist.
// Source: the team's snapshot of npm monthly download counts, shared/data/npm-popular.tsv
// (`name<TAB>downloads_a_month`, 10,000 rows). Usage: node scripts/build-popular.js [path/to/tsv]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? join(here, '..', '..', 'shared', 'data', 'npm-popular.tsv');
const limit = 10_000;

const rows = readFileSync(source, 'utf8')
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'))
  .filter(([name, downloads]) => name && /^\d+$/.test(downloads ?? ''))
  .map(([name, downloads]) => [name, Number(downloads)])
  .sort((a, b) => b[1] - a[1])
  .slice(0, limit);

const output = {
  source: 'npm registry monthly download counts (shared/data/npm-popular.tsv snapshot)',
  generated: new Date().toISOString().slice(0, 10),
  packages: rows,
};
writeFileSync(join(here, '..', 'src', 'data', 'popular-packages.json'), `${JSON.stringify(output)}\n`);
console.log(`wrote ${rows.length} packages`);

#!/usr/bin/env node
// Whether a change to the fact extractor changed what it extracts: every package of the given lockfiles is
// fetched once (through npm's cache) and its facts computed by this checkout's build and by another checkout's
// build (the commit before the change, built), and the two are compared as JSON. Also prints the time each took.
// Usage: node test/bench/facts-equivalence.js <other checkout> <package-lock.json...>
//   e.g. git worktree add ../base HEAD~1 && (cd ../base && npm ci && npm run build)
//        node test/bench/facts-equivalence.js ../base test/bench/projects/api-service/package-lock.json
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { codeFacts } from '../../dist/facts/package-facts.js';
import { DEFAULT_LIMITS } from '../../dist/fetch/limits.js';
import { fetchPackage } from '../../dist/fetch/tarball.js';
import { loadNpmOptions } from '../../dist/npm-config.js';

const [other, ...lockfiles] = process.argv.slice(2);
if (!other || lockfiles.length === 0) {
  console.error('usage: node test/bench/facts-equivalence.js <other checkout> <package-lock.json...>');
  process.exit(2);
}
const { codeFacts: otherFacts } = await import(
  pathToFileURL(resolve(other, 'dist/facts/package-facts.js')).href
);
const npmOptions = await loadNpmOptions({ cwd: process.cwd(), env: process.env });
const nodes = lockfiles.flatMap((file) =>
  Object.entries(JSON.parse(readFileSync(file, 'utf8')).packages ?? {})
    .filter(([path, entry]) => path && entry.resolved && entry.integrity)
    .map(([path, entry]) => ({
      name: path.replace(/.*node_modules\//, ''),
      version: entry.version,
      resolved: entry.resolved,
      integrity: entry.integrity,
    })),
);
const limit = pLimit(8);
const downloads = nodes.map((node) => limit(() => fetchPackage(node, npmOptions, DEFAULT_LIMITS)));
const totals = { same: 0, different: 0, unfetched: 0, thisMs: 0, otherMs: 0 };
const timed = (facts, contents) => {
  const started = performance.now();
  const json = JSON.stringify(facts(contents));
  return { json, ms: performance.now() - started };
};
for (const [index, node] of nodes.entries()) {
  const outcome = await downloads[index];
  if (!outcome.ok) {
    totals.unfetched++;
    continue;
  }
  // Alternated, so neither build always runs on the other's warmed-up caches.
  const [first, second] = index % 2 === 0 ? [codeFacts, otherFacts] : [otherFacts, codeFacts];
  const a = timed(first, outcome.contents);
  const b = timed(second, outcome.contents);
  const mine = index % 2 === 0 ? a : b;
  const theirs = index % 2 === 0 ? b : a;
  totals.thisMs += mine.ms;
  totals.otherMs += theirs.ms;
  if (mine.json === theirs.json) totals.same++;
  else {
    totals.different++;
    console.log(`different: ${node.name}@${node.version}`);
  }
}
console.log(
  `${totals.same} packages the same, ${totals.different} different, ${totals.unfetched} not fetched; facts took ${(totals.thisMs / 1000).toFixed(1)} s here, ${(totals.otherMs / 1000).toFixed(1)} s in ${other}`,
);
process.exitCode = totals.different > 0 || totals.unfetched > 0 ? 1 : 0;

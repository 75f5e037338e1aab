#!/usr/bin/env node
// Whether a change to the analysis (facts, code checks, version diff) changed what it concludes: every package of
// the given lockfiles is fetched once (tarballs through npm's cache, registry documents from the registry) with
// the release before it (the scan's own choice),
// analysed by this checkout's build and by another checkout's build (the commit before the change, built), and
// the two analyses are compared as JSON. Also prints the time each build took.
// Usage: node test/bench/analysis-equivalence.js <other checkout> <package-lock.json...>
//   e.g. git worktree add ../base HEAD~1 && (cd ../base && npm ci && npm run build)
//        node test/bench/analysis-equivalence.js ../base test/bench/projects/api-service/package-lock.json
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pLimit from 'p-limit';
import { analyseCode } from '../../dist/analyse/code-analysis.js';
import { CODE_CHECKS } from '../../dist/checks/code-checks.js';
import { DEFAULT_LIMITS } from '../../dist/fetch/limits.js';
import { fetchPackage } from '../../dist/fetch/tarball.js';
import { loadNpmOptions } from '../../dist/npm-config.js';
import { PackumentStore } from '../../dist/registry/packument.js';
import { previousRelease } from '../../dist/registry/releases.js';

const [other, ...lockfiles] = process.argv.slice(2);
if (!other || lockfiles.length === 0) {
  console.error('usage: node test/bench/analysis-equivalence.js <other checkout> <package-lock.json...>');
  process.exit(2);
}
const builtThere = (path) => import(pathToFileURL(resolve(other, 'dist', path)).href);
const theirs = {
  analyseCode: (await builtThere('analyse/code-analysis.js')).analyseCode,
  checks: (await builtThere('checks/code-checks.js')).CODE_CHECKS,
};
const ours = { analyseCode, checks: CODE_CHECKS };
const npmOptions = await loadNpmOptions({ cwd: process.cwd(), env: process.env });
const packuments = new PackumentStore(npmOptions);
const nodes = lockfiles.flatMap((file) =>
  Object.entries(JSON.parse(readFileSync(file, 'utf8')).packages ?? {})
    .filter(([path, entry]) => path && entry.resolved && entry.integrity)
    .map(([path, entry]) => ({
      // An aliased dependency (`"foo": "npm:bar@1"`) is installed under its alias; the lockfile names the package.
      name: entry.name ?? path.replace(/.*node_modules\//, ''),
      version: entry.version,
      resolved: entry.resolved,
      integrity: entry.integrity,
    })),
);

/** The package and the release it replaced, unpacked; no previous release when the registry names none. */
async function releases(node) {
  const current = await fetchPackage(node, npmOptions, DEFAULT_LIMITS);
  const packument = await packuments.get(node.name);
  const record = packument.ok ? previousRelease(packument.index, node.version) : undefined;
  if (!current.ok || !record?.tarball || !record.integrity) return { current };
  const before = {
    name: node.name,
    version: record.version,
    resolved: record.tarball,
    integrity: record.integrity,
  };
  const previous = await fetchPackage(before, npmOptions, DEFAULT_LIMITS);
  return {
    current,
    previous: previous.ok ? { version: record.version, contents: previous.contents } : undefined,
  };
}

const limit = pLimit(8);
const fetched = nodes.map((node) => limit(() => releases(node)));
const totals = { same: 0, different: 0, unfetched: 0, withPrevious: 0, oursMs: 0, theirsMs: 0 };
const analysed = (build, node, current, previous) => {
  const started = performance.now();
  const json = JSON.stringify(build.analyseCode(node.name, node.version, current, build.checks, previous));
  return { json, ms: performance.now() - started };
};
for (const [index, node] of nodes.entries()) {
  const { current, previous } = await fetched[index];
  if (!current.ok) {
    totals.unfetched++;
    continue;
  }
  if (previous) totals.withPrevious++;
  // Alternated, so neither build always runs on the other's warmed-up caches.
  const first = index % 2 === 0 ? ours : theirs;
  const second = index % 2 === 0 ? theirs : ours;
  const a = analysed(first, node, current.contents, previous);
  const b = analysed(second, node, current.contents, previous);
  const [here, there] = index % 2 === 0 ? [a, b] : [b, a];
  totals.oursMs += here.ms;
  totals.theirsMs += there.ms;
  if (here.json === there.json) totals.same++;
  else {
    totals.different++;
    console.log(`different: ${node.name}@${node.version}`);
  }
}
console.log(
  `${totals.same} packages the same (${totals.withPrevious} compared with their previous release), ${totals.different} different, ${totals.unfetched} not fetched; analyses took ${(totals.oursMs / 1000).toFixed(1)} s here, ${(totals.theirsMs / 1000).toFixed(1)} s in ${other}`,
);
process.exitCode = totals.different > 0 || totals.unfetched > 0 ? 1 : 0;

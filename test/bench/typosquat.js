#!/usr/bin/env node
// Typosquat detection: time per name, recall on real historical typosquats, and false positives over the
// most popular packages. Run after `npm run build`: node test/bench/typosquat.js
// Reads the TypeScript list of historical squats directly (Node strips its types).
import { bundledNameIndex, POPULAR_PACKAGES } from '../../dist/typosquat/bundled.js';
import { findSuspects } from '../../dist/typosquat/matcher.js';
import { HISTORICAL_TYPOSQUATS } from '../typosquat/historical.ts';
import { measureFalsePositives, measureRecall } from '../typosquat/measure.ts';

const buildStart = performance.now();
const index = bundledNameIndex();
const buildMs = performance.now() - buildStart;

const names = POPULAR_PACKAGES.slice(0, 5000).map(([name]) => name);
const probes = [...names, ...HISTORICAL_TYPOSQUATS.map((squat) => squat.name)];
for (const name of probes.slice(0, 500)) findSuspects(name, index); // warm up the JIT
const times = [];
for (const name of probes) {
  const start = performance.now();
  findSuspects(name, index, { suspectDownloads: null });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];

const recall = measureRecall(findSuspects, index, HISTORICAL_TYPOSQUATS);
const fp = measureFalsePositives(findSuspects, index, names, 'list');
const fpNew = measureFalsePositives(findSuspects, index, names, 'new');

console.log(`index build: ${buildMs.toFixed(0)} ms over ${index.forms.length} names`);
console.log(
  `per name (${times.length} names): median ${(at(0.5) * 1000).toFixed(0)} µs, p99 ${(at(0.99) * 1000).toFixed(0)} µs, max ${(times.at(-1) * 1000).toFixed(0)} µs`,
);
console.log(
  `recall: ${recall.found}/${recall.total} (${(100 * recall.rate).toFixed(1)}%) flagged with the right target; targets in the bundled lists: ${recall.foundInData}/${recall.totalInData} (${(100 * recall.rateInData).toFixed(1)}%)`,
);
for (const miss of recall.missed)
  console.log(`  missed ${miss.name} → ${miss.targets.join(' | ')}: got ${miss.got}`);
console.log(
  `false positives, top 5,000 checked with their own downloads: ${fp.flagged.length}/${names.length} (${(100 * fp.rate).toFixed(2)}%)`,
);
for (const hit of fp.flagged) console.log(`  ${hit}`);
console.log(
  `false positives, top 5,000 checked as unknown new packages: ${fpNew.flagged.length}/${names.length} (${(100 * fpNew.rate).toFixed(2)}%)`,
);
if (process.argv.includes('--verbose')) for (const hit of fpNew.flagged) console.log(`  ${hit}`);

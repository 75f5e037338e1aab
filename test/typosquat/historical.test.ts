import { describe, expect, it } from 'vitest';
import { bundledNameIndex, POPULAR_PACKAGES } from '../../src/typosquat/bundled.js';
import { findSuspects } from '../../src/typosquat/matcher.js';
import { HISTORICAL_TYPOSQUATS } from './historical.js';
import { measureFalsePositives, measureRecall } from './measure.js';

const index = bundledNameIndex();

describe('measured on real typosquats and on popular packages', () => {
  it('keeps at least 40 publicly reported squats', () => {
    expect(HISTORICAL_TYPOSQUATS.length).toBeGreaterThanOrEqual(40);
  });

  it('flags at least 95% of historical squats whose target is in the bundled lists, with the right target', () => {
    const recall = measureRecall(findSuspects, index, HISTORICAL_TYPOSQUATS);
    expect(recall.rateInData, JSON.stringify(recall.missed)).toBeGreaterThanOrEqual(0.95);
  });

  it('flags at most 0.5% of the 5,000 most popular packages, each checked against the list without itself', () => {
    const names = POPULAR_PACKAGES.slice(0, 5000).map(([name]) => name);
    const result = measureFalsePositives(findSuspects, index, names, 'list');
    expect(result.rate, result.flagged.join('\n')).toBeLessThanOrEqual(0.005);
  });
});

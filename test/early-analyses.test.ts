import { describe, expect, it } from 'vitest';
import { EarlyAnalyses } from '../src/early-analyses.js';

/** An EarlyAnalyses whose work is recorded and settled by hand. */
function recorded(startAt: number) {
  const started: Array<{ id: string; abandoned: () => boolean; finish: (value: string) => void }> = [];
  const early = new EarlyAnalyses<string>(
    startAt,
    (name, version, abandoned) =>
      new Promise((resolve) => started.push({ id: `${name}@${version}`, abandoned, finish: resolve })),
  );
  return { early, started };
}

describe('analyses started before the tree is known', () => {
  it('starts nothing until enough versions are picked, then every one picked so far, each once', () => {
    const { early, started } = recorded(3);
    early.picked('a', '1.0.0');
    early.picked('b', '2.0.0');
    early.picked('a', '1.0.0');
    expect(started).toEqual([]);
    early.picked('c', '3.0.0');
    expect(started.map((work) => work.id)).toEqual(['a@1.0.0', 'b@2.0.0', 'c@3.0.0']);
    early.picked('d', '4.0.0');
    early.picked('b', '2.0.0');
    expect(started.map((work) => work.id)).toEqual(['a@1.0.0', 'b@2.0.0', 'c@3.0.0', 'd@4.0.0']);
    expect(early.started).toBe(4);
  });

  it('once the tree is known, abandons what it does not hold and hands over what it does, once', async () => {
    const { early, started } = recorded(1);
    early.picked('a', '1.0.0');
    early.picked('b', '2.0.0');
    early.keepOnly(new Set(['a@1.0.0']));
    early.picked('c', '3.0.0');
    expect(started.map((work) => work.id)).toEqual(['a@1.0.0', 'b@2.0.0']);
    expect(started.map((work) => work.abandoned())).toEqual([false, true]);
    expect(early.take('b', '2.0.0')).toBeUndefined();
    const taken = early.take('a', '1.0.0');
    expect(early.take('a', '1.0.0')).toBeUndefined();
    started[0]?.finish('analysis of a');
    await expect(taken).resolves.toBe('analysis of a');
  });

  it('a version whose work fails is no head start, and nothing is left running when abandoned', async () => {
    const early = new EarlyAnalyses<string>(1, async (name) => {
      if (name === 'broken') throw new Error('download failed');
      return name;
    });
    early.picked('broken', '1.0.0');
    early.picked('fine', '1.0.0');
    await expect(early.take('broken', '1.0.0')).resolves.toBeUndefined();
    const { early: stopping, started } = recorded(1);
    stopping.picked('slow', '1.0.0');
    const settled = stopping.abandon();
    expect(started[0]?.abandoned()).toBe(true);
    started[0]?.finish('late');
    await expect(settled).resolves.toBeUndefined();
  });
});

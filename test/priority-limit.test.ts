import { describe, expect, it } from 'vitest';
import { PriorityLimit } from '../src/priority-limit.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A task that runs until its `finish` is called, recording when it started. */
function gate(started: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

describe('PriorityLimit', () => {
  it('never runs more than its concurrency, and gives a free place to the biggest waiting task first', async () => {
    const limit = new PriorityLimit(2);
    const started: string[] = [];
    const a = gate(started, 'a');
    const b = gate(started, 'b');
    const small = gate(started, 'small');
    const big = gate(started, 'big');
    const medium = gate(started, 'medium');
    const results = [
      limit.run(1, a.task),
      limit.run(1, b.task),
      limit.run(10, small.task),
      limit.run(5_000_000, big.task),
      limit.run(40_000, medium.task),
    ];
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(limit.active).toBe(2);
    a.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'big']);
    b.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'big', 'medium']);
    big.finish();
    medium.finish();
    small.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'small', 'big', 'medium']);
    expect(limit.active).toBe(0);
  });

  it('never runs two heavy tasks at once: the free place goes to a light one meanwhile', async () => {
    const limit = new PriorityLimit(2);
    const started: string[] = [];
    const next = gate(started, 'next');
    const storybook = gate(started, 'storybook');
    const typescript = gate(started, 'typescript');
    const small = gate(started, 'small');
    const results = [
      limit.run(63, next.task, true),
      limit.run(20, storybook.task, true),
      limit.run(9, typescript.task),
      limit.run(1, small.task),
    ];
    await tick();
    // Biggest first would have started storybook beside next.
    expect(started).toEqual(['next', 'typescript']);
    typescript.finish();
    await tick();
    expect(started).toEqual(['next', 'typescript', 'small']);
    small.finish();
    await tick();
    expect(limit.active).toBe(1);
    next.finish();
    await tick();
    expect(started).toEqual(['next', 'typescript', 'small', 'storybook']);
    storybook.finish();
    expect(await Promise.all(results)).toEqual(['next', 'storybook', 'typescript', 'small']);
    expect(limit.active).toBe(0);
  });

  it('beside a heavy task the free places go to the smallest waiting tasks, then biggest first again', async () => {
    const limit = new PriorityLimit(2);
    const started: string[] = [];
    const first = gate(started, 'first');
    const next = gate(started, 'next');
    const typescript = gate(started, 'typescript');
    const webpack = gate(started, 'webpack');
    const tiny = gate(started, 'tiny');
    const small = gate(started, 'small');
    const results = [
      limit.run(2, first.task),
      limit.run(63, next.task, true),
      limit.run(9, typescript.task),
      limit.run(1, tiny.task),
      limit.run(6, webpack.task),
      limit.run(3, small.task),
    ];
    await tick();
    expect(started).toEqual(['first', 'next']);
    // next is being analysed: the medium packages wait while the small ones go through.
    first.finish();
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny']);
    tiny.finish();
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small']);
    // next is done: biggest first again, on both places.
    next.finish();
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small', 'typescript']);
    small.finish();
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small', 'typescript', 'webpack']);
    typescript.finish();
    webpack.finish();
    expect(await Promise.all(results)).toEqual(['first', 'next', 'typescript', 'tiny', 'webpack', 'small']);
    expect(limit.active).toBe(0);
  });

  it('a heavy task that fails frees the heavy place too', async () => {
    const limit = new PriorityLimit(2);
    const failing = limit.run(
      5,
      async () => {
        throw new Error('out of memory');
      },
      true,
    );
    const after = limit.run(4, async () => 'ran', true);
    await expect(failing).rejects.toThrow('out of memory');
    await expect(after).resolves.toBe('ran');
  });

  it('runs equal priorities in arrival order', async () => {
    const limit = new PriorityLimit(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => limit.run(7, async () => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('passes a failure to its caller and frees the place for the next task', async () => {
    const limit = new PriorityLimit(1);
    const failing = limit.run(1, async () => {
      throw new Error('worker died');
    });
    const next = limit.run(1, async () => 'ran');
    await expect(failing).rejects.toThrow('worker died');
    await expect(next).resolves.toBe('ran');
  });
});

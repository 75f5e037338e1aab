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

/**
 * Queues one gated task per entry, in order (name, priority, heavy): `started` lists the names as they start,
 * `finish(name)` ends one, `results` settles with every task's name in queue order.
 */
function queued(limit: PriorityLimit, entries: Array<[name: string, priority: number, heavy?: boolean]>) {
  const started: string[] = [];
  const gates = new Map(entries.map(([name]) => [name, gate(started, name)]));
  const results = Promise.all(
    entries.map(([name, priority, heavy]) =>
      limit.run(priority, (gates.get(name) as ReturnType<typeof gate>).task, heavy),
    ),
  );
  return {
    started,
    results,
    finish: (...names: string[]) => {
      for (const name of names) gates.get(name)?.finish();
    },
  };
}

describe('PriorityLimit', () => {
  it('never runs more than its concurrency, and gives a free place to the biggest waiting task first', async () => {
    const limit = new PriorityLimit(2);
    const { started, results, finish } = queued(limit, [
      ['a', 1],
      ['b', 1],
      ['small', 10],
      ['big', 5_000_000],
      ['medium', 40_000],
    ]);
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(limit.active).toBe(2);
    finish('a');
    await tick();
    expect(started).toEqual(['a', 'b', 'big']);
    finish('b');
    await tick();
    expect(started).toEqual(['a', 'b', 'big', 'medium']);
    finish('big', 'medium', 'small');
    expect(await results).toEqual(['a', 'b', 'small', 'big', 'medium']);
    expect(limit.active).toBe(0);
  });

  it('never runs two heavy tasks at once: the free place goes to a light one meanwhile', async () => {
    const limit = new PriorityLimit(2);
    const { started, results, finish } = queued(limit, [
      ['next', 63, true],
      ['storybook', 20, true],
      ['typescript', 9],
      ['small', 1],
    ]);
    await tick();
    // Biggest first would have started storybook beside next.
    expect(started).toEqual(['next', 'typescript']);
    finish('typescript');
    await tick();
    expect(started).toEqual(['next', 'typescript', 'small']);
    finish('small');
    await tick();
    expect(limit.active).toBe(1);
    finish('next');
    await tick();
    expect(started).toEqual(['next', 'typescript', 'small', 'storybook']);
    finish('storybook');
    expect(await results).toEqual(['next', 'storybook', 'typescript', 'small']);
    expect(limit.active).toBe(0);
  });

  it('beside a heavy task the free places go to the smallest waiting tasks, then biggest first again', async () => {
    const limit = new PriorityLimit(2);
    const { started, results, finish } = queued(limit, [
      ['first', 2],
      ['next', 63, true],
      ['typescript', 9],
      ['tiny', 1],
      ['webpack', 6],
      ['small', 3],
    ]);
    await tick();
    expect(started).toEqual(['first', 'next']);
    // next is being analysed: the medium packages wait while the small ones go through.
    finish('first');
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny']);
    finish('tiny');
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small']);
    // next is done: biggest first again, on both places.
    finish('next');
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small', 'typescript']);
    finish('small');
    await tick();
    expect(started).toEqual(['first', 'next', 'tiny', 'small', 'typescript', 'webpack']);
    finish('typescript', 'webpack');
    expect(await results).toEqual(['first', 'next', 'typescript', 'tiny', 'webpack', 'small']);
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
  it('a lowered concurrency lets running tasks finish and starts fewer; raised, it starts the waiting at once', async () => {
    const limit = new PriorityLimit(2);
    limit.concurrency = 1;
    const { started, results, finish } = queued(limit, [
      ['a', 3],
      ['b', 2],
      ['c', 1],
    ]);
    await tick();
    expect(started).toEqual(['a']);
    limit.concurrency = 3;
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    limit.concurrency = 0;
    expect(limit.concurrency).toBe(1);
    finish('a', 'b', 'c');
    await expect(results).resolves.toEqual(['a', 'b', 'c']);
  });
});

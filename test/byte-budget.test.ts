import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../src/byte-budget.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ByteBudget', () => {
  it('lets work through while it fits, and holds the rest until bytes are given back', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(60);
    let second: (() => void) | undefined;
    void budget.acquire(60).then((release) => {
      second = release;
    });
    await tick();
    expect(second).toBeUndefined();
    first();
    await tick();
    expect(second).toBeDefined();
    expect(budget.used).toBe(60);
  });

  it('runs a request bigger than the whole budget alone instead of refusing it', async () => {
    const budget = new ByteBudget(100);
    const small = await budget.acquire(10);
    let huge: (() => void) | undefined;
    void budget.acquire(10_000).then((release) => {
      huge = release;
    });
    await tick();
    expect(huge).toBeUndefined();
    small();
    await tick();
    expect(budget.used).toBe(100);
    huge?.();
    expect(budget.used).toBe(0);
  });

  it('serves requests in order, so a big one is not overtaken forever, and a double release is harmless', async () => {
    const budget = new ByteBudget(100);
    const order: string[] = [];
    const a = await budget.acquire(50);
    const big = budget.acquire(80).then((release) => {
      order.push('big');
      return release;
    });
    const small = budget.acquire(10).then((release) => {
      order.push('small');
      return release;
    });
    await tick();
    expect(order).toEqual([]);
    a();
    a();
    (await big)();
    (await small)();
    expect(order).toEqual(['big', 'small']);
    expect(budget.used).toBe(0);
  });

  it('takes bytes already in memory at once, past the capacity, and holds later requests until it is under', async () => {
    const budget = new ByteBudget(100);
    const estimate = await budget.acquire(20);
    // The download came out bigger than its estimate: charged in full, without waiting.
    const actual = budget.charge(150);
    estimate();
    expect(budget.used).toBe(150);
    let next: (() => void) | undefined;
    void budget.acquire(10).then((release) => {
      next = release;
    });
    await tick();
    expect(next).toBeUndefined();
    actual();
    await tick();
    expect(next).toBeDefined();
    expect(budget.used).toBe(10);
  });
});

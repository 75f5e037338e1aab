import { describe, expect, it } from 'vitest';
import { movableTarballs } from '../../src/analyse/pool.js';
import { DEFAULT_LIMITS } from '../../src/fetch/limits.js';

const task = (tarball: Buffer, previous?: Buffer) => ({
  name: 'pkg',
  version: '1.0.1',
  tarball,
  ...(previous ? { previous: { version: '1.0.0', tarball: previous } } : {}),
  limits: DEFAULT_LIMITS,
});

describe('tarballs handed to a worker', () => {
  it('moves the memory of a tarball that owns all of it, the previous release included', () => {
    const tarball = Buffer.alloc(200_000, 1);
    const previous = Buffer.alloc(150_000, 2);
    expect(movableTarballs(task(tarball, previous))).toEqual([tarball.buffer, previous.buffer]);
  });

  it('copies a tarball that is a view into a larger memory: moving it would empty its neighbours', () => {
    const slab = Buffer.alloc(400_000);
    const tarball = slab.subarray(100_000, 300_000);
    expect(movableTarballs(task(tarball))).toEqual([]);
    // Node's pool for small Buffers is one shared memory.
    expect(movableTarballs(task(Buffer.from('small tarball')))).toEqual([]);
  });

  it('copies a small tarball, and an empty one', () => {
    expect(movableTarballs(task(Buffer.alloc(1_000)))).toEqual([]);
    expect(movableTarballs(task(Buffer.alloc(0)))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../src/byte-budget.js';
import { PackageRoom } from '../../src/fetch/download-rooms.js';

describe('PackageRoom', () => {
  it('refuses room to a package whose bytes would take the budget past its capacity, and it gives back what it took', () => {
    const budget = new ByteBudget(100);
    const first = new PackageRoom(budget);
    const second = new PackageRoom(budget);
    const firstStream = first.stream();
    const secondStream = second.stream();
    expect(secondStream.take(60)).toBe(true);
    expect(firstStream.take(30)).toBe(true);
    expect(firstStream.take(20)).toBe(false);
    expect(first.refused).toBe(true);
    expect(budget.used).toBe(60);
    // Refused for good, even once there is room again: its bytes were dropped and are read again later.
    second.release();
    expect(firstStream.take(1)).toBe(false);
    expect(second.refused).toBe(false);
    // A package bigger than the whole budget is refused, never waited for.
    const huge = new PackageRoom(budget);
    expect(huge.stream().take(101)).toBe(false);
    expect(budget.used).toBe(0);
  });

  it('gives back a download’s bytes when it starts over, and a package’s when its analysis starts', () => {
    const budget = new ByteBudget(100);
    const room = new PackageRoom(budget);
    const tarball = room.stream();
    const previous = room.stream();
    tarball.take(30);
    previous.take(20);
    // pacote's retry from the network after a cache miss: the first attempt's bytes are gone.
    tarball.restart();
    expect(budget.used).toBe(20);
    tarball.take(30);
    room.release();
    expect(budget.used).toBe(0);
    room.release();
    expect(budget.used).toBe(0);
  });
});

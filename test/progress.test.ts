import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('progress', () => {
  it('draws resolving, fetching and analysing counts on a terminal, then erases itself', () => {
    const { stream, writes } = fakeStream(true);
    const progress = createProgress(stream);
    progress.update({ phase: 'resolve' });
    progress.update({ phase: 'fetch', done: 2, total: 2 });
    progress.update({ phase: 'analyse', done: 2, total: 2 });
    progress.clear();
    expect(writes.join('')).toContain('resolving');
    expect(writes.join('')).toContain('fetching 2/2');
    expect(writes.join('')).toContain('analysing 2/2');
    expect(writes.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing when stderr is not a terminal (CI logs stay clean)', () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgress(stream);
    progress.update({ phase: 'resolve' });
    progress.update({ phase: 'fetch', done: 1, total: 1 });
    progress.clear();
    expect(writes).toEqual([]);
  });
});

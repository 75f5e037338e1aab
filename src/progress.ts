import type { ProgressEvent } from './scan.js';

export interface ProgressDisplay {
  update(event: ProgressEvent): void;
  clear(): void;
}

/** One self-erasing status line on stderr when it is a terminal; nothing at all otherwise. */
export function createProgress(stream: NodeJS.WriteStream): ProgressDisplay {
  if (!stream.isTTY) return { update() {}, clear() {} };
  let fetched = '';
  let lastDraw = 0;
  const draw = (text: string, force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    stream.write(`\r\x1b[K${text}`);
  };
  return {
    update(event) {
      if (event.phase === 'resolve') {
        draw('resolving dependency tree…', true);
      } else if (event.phase === 'fetch') {
        fetched = `fetching ${event.done}/${event.total}`;
        draw(fetched, event.done === event.total);
      } else {
        draw(`${fetched}, analysing ${event.done}/${event.total}`, event.done === event.total);
      }
    },
    clear() {
      stream.write('\r\x1b[K');
    },
  };
}

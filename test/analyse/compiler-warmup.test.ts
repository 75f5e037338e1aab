import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompilerWarmup } from '../../src/analyse/compiler-warmup.js';

const MB = 1024 * 1024;
const ON = ['--no-single-threaded-gc-in-background', '--efficiency-mode'];
const OFF = ['--no-efficiency-mode', '--single-threaded-gc-in-background'];

function recorded(warmBytes = 64 * MB, bigBytes = 8 * MB) {
  const flags: string[] = [];
  const warmup = new CompilerWarmup({ warmBytes, bigBytes }, (flag) => flags.push(flag));
  return { warmup, flags };
}

describe('V8 efficiency mode while the analysis warms up', () => {
  it('is turned on by the first package analysed and off once enough has been analysed', () => {
    const { warmup, flags } = recorded(10 * MB);
    expect(warmup.on).toBe(false);
    warmup.starting(3 * MB);
    expect(warmup.on).toBe(true);
    expect(flags).toEqual(ON);
    warmup.starting(4 * MB);
    warmup.finished(3 * MB);
    warmup.finished(4 * MB);
    expect(warmup.on).toBe(true);
    warmup.starting(3 * MB);
    warmup.finished(3 * MB);
    expect(warmup.on).toBe(false);
    expect(flags).toEqual([...ON, ...OFF]);
    // Ended for good: later packages do not turn it on again.
    warmup.starting(1 * MB);
    warmup.stop();
    expect(flags).toEqual([...ON, ...OFF]);
  });

  it('ends before a big package starts, and never starts when the first package is big', () => {
    const started = recorded();
    started.warmup.starting(1 * MB);
    started.warmup.starting(8 * MB);
    expect(started.warmup.on).toBe(false);
    expect(started.flags).toEqual([...ON, ...OFF]);

    const big = recorded();
    big.warmup.starting(9 * MB);
    big.warmup.starting(1 * MB);
    expect(big.warmup.on).toBe(false);
    expect(big.flags).toEqual([]);
  });

  it("is given back when the scan ends, and a scan that analysed nothing never touches V8's flags", () => {
    const cut = recorded();
    cut.warmup.starting(1 * MB);
    cut.warmup.stop();
    expect(cut.flags).toEqual([...ON, ...OFF]);

    const warm = recorded();
    warm.warmup.stop();
    expect(warm.flags).toEqual([]);
  });

  it('stays off with OCELLUS_EFFICIENCY_MODE=0 and on Node.js lines it was not measured on', () => {
    const off = CompilerWarmup.forScan({ OCELLUS_EFFICIENCY_MODE: '0' });
    off.starting(1 * MB);
    expect(off.on).toBe(false);
    const old = CompilerWarmup.forScan({}, '20.19.0');
    old.starting(1 * MB);
    expect(old.on).toBe(false);
  });

  it("switches this Node.js's V8 for every thread, workers included, and back", () => {
    // V8 reports its mode only to code run with natives syntax, so a separate Node.js process reads it, with
    // the built module (`npm test` builds first).
    const module = fileURLToPath(new URL('../../dist/analyse/compiler-warmup.js', import.meta.url));
    const script = `
      const { Worker } = require('node:worker_threads');
      const { CompilerWarmup } = require(${JSON.stringify(module)});
      const seen = [%IsEfficiencyModeEnabled()];
      const warmup = CompilerWarmup.forScan({});
      warmup.starting(1024);
      seen.push(%IsEfficiencyModeEnabled());
      new Worker('require("node:worker_threads").parentPort.postMessage(%IsEfficiencyModeEnabled())', { eval: true })
        .once('message', (inWorker) => {
          seen.push(inWorker);
          warmup.stop();
          seen.push(%IsEfficiencyModeEnabled());
          console.log(JSON.stringify(seen));
        });
    `;
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual([false, true, true, false]);
  });
});

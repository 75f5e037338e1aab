import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliPath } from './cli.js';

describe('output to a reader that stops early (ocellus checks | head -1)', () => {
  it('exits quietly instead of printing an EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [cliPath, 'checks'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    // The reader is gone before the first line is written: every write meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});

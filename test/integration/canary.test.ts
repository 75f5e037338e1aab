import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from './cli.js';

const registry = inject('registryUrl');
const markers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ocellus-canary-'));

describe('nothing from a package is ever executed', () => {
  it('scanning a package whose every hook and module body writes a marker leaves no marker', async () => {
    for (const marker of markers()) rmSync(join(tmpdir(), marker), { force: true });
    const { code, stdout } = await runCli([
      'scan',
      'canary-never-run',
      '--registry',
      registry,
      '--format',
      'json',
    ]);
    // Its install scripts run a shipped file: reported (low), never run.
    expect(code).toBe(0);
    expect(JSON.parse(stdout).packages[0].findings.length).toBeGreaterThan(0);
    expect(markers()).toEqual([]);
    expect(existsSync(join(tmpdir(), 'ocellus-canary-module'))).toBe(false);
  });
});

import { describe, expect, inject, it } from 'vitest';
import { isolatedHome, runCli } from '../integration/cli.js';

const registry = inject('registryUrl');
const TOKEN = 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

describe('secrets never reach any output', () => {
  it('npm tokens from .npmrc and credentials in registry URLs stay out of errors', async () => {
    const home = isolatedHome(
      `registry=http://ci-user:hunter2-secret@127.0.0.1:9/\n//127.0.0.1:9/:_authToken=${TOKEN}\nfetch-retries=0\n`,
    );
    for (const args of [
      ['scan', 'weather-mcp-server'],
      ['name', 'weather-mcp-server'],
      ['diff', 'weather-mcp-server', '1.0.0', '1.0.1'],
      ['scan', 'weather-mcp-server', '--registry', 'http://ci-user:hunter2-secret@127.0.0.1:9/'],
    ]) {
      const result = await runCli(args, { home });
      expect(result.code, args.join(' ')).toBe(3);
      for (const output of [result.stdout, result.stderr]) {
        expect(output).not.toContain(TOKEN);
        expect(output).not.toContain('hunter2-secret');
      }
    }
  });

  it('a token for the registry in use is used, and still never printed', async () => {
    const host = registry.replace(/^http:/, '');
    const home = isolatedHome(`registry=${registry}\n${host}:_authToken=${TOKEN}\n`);
    const result = await runCli(['scan', 'docs-mcp-server', '--format', 'json'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });
});

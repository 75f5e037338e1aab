import { describe, expect, it } from 'vitest';
import { errorMessage, redactSecrets } from '../src/errors.js';

describe('secrets never reach output', () => {
  it.each([
    ['GET https://alice:s3cr3tT0ken@registry.example.com/pkg failed', 'https://***@registry.example.com/pkg'],
    ['//registry.example.com/:_authToken=abcd1234efgh5678', '_authToken=***'],
    ['https://registry.example.com/pkg?token=abcdef123456', 'token=***'],
    ['leaked npm_abcdefghijklmnopqrstuvwxyz0123456789 here', 'leaked *** here'],
    ['leaked ghp_abcdefghijklmnopqrstuvwxyz0123456789AB here', 'leaked *** here'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toContain(expected);
  });

  it('leaves ordinary messages alone', () => {
    expect(redactSecrets('404 Not Found - GET https://registry.npmjs.org/expresss')).toBe(
      '404 Not Found - GET https://registry.npmjs.org/expresss',
    );
    expect(errorMessage(new Error('ETARGET No matching version found for x@^9'))).toBe(
      'ETARGET No matching version found for x@^9',
    );
  });
});

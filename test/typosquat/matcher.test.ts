import { describe, expect, it } from 'vitest';
import { bundledNameIndex } from '../../src/typosquat/bundled.js';
import { findSuspects } from '../../src/typosquat/matcher.js';
import { foldConfusables, noiseVariants, withoutSeparators } from '../../src/typosquat/normalize.js';

const index = bundledNameIndex();
/** Judged as a package nobody has heard of, the way a new dependency in a tree is. */
const topSuspect = (name: string) => findSuspects(name, index, { suspectDownloads: null })[0];

describe('findSuspects: each technique, named', () => {
  it.each([
    ['mcp-server-filesysterm', '@modelcontextprotocol/server-filesystem', 'edit-distance', /inserted 'r'/],
    ['mcp-server-file-system', '@modelcontextprotocol/server-filesystem', 'separator', /'-' added/],
    ['filesystem-mcp-server', '@modelcontextprotocol/server-filesystem', 'token-order', /reordered/],
    ['server-filesystem', '@modelcontextprotocol/server-filesystem', 'scope-confusion', /unscoped copy/],
    ['postmark-mcp', '@activecampaign/postmark-mcp', 'scope-confusion', /unscoped copy/],
    ['crossenv', 'cross-env', 'separator', /'-' removed/],
    ['cross_env', 'cross-env', 'separator', /written as/],
    ['electorn', 'electron', 'transposition', /swapped 'ro' to 'or'/],
    ['expresss', 'express', 'repeated-character', /repeated 's'/],
    ['mongose', 'mongoose', 'omitted-character', /'oo'/],
    ['lodahs', 'lodash', 'transposition', /swapped/],
    ['rnongoose', 'mongoose', 'confusable', /'rn' for 'm'/],
    ['l0dash', 'lodash', 'confusable', /'0' for 'o'/],
    ['reаct', 'react', 'confusable', /U\+0430/],
    ['ехpress', 'express', 'confusable', /non-Latin/],
    ['jquery.js', 'jquery', 'noise-affix', /'\.js'/],
    ['node-nodemailer', 'nodemailer', 'noise-affix', /'node-'/],
    ['types-node', '@types/node', 'scope-confusion', /folded into the name/],
    [
      '@typescript_eslinter/eslint',
      '@typescript-eslint/types',
      'scope-confusion',
      /looks like @typescript-eslint/,
    ],
    ['@evil/server-filesystem', '@modelcontextprotocol/server-filesystem', 'scope-confusion', /under @evil/],
    ['pupeter', 'puppeteer', 'edit-distance', /two letters dropped/],
    ['stripe-mcp-tools', '@stripe/mcp', 'brand-impersonation', /Stripe brand/],
  ])('%s → %s by %s', (name, target, technique, detail) => {
    const suspect = findSuspects(name, index, { suspectDownloads: null }).find((s) => s.target === target);
    expect(suspect, JSON.stringify(findSuspects(name, index, { suspectDownloads: null }))).toMatchObject({
      target,
      technique,
    });
    expect(suspect?.detail).toMatch(detail);
  });
});

describe('findSuspects: legitimate names stay quiet', () => {
  it.each([
    'react',
    'preact',
    'pg',
    'pug',
    'chalk',
    'chai',
    '@types/node',
    '@types/react',
    'eslint-plugin-react',
    'babel-preset-env',
    '@babel/core',
    'express',
    'lodash',
    '@modelcontextprotocol/server-filesystem',
    '@activecampaign/postmark-mcp',
    '@stripe/mcp',
    '@modelcontextprotocol/server-memory',
    'weather-mcp-server',
    'tiny-units',
    'docs-helper',
    'markdown-parser-lite',
  ])('%s', (name) => {
    expect(findSuspects(name, index)).toEqual([]);
  });

  it('one word traded for another is not a two-letter slip (import-global beside import-local)', () => {
    expect(topSuspect('import-global')?.target).not.toBe('import-local');
    // The same distance inside one word, first and last letters kept, still is; and a misspelt inner word that is
    // no word of any known name is a slip, whatever its letters.
    expect(topSuspect('import-lokol')?.target).toBe('import-local');
    expect(topSuspect('eslint-vonfih-prettier')?.target).toBe('eslint-config-prettier');
  });

  it('judges a brand-new preact or pug as siblings, not squats', () => {
    for (const name of ['preact', 'pug', 'chai']) expect(topSuspect(name)).toBeUndefined();
  });

  it('a popular name is only a suspect when its look-alike is 100 times more downloaded', () => {
    expect(findSuspects('preact', index, { suspectDownloads: 50_000_000 })).toEqual([]);
    expect(findSuspects('expresss', index, { suspectDownloads: 1_000 })[0]?.target).toBe('express');
  });

  it('the same scope never imitates itself', () => {
    expect(findSuspects('@modelcontextprotocol/server-filesystm', index)).toEqual([]);
  });
});

describe('normal forms', () => {
  it('folds separators, confusables and filler', () => {
    expect(withoutSeparators('file_system.mcp-server')).toBe('filesystemmcpserver');
    expect(foldConfusables('rnongoose')).toBe('mongoose');
    expect(foldConfusables('lodаsh')).toBe('lodash');
    expect(foldConfusables('ｅxpress')).toBe('express');
    // Plain ASCII takes a shorter path: capitals still fold, a capital I still reads as l.
    expect(foldConfusables('IodASH')).toBe('lodash');
    expect(foldConfusables('Cl0ud-VVatch')).toBe('doud-watch');
    expect(foldConfusables('café-Iib')).toBe('cafe-lib');
    expect(noiseVariants('node-fetch.js').map((variant) => variant.core)).toContain('fetch');
  });
});

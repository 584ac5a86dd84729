import { describe, expect, it } from 'vitest';
import { matchesSelector } from '../../../src/config/file-system-selector.js';
import type { FileSystemSelector } from '../../../src/config/types.js';

const ALL = ['WINDOWS', 'LUSTRE', 'OPENZFS'] as const;
const gold: FileSystemSelector = { tags: { 'dr-tier': 'gold' }, fileSystemTypes: ALL };
const tagged = (tags: Record<string, string>, type = 'WINDOWS') => ({ type, tags });

describe('matchesSelector', () => {
  it.each([
    ['the tag with its value', gold, tagged({ 'dr-tier': 'gold', owner: 'x' }), true],
    ['another value', gold, tagged({ 'dr-tier': 'silver' }), false],
    ['the value in another case', gold, tagged({ 'dr-tier': 'Gold' }), false],
    ['the key in another case', gold, tagged({ 'DR-Tier': 'gold' }), false],
    ['no tags', gold, tagged({}), false],
    ['an empty value', { ...gold, tags: { 'dr-tier': '' } }, tagged({ 'dr-tier': '' }), true],
    ['"*" and any value', { ...gold, tags: { 'dr-tier': '*' } }, tagged({ 'dr-tier': 'bronze' }), true],
    ['"*" and an empty value', { ...gold, tags: { 'dr-tier': '*' } }, tagged({ 'dr-tier': '' }), true],
    ['"*" and the key absent', { ...gold, tags: { 'dr-tier': '*' } }, tagged({ owner: 'x' }), false],
    ['a literal "*" value for "*"', { ...gold, tags: { 'dr-tier': '*' } }, tagged({ 'dr-tier': '*' }), true],
    [
      'every tag of several',
      { ...gold, tags: { 'dr-tier': 'gold', env: 'prod' } },
      tagged({ 'dr-tier': 'gold', env: 'prod' }),
      true,
    ],
    [
      'one tag of several',
      { ...gold, tags: { 'dr-tier': 'gold', env: 'prod' } },
      tagged({ 'dr-tier': 'gold', env: 'test' }),
      false,
    ],
    ['no tags asked, by type', { tags: {}, fileSystemTypes: ['LUSTRE'] }, tagged({}, 'LUSTRE'), true],
    ['a type not listed', { tags: {}, fileSystemTypes: ['LUSTRE'] }, tagged({}, 'WINDOWS'), false],
    ['ONTAP, never selectable', { tags: {}, fileSystemTypes: ALL }, tagged({}, 'ONTAP'), false],
    [
      'the tag but not the type',
      { ...gold, fileSystemTypes: ['OPENZFS'] },
      tagged({ 'dr-tier': 'gold' }),
      false,
    ],
    ['a type in another case', { tags: {}, fileSystemTypes: ['LUSTRE'] }, tagged({}, 'lustre'), false],
  ] satisfies [string, FileSystemSelector, { type: string; tags: Record<string, string> }, boolean][])(
    '%s',
    (_what, selector, fs, expected) => {
      expect(matchesSelector(selector, fs)).toBe(expected);
    },
  );

  it('does not take a key the tags inherit for one they carry', () => {
    const selector: FileSystemSelector = { tags: { constructor: '*', toString: '*' }, fileSystemTypes: ALL };
    expect(matchesSelector(selector, tagged({}))).toBe(false);
    expect(matchesSelector(selector, tagged({ constructor: 'x', toString: 'y' }))).toBe(true);
  });
});

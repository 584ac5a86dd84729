import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';
import { movedAccounts } from '../../../src/config/check-accounts.js';
import { formatPath } from '../../../src/config/finding.js';
import { closestMatch } from '../../../src/config/suggest.js';
import { isKnownTimeZone, suggestTimeZone } from '../../../src/config/time-zone.js';

describe('parseDuration', () => {
  it.each([
    ['100ms', 100],
    ['30s', 30_000],
    ['5m', 300_000],
    ['8h', 28_800_000],
    ['30d', 2_592_000_000],
    [' 2h ', 7_200_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, ['ms', 's', 'm', 'h', 'd'])).toBe(ms);
  });

  it.each(['30', '1.5h', '-1s', '1 h', '1H', 'h', '', '1w'])('%j is not a duration', (text) => {
    expect(parseDuration(text, ['ms', 's', 'm', 'h', 'd'])).toBeUndefined();
  });

  it('counts a duration too large for milliseconds as Infinity, so range checks call it too long', () => {
    expect(parseDuration('99999999999999999999d', ['d'])).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a unit that is not allowed here', () => {
    expect(parseDuration('1d', ['ms', 's', 'm', 'h'])).toBeUndefined();
  });

  it('formats in the largest exact unit', () => {
    expect([100, 30_000, 90_000, 7_200_000, 172_800_000, 1_500].map(formatDuration)).toEqual([
      '100ms',
      '30s',
      '90s',
      '2h',
      '2d',
      '1500ms',
    ]);
  });
});

describe('closestMatch', () => {
  const keys = ['name', 'schedule', 'timezone', 'source', 'destinations', 'copyTags', 'tags'];
  it.each([
    ['schedul', 'schedule'],
    ['Schedule', 'schedule'],
    ['timeZone', 'timezone'],
    ['destination', 'destinations'],
    ['copy_tags', 'copyTags'],
    ['sources', 'source'],
  ])('%s -> %s', (word, match) => {
    expect(closestMatch(word, keys)).toBe(match);
  });

  it('suggests nothing for a word far from all', () => {
    expect(closestMatch('retention', keys)).toBeUndefined();
  });
});

describe('time zones', () => {
  it.each([
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'US/Eastern',
    'Etc/GMT+5',
  ])('accepts %s (what Intl accepts, aliases included)', (zone) => {
    expect(isKnownTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus', 'Europe/Berln', '+01:00', '', ' UTC'])('rejects %j', (zone) => {
    expect(isKnownTimeZone(zone)).toBe(false);
  });

  it('suggests the zone meant', () => {
    expect(suggestTimeZone('Europe/Berln')).toBe('Europe/Berlin');
    expect(suggestTimeZone('america/new_yrok')).toBe('America/New_York');
    expect(suggestTimeZone('Mars/Olympus')).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and quotes keys that are not identifiers', () => {
    expect(formatPath(['policies', 0, 'destinations', 1, 'region'])).toBe(
      'policies[0].destinations[1].region',
    );
    expect(formatPath(['policies', 0, 'tags', 'aws:created-by'])).toBe('policies[0].tags["aws:created-by"]');
    expect(formatPath(['policies', 0, 'tags', 'dr-tier'])).toBe('policies[0].tags.dr-tier');
    expect(formatPath([])).toBe('');
  });
});

describe('movedAccounts', () => {
  const account = (name: string, id: string) => ({ name, roleArn: `arn:aws:iam::${id}:role/fsx-dr-copier` });
  it('names the accounts a reload would move to another AWS account, and no other', () => {
    const before = { accounts: [account('prod', '111122223333'), account('dev', '444455556666')] };
    expect(movedAccounts(before, before)).toEqual([]);
    expect(
      movedAccounts(before, {
        accounts: [
          account('prod', '999988887777'),
          { ...account('dev', '444455556666'), roleArn: 'arn:aws:iam::444455556666:role/other-name' },
          account('new', '123123123123'),
        ],
      }),
    ).toEqual(['prod']);
    expect(movedAccounts(before, { accounts: [] })).toEqual([]);
  });
});

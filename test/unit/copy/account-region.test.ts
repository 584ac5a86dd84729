import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT,
  accountRegionKey,
  copyScopesOf,
  parseAccountRegionKey,
} from '../../../src/copy/account-region.js';
import {
  clientRequestToken,
  copyJobId,
  copyKeyId,
  latestCopyField,
  parseLatestCopyField,
} from '../../../src/copy/copy-key.js';
import { copyQueueName } from '../../../src/queue/queue-names.js';

const KEY = {
  sourceRegion: 'us-east-1',
  sourceBackupId: 'backup-0123456789abcdef0',
  destinationRegion: 'us-west-2',
};

describe('(account, Region) keys', () => {
  it('keep the default account’s queue names, copy keys, job ids and tokens exactly as before accounts existed', () => {
    expect(copyQueueName('us-west-2')).toBe('copy-us-west-2');
    expect(copyKeyId(KEY)).toBe('us-east-1.backup-0123456789abcdef0.us-west-2');
    expect(copyKeyId({ ...KEY, account: DEFAULT_ACCOUNT })).toBe(copyKeyId(KEY));
    expect(
      latestCopyField({
        account: DEFAULT_ACCOUNT,
        sourceRegion: 'a',
        fileSystemId: 'fs-1',
        destinationRegion: 'b',
      }),
    ).toBe('a|fs-1|b');
  });

  it('give another account its own queue, copy key, job id and token for the same copy', () => {
    expect(copyQueueName('us-west-2', 'prod')).toBe('copy-prod.us-west-2');
    const other = { ...KEY, account: 'prod' };
    expect(copyKeyId(other)).toBe('prod.us-east-1.backup-0123456789abcdef0.us-west-2');
    expect(copyJobId(other, 1)).not.toBe(copyJobId(KEY, 1));
    expect(clientRequestToken(copyJobId(other, 1))).not.toBe(clientRequestToken(copyJobId(KEY, 1)));
  });

  it('read back what they write', () => {
    expect(parseAccountRegionKey(accountRegionKey('prod', 'eu-west-1'))).toEqual({
      account: 'prod',
      region: 'eu-west-1',
    });
    expect(parseAccountRegionKey(accountRegionKey(DEFAULT_ACCOUNT, 'eu-west-1'))).toEqual({
      account: DEFAULT_ACCOUNT,
      region: 'eu-west-1',
    });
    for (const account of [DEFAULT_ACCOUNT, 'prod']) {
      const pair = { account, sourceRegion: 'a', fileSystemId: 'fs-1', destinationRegion: 'b' };
      expect(parseLatestCopyField(latestCopyField(pair))).toEqual(pair);
    }
    expect(parseLatestCopyField('a|b')).toBeUndefined();
    expect(parseLatestCopyField('a||b')).toBeUndefined();
  });

  it('list each (account, destination Region) of a config once', () => {
    const scopes = copyScopesOf({
      policies: [
        { account: DEFAULT_ACCOUNT, destinations: [{ region: 'us-west-2' }, { region: 'eu-west-1' }] },
        { account: 'prod', destinations: [{ region: 'us-west-2' }] },
        { account: 'prod', destinations: [{ region: 'us-west-2' }] },
      ],
    });
    expect(scopes).toEqual([
      { account: DEFAULT_ACCOUNT, region: 'eu-west-1' },
      { account: 'prod', region: 'us-west-2' },
      { account: DEFAULT_ACCOUNT, region: 'us-west-2' },
    ]);
  });
});

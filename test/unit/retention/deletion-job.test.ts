import { describe, expect, it } from 'vitest';
import {
  deleteRequestToken,
  deletionJobId,
  parseDeletionJobData,
  periodicSweepJobId,
  sweepSlot,
} from '../../../src/retention/deletion-job.js';
import { parseRetentionPairKey, retentionPairKey } from '../../../src/retention/retention-pair.js';
import {
  retentionScope,
  retentionScopeKey,
  retentionScopesOf,
} from '../../../src/retention/retention-scope.js';

describe('deletion ids, tokens and scopes', () => {
  it('one job id and one token per backup, deterministic; tokens fit FSx’s 1..63 of [A-Za-z0-9_.-]', () => {
    const scope = retentionScope('us-west-2');
    expect(deletionJobId('backup-0123456789abcdef0')).toBe('delete-backup-0123456789abcdef0');
    const token = deleteRequestToken(scope, 'backup-0123456789abcdef0');
    expect(token).toBe(deleteRequestToken(retentionScope('us-west-2'), 'backup-0123456789abcdef0'));
    expect(token).not.toBe(deleteRequestToken(scope, 'backup-0123456789abcdef1'));
    expect(token).not.toBe(
      deleteRequestToken(retentionScope('us-west-2', '111122223333'), 'backup-0123456789abcdef0'),
    );
    expect(token).toMatch(/^[A-Za-z0-9_.-]{1,63}$/);
  });

  it('the account is in the scope key only when it is not the default, and never a ":"', () => {
    expect(retentionScopeKey(retentionScope('eu-west-1'))).toBe('eu-west-1');
    expect(retentionScopeKey(retentionScope('eu-west-1', '111122223333'))).toBe('111122223333.eu-west-1');
    const pair = {
      account: 'default',
      sourceRegion: 'us-east-1',
      fileSystemId: 'fs-0123456789abcdef0',
      destinationRegion: 'eu-west-1',
    };
    expect(parseRetentionPairKey(retentionPairKey(pair))).toEqual(pair);
    expect(parseRetentionPairKey('a|b|c')).toBeUndefined();
    expect(
      retentionScopesOf({
        policies: [
          { account: 'default', destinations: [{ region: 'b' }, { region: 'a' }] },
          { account: 'default', destinations: [{ region: 'b' }] },
          { account: 'prod', destinations: [{ region: 'b' }] },
        ],
      }),
    ).toEqual([retentionScope('a'), retentionScope('b'), retentionScope('b', 'prod')]);
  });

  it('periodic sweeps: one id per interval, whenever in it a replica asks', () => {
    const hour = 3_600_000;
    const t = Date.parse('2026-03-01T10:20:00Z');
    expect(sweepSlot(t, hour)).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(periodicSweepJobId(sweepSlot(t, hour))).toBe(periodicSweepJobId(sweepSlot(t + 30 * 60_000, hour)));
    expect(periodicSweepJobId(sweepSlot(t + hour, hour))).not.toBe(periodicSweepJobId(sweepSlot(t, hour)));
  });

  it('job data from another version fails clearly instead of deleting', () => {
    expect(parseDeletionJobData(null)).toEqual({ error: 'job data is not an object' });
    expect(parseDeletionJobData({ account: 'default' })).toEqual({
      error: 'job data has no destinationRegion',
    });
  });
});

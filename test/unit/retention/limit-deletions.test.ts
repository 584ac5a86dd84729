import { describe, expect, it } from 'vitest';
import { limitDeletions } from '../../../src/retention/limit-deletions.js';
import type { RetentionVerdict } from '../../../src/retention/retention-types.js';

const del = (
  backupId: string,
  recoveryPointMs: number,
  why: 'no-rule-keeps-it' | 'failed-superseded' = 'no-rule-keeps-it',
) => ({ backupId, recoveryPointMs, action: 'delete', why }) as const;
const keep = (backupId: string, recoveryPointMs: number) =>
  ({ backupId, recoveryPointMs, action: 'keep', reasons: ['last'] }) as const;

// Two pairs' verdicts, concatenated as a sweep of one (account, destination Region) passes them.
const SWEEP: readonly RetentionVerdict[] = [
  keep('p1-b5', 500),
  del('p1-b3', 300),
  del('p1-b1', 100),
  keep('p2-b6', 600),
  del('p2-b4', 400, 'failed-superseded'),
  del('p2-b2', 200),
];

const ids = (max: number) => limitDeletions(SWEEP, max).deletions.map((d) => d.backupId);

describe('limitDeletions', () => {
  it('takes the oldest recovery points across all pairs first and counts the rest as deferred', () => {
    expect(limitDeletions(SWEEP, 2)).toEqual({
      deletions: [del('p1-b1', 100), del('p2-b2', 200)],
      deferred: 2,
    });
  });

  it.each([
    [0, [], 4],
    [1, ['p1-b1'], 3],
    [3, ['p1-b1', 'p2-b2', 'p1-b3'], 1],
    [4, ['p1-b1', 'p2-b2', 'p1-b3', 'p2-b4'], 0],
    [10, ['p1-b1', 'p2-b2', 'p1-b3', 'p2-b4'], 0],
    [Infinity, ['p1-b1', 'p2-b2', 'p1-b3', 'p2-b4'], 0],
    [2.9, ['p1-b1', 'p2-b2'], 2],
    [-1, [], 4],
    [NaN, [], 4],
  ])('max %s picks %j and defers %i', (max, expected, deferred) => {
    expect(ids(max)).toEqual(expected);
    expect(limitDeletions(SWEEP, max).deferred).toBe(deferred);
  });

  it('never picks a keep, and has nothing to defer when nothing is to be deleted', () => {
    expect(limitDeletions([keep('a', 1), keep('b', 2)], 5)).toEqual({ deletions: [], deferred: 0 });
  });

  it('breaks equal recovery points by backupId', () => {
    const verdicts = [del('backup-c', 100), del('backup-a', 100), del('backup-b', 100)];
    expect(limitDeletions(verdicts, 2)).toEqual({
      deletions: [del('backup-a', 100), del('backup-b', 100)],
      deferred: 1,
    });
  });
});

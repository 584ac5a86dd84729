import { describe, expect, it } from 'vitest';
import { clientRequestToken, copyJobId, copyKeyId } from '../../../src/copy/copy-key.js';
import { isEligibleSource, lifecycleState } from '../../../src/copy/backup-lifecycle.js';

const key = {
  sourceRegion: 'us-east-1',
  sourceBackupId: 'backup-0123456789abcdef0',
  destinationRegion: 'us-west-2',
};

describe('copy identity', () => {
  it('is deterministic in (key, slot) and has no colon (BullMQ refuses them in ids)', () => {
    expect(copyJobId(key, 1000)).toBe(copyJobId({ ...key }, 1000));
    expect(copyJobId(key, 1000)).not.toBe(copyJobId(key, 2000));
    expect(copyJobId(key, 1000)).not.toBe(copyJobId({ ...key, destinationRegion: 'eu-west-1' }, 1000));
    expect(copyJobId(key, 1000)).not.toContain(':');
    expect(copyKeyId(key)).not.toContain(':');
  });
  it('gives a token FSx accepts (1..63 of [A-Za-z0-9_.-]) that is stable per job', () => {
    const token = clientRequestToken(copyJobId(key, 1000));
    expect(token).toMatch(/^[A-Za-z0-9_.-]{1,63}$/);
    expect(clientRequestToken(copyJobId(key, 1000))).toBe(token);
    expect(clientRequestToken(copyJobId(key, 2000))).not.toBe(token);
  });
});

describe('lifecycle', () => {
  it.each([
    ['AVAILABLE', 'available', true],
    ['FAILED', 'failed', false],
    ['DELETED', 'deleted', false],
    ['CREATING', 'in-progress', true],
    ['PENDING', 'in-progress', true],
    ['TRANSFERRING', 'in-progress', true],
    ['COPYING', 'in-progress', true],
    ['ARCHIVING', 'in-progress', true],
  ] as const)('%s is %s (eligible source: %s)', (lifecycle, state, eligible) => {
    expect(lifecycleState(lifecycle)).toBe(state);
    expect(isEligibleSource(lifecycle)).toBe(eligible);
  });
  it('treats a missing Lifecycle as in progress but never picks it as a source', () => {
    expect(lifecycleState(undefined)).toBe('in-progress');
    expect(isEligibleSource(undefined)).toBe(false);
  });
});

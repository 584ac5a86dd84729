import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceKeyPrefix } from '../../../src/config/key-prefix.js';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import { OutcomeStore } from '../../../src/queue/outcome-store.js';
import type { RedisClient } from '../../../src/queue/redis-connection.js';
import {
  startRedisDeployment,
  topologiesUnderTest,
  type RedisDeployment,
} from '../../support/redis-topology.js';

function outcome(n: number, patch: Partial<CopyOutcome> = {}): CopyOutcome {
  return {
    status: 'succeeded',
    jobId: `copy-${n}`,
    policy: n % 2 === 0 ? 'even' : 'odd',
    fileSystemId: 'fs-00000000000000001',
    sourceRegion: 'us-east-1',
    sourceBackupId: `backup-${n}`,
    destinationRegion: 'us-west-2',
    destinationBackupId: `backup-copy-${n}`,
    attempts: 1,
    enqueuedAt: new Date(1_000_000 + n).toISOString(),
    finishedAt: new Date(2_000_000 + n * 1_000).toISOString(),
    ...patch,
  };
}

/**
 * The outcome store's one Lua step (record once per job, index, mark copied, move the newest copy forward, trim)
 * touches four keys: on a cluster they must share the prefix's slot. The same behaviour on every topology.
 */
describe.each(topologiesUnderTest())('the outcome store on %s Redis', (topology) => {
  let deployment: RedisDeployment;
  let client: RedisClient;
  let n = 0;
  const store = (maxCount = 1_000): OutcomeStore => {
    n += 1;
    return new OutcomeStore(client, serviceKeyPrefix(`${deployment.prefix}-${n}`, topology), {
      maxCount,
      maxAgeMs: 1e12,
    });
  };
  beforeAll(async () => {
    deployment = await startRedisDeployment(topology);
    client = deployment.client();
  });
  afterAll(async () => {
    client.disconnect();
    await deployment.stop();
  });

  it('records one outcome per job, marks the copy made, and lists newest first with a policy filter', async () => {
    const s = store();
    expect(await s.record(outcome(1), 'key-1', 100)).toBe(true);
    expect(await s.record(outcome(1, { status: 'failed' }), 'key-1', 100)).toBe(false);
    expect(await s.record(outcome(2), 'key-2', 200)).toBe(true);
    expect(await s.record(outcome(3, { status: 'failed', errorName: 'CopyFailed' }), 'key-3', 300)).toBe(
      true,
    );
    expect(await s.hasOutcome('copy-1')).toBe(true);
    expect(await s.copiedAs('key-1')).toBe('backup-copy-1');
    expect(await s.copiedAs('key-3')).toBeUndefined();
    expect((await s.list({ limit: 10 })).map((o) => o.jobId)).toEqual(['copy-3', 'copy-2', 'copy-1']);
    expect((await s.list({ limit: 10, policy: 'odd' })).map((o) => o.jobId)).toEqual(['copy-3', 'copy-1']);
  });

  it('moves the newest copy of a pair forward, never back, and trims to the retention', async () => {
    const s = store(2);
    await s.record(outcome(5), 'k5', 500);
    await s.record(outcome(4), 'k4', 400);
    const newest = async () =>
      (await s.latestCopies()).of({
        account: 'default',
        sourceRegion: 'us-east-1',
        fileSystemId: 'fs-00000000000000001',
        destinationRegion: 'us-west-2',
      })?.sourceBackupId;
    expect(await newest()).toBe('backup-5');
    await s.record(outcome(6), 'k6', 600);
    expect(await newest()).toBe('backup-6');
    expect((await s.list({ limit: 10 })).map((o) => o.jobId)).toEqual(['copy-6', 'copy-5']);
  });
});

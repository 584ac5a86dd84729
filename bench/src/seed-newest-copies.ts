import { Redis } from 'ioredis';
import { copyKeyId } from '../../src/copy/copy-key.js';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import type { ContendedSet } from './contended-set.js';

/**
 * Gives every pair of a contended set the newest copy it "already has": the record the service itself writes when a
 * copy succeeds (through its own OutcomeStore, so no key is spelled here), of an older backup whose recovery point
 * is `slack − rpo` from `now`. The pair's deadline, recovery point + `rpo`, is then `now + slack`, and the slot the
 * service plans at start copies the pair's new backup.
 */
export async function seedNewestCopies(
  redisUrl: string,
  prefix: string,
  set: ContendedSet,
  now: number,
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    const store = new OutcomeStore(redis, prefix, { maxAgeMs: 30 * 86_400_000, maxCount: 100_000 });
    for (const pairs of set.pairs.values()) {
      for (const pair of pairs) {
        const recoveryPoint = now + pair.slackMs - pair.rpoMs;
        const oldBackupId = `${pair.sourceBackupId.slice(0, -3)}01d`;
        const finishedAt = new Date(recoveryPoint + 3_600_000).toISOString();
        await store.record(
          {
            status: 'succeeded',
            jobId: `bench-seeded-${pair.fileSystemId}-${pair.destinationRegion}`,
            policy: pair.policy,
            fileSystemId: pair.fileSystemId,
            sourceRegion: set.spec.sourceRegion,
            sourceBackupId: oldBackupId,
            sourceCreatedAt: new Date(recoveryPoint).toISOString(),
            destinationRegion: pair.destinationRegion,
            destinationBackupId: `backup-seeded-${pair.fileSystemId.slice(3)}`,
            attempts: 1,
            enqueuedAt: finishedAt,
            finishedAt,
          },
          copyKeyId({
            sourceRegion: set.spec.sourceRegion,
            sourceBackupId: oldBackupId,
            destinationRegion: pair.destinationRegion,
          }),
          recoveryPoint,
        );
      }
    }
  } finally {
    redis.disconnect();
  }
}

import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './redis-connection.js';
import type { DeletionJobData } from '../retention/deletion-job.js';
import { deletionJobId, periodicSweepJobId } from '../retention/deletion-job.js';
import { retentionPairKey, type RetentionPair } from '../retention/retention-pair.js';
import { retentionScopeKey, type RetentionScope } from '../retention/retention-scope.js';
import { retentionKeys, retentionQueueName } from './retention-names.js';

/** A sweep job: a full sweep of one interval, or the pairs whose copies just succeeded. */
export type SweepJobData =
  | { readonly kind: 'full'; readonly slotMs: number }
  | { readonly kind: 'pairs'; readonly requestedAt: number };

export interface PendingPair {
  readonly key: string;
  readonly requestedAt: number;
}

const DAY_S = 24 * 3600;

/**
 * A deletion job is removed once it completes, so a later sweep can decide about the same backup again (a guard
 * that held may have cleared); a failed one stays a day, so a refusal such as AccessDenied is not repeated on every
 * sweep (a failure that was not a refusal is replaced by the next sweep: see `addDeletions`).
 */
const DELETION_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: true,
  removeOnFail: { age: DAY_S, count: 50_000 },
};

// Removes the pairs taken, unless asked again since (a newer score): that request still gets its sweep.
const FINISH_PENDING = `
local n = 0
for i = 1, #ARGV, 2 do
  local cur = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if cur and tonumber(cur) <= tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    n = n + 1
  end
end
return n
`;

/**
 * The retention queues, one per (account, destination Region), created on first use, and the set of pairs waiting
 * for the sweep that follows their copies. Sweeps and deletions share a scope's queue; copies never use it.
 */
export class RetentionQueues {
  private readonly queues = new Map<string, Queue>();
  private readonly keys;

  /** @param onError told of a queue's connection errors (BullMQ prints them whole otherwise). */
  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.keys = retentionKeys(prefix);
  }

  queue(scope: RetentionScope): Queue {
    const key = retentionScopeKey(scope);
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue(retentionQueueName(scope), {
        connection: this.connection,
        prefix: this.prefix,
      });
      q.on('error', this.onError);
      this.queues.set(key, q);
    }
    return q;
  }

  /**
   * The full sweep of the interval starting at `slotMs`. Every replica adds the same job id; the finished job is
   * kept for a few intervals so that a replica asking late adds nothing either.
   */
  async addPeriodicSweep(scope: RetentionScope, slotMs: number, intervalMs: number): Promise<void> {
    const data: SweepJobData = { kind: 'full', slotMs };
    await this.queue(scope).add('sweep', data, {
      jobId: periodicSweepJobId(slotMs),
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: Math.max(3_600, Math.ceil((3 * intervalMs) / 1_000)), count: 10_000 },
      removeOnFail: { age: 7 * DAY_S, count: 10_000 },
    });
  }

  /**
   * Asks for a sweep of one pair soon (a copy of it just succeeded). Requests within `delayMs` of each other share
   * one sweep job (one listing of the Region): the pair is noted in a sorted set, and the job is debounced.
   */
  async requestPairSweep(pair: RetentionPair, now: number, delayMs: number): Promise<void> {
    const scope = { account: pair.account, destinationRegion: pair.destinationRegion };
    await this.connection.zadd(this.keys.pendingPairs(scope), String(now), retentionPairKey(pair));
    const data: SweepJobData = { kind: 'pairs', requestedAt: now };
    await this.queue(scope).add('sweep', data, {
      delay: delayMs,
      deduplication: { id: 'pairs', ttl: Math.max(1, delayMs) },
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 3_600, count: 1_000 },
      removeOnFail: { age: DAY_S, count: 1_000 },
    });
  }

  /** The pairs waiting for a sweep in a scope; `finishPendingPairs` removes them once swept. */
  async pendingPairs(scope: RetentionScope): Promise<PendingPair[]> {
    const flat = await this.connection.zrange(this.keys.pendingPairs(scope), '0', '-1', 'WITHSCORES');
    const out: PendingPair[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      out.push({ key: flat[i] ?? '', requestedAt: Number(flat[i + 1]) });
    return out;
  }

  async finishPendingPairs(scope: RetentionScope, taken: readonly PendingPair[]): Promise<void> {
    if (taken.length === 0) return;
    await this.connection.eval(
      FINISH_PENDING,
      1,
      this.keys.pendingPairs(scope),
      ...taken.flatMap((p) => [p.key, String(p.requestedAt)]),
    );
  }

  /**
   * Adds deletion jobs, one id per backup: a backup whose deletion is waiting, running, or was refused by FSx within
   * the day adds nothing. A failed job that FSx did not refuse (it failed on its own: its lock lost under load, the
   * process stopped between attempts) would block its backup for the day, since the id is the backup's: it is
   * removed, and the deletion decided again. Returns how many jobs were new.
   */
  async addDeletions(scope: RetentionScope, deletions: readonly DeletionJobData[]): Promise<number> {
    const queue = this.queue(scope);
    let added = 0;
    for (const data of deletions) {
      const jobId = deletionJobId(data.backupId);
      const existing = await queue.getJob(jobId);
      if (existing && (existing.data as Partial<DeletionJobData> | undefined)?.refusedAt === undefined) {
        if ((await existing.getState()) === 'failed') await existing.remove();
      }
      const job = await queue.add('delete', data, { ...DELETION_JOB_OPTIONS, jobId });
      if (job.timestamp >= data.decidedAt) added += 1;
    }
    return added;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

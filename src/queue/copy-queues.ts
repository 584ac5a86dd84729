import { Queue, type ConnectionOptions } from 'bullmq';
import { DEFAULT_ACCOUNT, accountOf, accountRegionKey } from '../copy/account-region.js';
import { copyKeyId } from '../copy/copy-key.js';
import type { PlannedCopy } from '../schedule/plan-copies.js';
import { copyQueueName } from './queue-names.js';

const DAY_S = 24 * 3600;

/** Job options of every copy job. Attempts beyond the first are only for faults outside the copy logic. */
export const COPY_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * DAY_S, count: 50_000 },
  removeOnFail: { age: 30 * DAY_S, count: 50_000 },
} as const;

/** Copy jobs of one destination Region by state, all processes: what `status` and the metrics show. */
export interface QueueCounts {
  /** Copies in flight: an active copy job holds one of the Region's slots. */
  readonly active: number;
  /** Waiting to start (prioritized ones included). */
  readonly waiting: number;
  readonly delayed: number;
  readonly failed: number;
}

/** The per-(account, destination Region) copy queues, created on first use. */
export class CopyQueues {
  private readonly queues = new Map<string, Queue>();

  /**
   * @param onError told of a queue's connection errors; without a listener BullMQ prints the whole error object
   * (which can carry a password) to the console.
   */
  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  queue(destinationRegion: string, account: string = DEFAULT_ACCOUNT): Queue {
    const key = accountRegionKey(account, destinationRegion);
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue(copyQueueName(destinationRegion, account), {
        connection: this.connection,
        prefix: this.prefix,
      });
      q.on('error', this.onError);
      this.queues.set(key, q);
    }
    return q;
  }

  /**
   * Adds planned copies. A job id that already exists adds nothing (two schedulers planning one slot), and while a
   * job for the same copy key has not finished, BullMQ's deduplication drops the new one (two slots, or two
   * policies, asking for the same copy). Returns how many jobs were new; a job id that already existed (a plan job
   * retried for the same slot) counts as new too, since BullMQ's add does not say.
   */
  async enqueue(copies: readonly PlannedCopy[]): Promise<number> {
    let added = 0;
    const batch = 200;
    for (let i = 0; i < copies.length; i += batch) {
      const results = await Promise.all(
        copies.slice(i, i + batch).map(async (c) => {
          const job = await this.queue(c.data.destinationRegion, accountOf(c.data)).add('copy', c.data, {
            ...COPY_JOB_OPTIONS,
            jobId: c.jobId,
            deduplication: { id: copyKeyId(c.data) },
          });
          return job.id === c.jobId && job.timestamp >= c.data.enqueuedAt ? 1 : 0;
        }),
      );
      added += results.reduce<number>((a, b) => a + b, 0);
    }
    return added;
  }

  async counts(destinationRegion: string, account: string = DEFAULT_ACCOUNT): Promise<QueueCounts> {
    const c = await this.queue(destinationRegion, account).getJobCounts(
      'active',
      'waiting',
      'prioritized',
      'delayed',
      'failed',
    );
    return {
      active: c['active'] ?? 0,
      waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
      delayed: c['delayed'] ?? 0,
      failed: c['failed'] ?? 0,
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

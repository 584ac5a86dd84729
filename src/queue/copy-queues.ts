import { Queue, type ConnectionOptions, type Job } from 'bullmq';
import { DEFAULT_ACCOUNT, accountOf, accountRegionKey } from '../copy/account-region.js';
import { copyKeyId } from '../copy/copy-key.js';
import type { CopyJobData } from '../copy/copy-job.js';
import { admissionPriority } from '../schedule/admission-priority.js';
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
    /** `urgency`: waiting copies start in RPO-deadline order (BullMQ priorities); `fifo`: in plan order. */
    private readonly admission: 'urgency' | 'fifo' = 'urgency',
    private readonly now: () => number = Date.now,
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
    const now = this.now();
    // Queues that held waiting copies before these: only those need their priorities given again (the new copies'
    // are computed with this same `now`), which spares reading every job of a queue this slot filled from empty. Two
    // slots filling an empty queue at once each use their own `now`, milliseconds apart: far finer than any deadline.
    const touched = new Map<string, Queue>();
    if (this.admission === 'urgency') {
      const queues = new Map(copies.map((c) => [c.data.destinationRegion + '|' + accountOf(c.data), c.data]));
      for (const data of queues.values()) {
        const queue = this.queue(data.destinationRegion, accountOf(data));
        if ((await queue.getPrioritizedCount()) > 0) touched.set(queue.name, queue);
      }
    }
    for (let i = 0; i < copies.length; i += batch) {
      const results = await Promise.all(
        copies.slice(i, i + batch).map(async (c) => {
          const queue = this.queue(c.data.destinationRegion, accountOf(c.data));
          const job = await queue.add('copy', c.data, {
            ...COPY_JOB_OPTIONS,
            jobId: c.jobId,
            deduplication: { id: copyKeyId(c.data) },
            ...(this.admission === 'urgency' ? { priority: admissionPriority(c.data, now) } : {}),
          });
          return job.id === c.jobId && job.timestamp >= c.data.enqueuedAt ? 1 : 0;
        }),
      );
      added += results.reduce<number>((a, b) => a + b, 0);
    }
    if (this.admission === 'urgency') {
      for (const queue of touched.values()) await this.reprioritize(queue, now);
    }
    return added;
  }

  /**
   * Gives every waiting copy of a queue its priority again with one `now` (priorities are relative to it: see
   * src/schedule/admission-priority.ts), so copies planned at different slots are ordered by their deadlines. A job
   * that starts or finishes meanwhile is left as it is: a copy in flight is never preempted.
   */
  private async reprioritize(queue: Queue, now: number): Promise<void> {
    const waiting = await queue.getPrioritized();
    for (const job of waiting) {
      const priority = admissionPriority(job.data as CopyJobData, now);
      if (job.opts.priority === priority) continue;
      // A job a worker took (or that finished) since the listing is no longer waiting: it keeps what it had.
      await (job as Job).changePriority({ priority }).catch(() => undefined);
    }
  }

  /**
   * The copies waiting in a queue in the order they will start (BullMQ takes jobs without a priority first, then
   * prioritized ones by priority), at most `limit`.
   */
  async waitingInOrder(destinationRegion: string, account: string, limit: number): Promise<CopyJobData[]> {
    const queue = this.queue(destinationRegion, account);
    const plain = await queue.getWaiting(0, limit - 1);
    const prioritized = plain.length >= limit ? [] : await queue.getPrioritized(0, limit - plain.length - 1);
    return [...plain, ...prioritized].map((j) => j.data as CopyJobData);
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

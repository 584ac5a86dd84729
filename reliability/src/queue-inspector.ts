import { Queue } from 'bullmq';
import type { RedisClient } from '../../src/queue/redis-connection.js';
import { PLAN_QUEUE_NAME, copyQueueName } from '../../src/queue/queue-names.js';

/** A copy job as the audit needs it: which copy it asked for, and where it is now. */
export interface EnqueuedCopy {
  readonly jobId: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
  readonly state: string;
}

const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const ALL_STATES = [...UNFINISHED, 'completed', 'failed'] as const;

/**
 * Reads the service's BullMQ queues from the outside (never adds, moves or removes a job): what was enqueued, and
 * whether anything is still unfinished. Copy jobs are kept after they finish (the service keeps a week of them),
 * so the list of everything the service enqueued during the run is complete.
 */
export class QueueInspector {
  private readonly copyQueues: Map<string, Queue>;
  private readonly planQueue: Queue;

  constructor(connection: RedisClient, prefix: string, destinationRegions: readonly string[]) {
    const open = (name: string): Queue => {
      const queue = new Queue(name, { connection, prefix });
      // Redis restarts on purpose during the run: the connection reconnects, nothing to print.
      queue.on('error', () => undefined);
      return queue;
    };
    this.copyQueues = new Map(destinationRegions.map((r) => [r, open(copyQueueName(r))]));
    this.planQueue = open(PLAN_QUEUE_NAME);
  }

  /** Jobs not yet finished, over every copy queue and the plan queue. */
  async unfinished(): Promise<{ copy: number; plan: number }> {
    let copy = 0;
    for (const q of this.copyQueues.values()) copy += sum(await q.getJobCounts(...UNFINISHED));
    return { copy, plan: sum(await this.planQueue.getJobCounts(...UNFINISHED)) };
  }

  /** Every copy job in Redis, in any state. */
  async allCopyJobs(): Promise<EnqueuedCopy[]> {
    const out: EnqueuedCopy[] = [];
    for (const q of this.copyQueues.values()) {
      for (const state of ALL_STATES) {
        for (const job of await q.getJobs([state], 0, -1)) {
          const data = job.data as Partial<
            Record<'sourceRegion' | 'sourceBackupId' | 'destinationRegion', string>
          >;
          out.push({
            jobId: job.id ?? '',
            sourceRegion: data.sourceRegion ?? '',
            sourceBackupId: data.sourceBackupId ?? '',
            destinationRegion: data.destinationRegion ?? '',
            state,
          });
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.copyQueues.values(), this.planQueue].map((q) => q.close()));
  }
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

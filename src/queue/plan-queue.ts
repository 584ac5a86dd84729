import { Queue, type ConnectionOptions } from 'bullmq';
import { PLAN_QUEUE_NAME } from './queue-names.js';

/** A schedule slot of a policy, to be planned by a scheduler process. */
export interface PlanJobData {
  readonly policy: string;
  readonly slotMs: number;
}

/** Deterministic per (policy, slot): any number of schedulers (or `copy-now` callers) add one job for a slot. */
export function planJobId(policy: string, slotMs: number): string {
  return `plan-${policy}-${slotMs}`;
}

const PLAN_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/** The queue of slots to plan, kept apart from copies so a trigger never waits behind them. */
export class PlanQueue {
  readonly queue: Queue<PlanJobData>;

  constructor(
    connection: ConnectionOptions,
    prefix: string,
    onError: (err: Error) => void = () => undefined,
  ) {
    this.queue = new Queue<PlanJobData>(PLAN_QUEUE_NAME, { connection, prefix });
    // Without a listener BullMQ prints the whole error object (which can carry a password) to the console.
    this.queue.on('error', onError);
  }

  async add(policy: string, slotMs: number): Promise<string> {
    const id = planJobId(policy, slotMs);
    await this.queue.add('plan', { policy, slotMs }, { ...PLAN_JOB_OPTIONS, jobId: id });
    return id;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

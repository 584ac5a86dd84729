import type { Queue } from 'bullmq';

/** A queue's load as a stall watch reads it (see src/ops/worker-stall-watch.ts), all processes together. */
export interface QueueLoadReading {
  readonly waiting: number;
  readonly active: number;
  readonly concurrency: number;
  readonly held: boolean;
}

/**
 * Reads how many jobs are ready and active, how many may be active (the global concurrency, else the worker's
 * own), and whether the queue is held back: paused, or rate limited. `limiterMax` is the worker's `limiter.max`:
 * BullMQ counts every job taken against it (so the limiter key always has a TTL), and the queue is only held once
 * the count reaches it, as it does at once under a manual rate limit (a Region-full pause).
 */
export async function readQueueLoad(
  queue: Queue,
  worker: { readonly concurrency: number; readonly limiterMax?: number },
): Promise<QueueLoadReading> {
  const [counts, globalConcurrency, rateLimitTtl, paused] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active'),
    queue.getGlobalConcurrency(),
    queue.getRateLimitTtl(worker.limiterMax),
    queue.isPaused(),
  ]);
  return {
    waiting: (counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0),
    active: counts['active'] ?? 0,
    concurrency: globalConcurrency ?? worker.concurrency,
    held: paused || rateLimitTtl > 0,
  };
}

import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerStallWatch } from '../../../src/ops/worker-stall-watch.js';
import { readQueueLoad } from '../../../src/queue/queue-load.js';
import { memoryLogger } from '../../support/memory-logger.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { eventually } from '../../support/service-process.js';

/**
 * /healthz's stall check against a real BullMQ worker and queue: a worker that stops taking jobs while its queue
 * has work (here paused locally, which looks from outside exactly like BullMQ #4378: running, silent, taking
 * nothing) turns health false; a queue that is merely full or rate limited (a Region-full pause) does not. The
 * watch's clock is the test's, so "300 ms without taking a job" needs no waiting.
 */
describe('the worker stall watch', () => {
  let redis: TestRedis | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await redis?.stop();
  });

  async function world(concurrency: number, autorun = true) {
    redis = await startRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('copy-us-west-2', { connection, prefix: redis.prefix });
    await queue.setGlobalConcurrency(concurrency);
    const clock = { now: 1_000_000 };
    let lastTaken: number | undefined;
    const release: (() => void)[] = [];
    const worker = new Worker('copy-us-west-2', () => new Promise<void>((resolve) => release.push(resolve)), {
      connection,
      prefix: redis.prefix,
      concurrency,
      // As the service's copy workers: a manual rate limit (Region full) applies only with a limiter set.
      limiter: { max: 1_000_000, duration: 1_000 },
      autorun,
    });
    worker.on('active', () => (lastTaken = clock.now));
    const { logger, lines } = memoryLogger();
    const watch = new WorkerStallWatch({
      workers: () => [
        {
          queue: 'copy-us-west-2',
          load: () => readQueueLoad(queue, { concurrency, limiterMax: 1_000_000 }),
          lastTakenAt: () => lastTaken,
        },
      ],
      stallAfterMs: 300,
      logger,
      now: () => clock.now,
    });
    closers.push(
      () => connection.quit(),
      () => queue.close(),
      async () => {
        release.forEach((r) => r());
        await worker.close(true).catch(() => undefined);
      },
    );
    await worker.waitUntilReady();
    /** Two looks at the queue, `ms` apart on the watch's clock. */
    const judge = async (ms: number): Promise<boolean> => {
      await watch.check();
      clock.now += ms;
      await watch.check();
      return watch.health().healthy;
    };
    return { queue, worker, watch, lines, release, judge, active: () => queue.getActiveCount() };
  }

  it('fails health when a worker takes no work while jobs wait, and heals once it takes them', async () => {
    // Not running: from outside the same as BullMQ #4378 (alive, silent, taking nothing).
    const w = await world(2, false);
    await w.queue.add('copy', {});
    expect(await w.judge(100)).toBe(true);
    expect(await w.judge(250)).toBe(false);
    expect(w.watch.health().stalled).toEqual([{ queue: 'copy-us-west-2', waiting: 1, forMs: 350 }]);
    expect(await w.judge(1_000)).toBe(false);
    expect(w.lines.filter((l) => l.event === 'worker.stalled')).toHaveLength(1);

    void w.worker.run();
    await eventually('the worker took the waiting job', async () => (await w.active()) === 1);
    await w.queue.add('copy', {});
    await eventually('and the next one', async () => (await w.active()) === 2);
    expect(await w.judge(1_000)).toBe(true);
  });

  it('stays healthy while every slot is busy, and while the queue is rate limited (a Region-full pause)', async () => {
    const w = await world(1);
    await w.queue.add('copy', {});
    await eventually('the worker took the job', async () => (await w.active()) === 1);
    await w.queue.add('copy', {});
    // One job waits behind the one slot: nothing is wrong.
    expect(await w.judge(10_000)).toBe(true);

    // What the copy worker does on ServiceLimitExceeded (worker.rateLimit, then the job finishes).
    await w.worker.rateLimit(60_000);
    w.release.forEach((r) => r());
    await eventually('the first job finished', async () => (await w.active()) === 0);
    expect(await w.queue.getWaitingCount()).toBe(1);
    // A slot is free and a job waits, but the Region is paused: nobody should take it.
    expect(await w.judge(10_000)).toBe(true);
  });
});

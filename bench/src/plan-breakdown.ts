import type { Redis } from 'ioredis';
import type { Policy, Settings } from '../../src/config/types.js';
import { FsxGateway } from '../../src/fsx/fsx-gateway.js';
import { createLogger } from '../../src/log.js';
import { CopyQueues } from '../../src/queue/copy-queues.js';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import { planSlot } from '../../src/service/plan-slot.js';

/** Where the time of one big slot goes: listing the source Region, reading past copies, planning, enqueueing. */
export interface PlanBreakdown {
  readonly jobs: number;
  readonly totalMs: number;
  readonly listSourceBackupsMs: number;
  readonly latestCopiesMs: number;
  readonly enqueueMs: number;
  /** Everything else: the pure planning and the log lines. */
  readonly planMs: number;
  /** CPU of this process during enqueue (the simulator is idle then, so it is the enqueue's own). */
  readonly enqueueCpuMs: number;
  readonly redisUsedMemoryDeltaBytes: number;
}

async function timed<T>(into: { ms: number }, work: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    into.ms += performance.now() - t;
  }
}

/**
 * The same `planSlot` the scheduler runs, driven in this process with its real adapters (FSx SDK client, BullMQ,
 * Redis), each port timed, so a slow slot can be pinned on one step. A fresh key prefix keeps it apart from the
 * service's own run.
 */
export async function measurePlanBreakdown(opts: {
  readonly policy: Policy;
  readonly settings: Settings;
  readonly endpoint: string;
  readonly redis: Redis;
  readonly prefix: string;
  readonly usedMemory: () => Promise<number>;
}): Promise<PlanBreakdown> {
  const fsx = new FsxGateway({ endpoint: opts.endpoint });
  const queues = new CopyQueues(opts.redis, opts.prefix);
  const outcomes = new OutcomeStore(opts.redis, opts.prefix, { maxCount: 10_000, maxAgeMs: 86_400_000 });
  const list = { ms: 0 };
  const latest = { ms: 0 };
  const enqueue = { ms: 0 };
  let enqueueCpuMs = 0;
  const memoryBefore = await opts.usedMemory();
  const started = performance.now();
  try {
    const result = await planSlot(opts.policy, opts.settings, Date.now(), {
      listSourceBackups: (_account, region, ids) => timed(list, () => fsx.listSourceBackups(region, ids)),
      listFileSystems: (_account, region) => fsx.listFileSystems(region),
      recordSelection: () => Promise.resolve(true),
      recordAccountReach: () => Promise.resolve(),
      accountFailure: () => undefined,
      latestCopies: () => timed(latest, () => outcomes.latestCopies()),
      enqueue: async (copies) => {
        const cpu = process.cpuUsage();
        const n = await timed(enqueue, () => queues.enqueue(copies));
        const used = process.cpuUsage(cpu);
        enqueueCpuMs = (used.user + used.system) / 1000;
        return n;
      },
      logger: createLogger({ level: 'silent' }),
      now: () => Date.now(),
      deployment: opts.prefix,
    });
    const totalMs = performance.now() - started;
    return {
      jobs: result.enqueued,
      totalMs,
      listSourceBackupsMs: list.ms,
      latestCopiesMs: latest.ms,
      enqueueMs: enqueue.ms,
      // list and latestCopies run side by side; the rest is planning proper.
      planMs: totalMs - Math.max(list.ms, latest.ms) - enqueue.ms,
      enqueueCpuMs,
      redisUsedMemoryDeltaBytes: (await opts.usedMemory()) - memoryBefore,
    };
  } finally {
    await queues.close();
    fsx.destroy();
  }
}

import { Worker, type Job } from 'bullmq';
import type { Config, Policy } from '../src/config/types.js';
import { PlanQueue, type PlanJobData } from '../src/queue/plan-queue.js';
import { PLAN_QUEUE_NAME, serviceKeys } from '../src/queue/queue-names.js';
import { nextFireTime, previousFireTime } from '../src/schedule/next-fire-times.js';
import { planSlot } from '../src/service/plan-slot.js';
import { errorFields } from '../src/log.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import type { ServiceParts } from './service-parts.js';

export interface SchedulerOptions extends ServiceParts {
  readonly getConfig: () => Config;
}

export interface Scheduler {
  /** Plans one slot of a policy now (the `slotMs` given, or the current time). */
  fire(policy: string, slotMs?: number): Promise<void>;
  /** Looks at the schedules again at once (after a config reload). */
  wake(): void;
  /** The plan worker as the stall watch of /healthz sees it. */
  readonly watched: () => readonly WatchedWorker[];
  close(): Promise<void>;
}

const MAX_SLEEP_MS = 30_000;
const PLAN_CONCURRENCY = 2;
const MIN_SLEEP_MS = 50;

// Moves the last planned slot of a policy forward, never back (two schedulers may race to write it).
const ADVANCE_SLOT = `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end
return 0
`;

/**
 * Fires each policy's schedule slots: a slot becomes one plan job with a deterministic id, so any number of
 * scheduler processes fire it once; the last planned slot per policy is kept in Redis, so slots missed while
 * nothing ran are caught up at start (once: the newest backup is what counts). Planning runs on its own queue, so
 * a trigger never waits behind hours-long copies, and a scheduler that dies mid-plan leaves the job to another.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const log = opts.logger.child({ component: 'scheduler' });
  const redis = opts.connection;
  const keys = serviceKeys(opts.prefix);
  const planQueue = new PlanQueue(redis, opts.prefix, (err) =>
    log.error({ event: 'queue.error', ...errorFields(err) }, 'plan queue error'),
  );
  const planWorker = new Worker<PlanJobData>(
    PLAN_QUEUE_NAME,
    async (job: Job<PlanJobData>) => {
      const config = opts.getConfig();
      const policy = config.policies.find((p) => p.name === job.data.policy);
      if (!policy) {
        log.warn({ event: 'schedule.policy_gone', policy: job.data.policy }, 'policy no longer configured');
        return { planned: 0 };
      }
      return planSlot(policy, config.settings, job.data.slotMs, {
        listSourceBackups: (region, ids) => opts.fsx.listSourceBackups(region, ids),
        latestCopies: () => opts.outcomes.latestCopies(),
        enqueue: (copies) => opts.queues.enqueue(copies),
        logger: log,
        now: () => Date.now(),
      });
    },
    { connection: redis, prefix: opts.prefix, concurrency: PLAN_CONCURRENCY },
  );
  let lastTaken: number | undefined;
  planWorker.on('active', () => (lastTaken = Date.now()));
  planWorker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    log[final ? 'error' : 'warn'](
      {
        event: final ? 'schedule.plan_failed' : 'schedule.plan_retry',
        policy: job.data.policy,
        slot: new Date(job.data.slotMs).toISOString(),
        attempt: job.attemptsMade,
        errorName: err.name,
        errorMessage: err.message,
      },
      final ? 'slot could not be planned' : 'slot planning will be retried',
    );
  });
  planWorker.on('error', (err) =>
    log.error({ event: 'worker.error', ...errorFields(err) }, 'plan worker error'),
  );

  const addPlanJob = async (policy: Policy, slotMs: number, catchUp: boolean): Promise<void> => {
    await planQueue.add(policy.name, slotMs);
    const advanced = await redis.eval(ADVANCE_SLOT, 1, keys.scheduleLastSlot, policy.name, String(slotMs));
    if (advanced === 1) {
      log.info(
        { event: 'schedule.fired', policy: policy.name, slot: new Date(slotMs).toISOString(), catchUp },
        catchUp ? 'missed slot caught up' : 'slot fired',
      );
    }
  };

  const tick = async (): Promise<number> => {
    const config = opts.getConfig();
    const now = Date.now();
    const last = await redis.hgetall(keys.scheduleLastSlot);
    let wake = now + MAX_SLEEP_MS;
    for (const policy of config.policies) {
      const due = previousFireTime(policy.schedule, policy.timezone, new Date(now))?.getTime();
      const lastSlot = last[policy.name] !== undefined ? Number(last[policy.name]) : undefined;
      if (due !== undefined && (lastSlot === undefined || due > lastSlot)) {
        const missedOne =
          lastSlot !== undefined &&
          nextFireTime(policy.schedule, policy.timezone, new Date(lastSlot)).getTime() < due;
        await addPlanJob(policy, due, lastSlot === undefined || missedOne || now - due > MAX_SLEEP_MS);
      }
      wake = Math.min(wake, nextFireTime(policy.schedule, policy.timezone, new Date(now)).getTime());
    }
    return Math.max(MIN_SLEEP_MS, Math.min(MAX_SLEEP_MS, wake - Date.now()));
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const loop = (): void => {
    if (stopped) return;
    running = tick()
      .then((sleepMs) => {
        if (!stopped) timer = setTimeout(loop, sleepMs);
      })
      .catch((err: unknown) => {
        log.error({ event: 'schedule.tick_failed', ...errorFields(err) }, 'schedule tick failed; retrying');
        if (!stopped) timer = setTimeout(loop, 1_000);
      });
  };
  loop();
  log.info(
    { event: 'scheduler.started', policies: opts.getConfig().policies.map((p) => p.name) },
    'scheduler started',
  );

  return {
    fire: async (name, slotMs) => {
      const policy = opts.getConfig().policies.find((p) => p.name === name);
      if (!policy) throw new Error(`no policy named ${name}`);
      await addPlanJob(policy, slotMs ?? Date.now(), false);
    },
    watched: () => [
      {
        queue: PLAN_QUEUE_NAME,
        load: () => readQueueLoad(planQueue.queue, { concurrency: PLAN_CONCURRENCY }),
        lastTakenAt: () => lastTaken,
      },
    ],
    wake: () => {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      void running.then(() => {
        if (timer) clearTimeout(timer);
        loop();
      });
    },
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
      await planWorker.close();
      await planQueue.close();
    },
  };
}

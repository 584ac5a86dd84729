import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config/types.js';
import { PlanQueue, type PlanJobData } from '../src/queue/plan-queue.js';
import { PLAN_QUEUE_NAME } from '../src/queue/queue-names.js';
import { ScheduleStore } from '../src/queue/schedule-store.js';
import { dueSlots, type DueSlot } from '../src/schedule/due-slots.js';
import { planSlot } from '../src/service/plan-slot.js';
import { errorFields, logEvent } from '../src/log.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import { assumeRoleFailureOf } from '../src/fsx/assume-role.js';
import type { ServiceParts } from './service-parts.js';

export interface SchedulerOptions extends ServiceParts {
  readonly getConfig: () => Config;
}

export interface Scheduler {
  /** Looks at the schedules again at once (after a config reload). */
  wake(): void;
  /** The plan worker as the stall watch of /healthz sees it. */
  readonly watched: () => readonly WatchedWorker[];
  close(): Promise<void>;
}

/** The scheduler never sleeps longer than this, so a due slot older than it was missed while nothing ran. */
const MAX_SLEEP_MS = 30_000;
const MIN_SLEEP_MS = 50;
const TICK_RETRY_MS = 1_000;
const PLAN_CONCURRENCY = 2;

/** The worker that plans the slots fired (by any scheduler, or `copy-now`): list, plan, enqueue. */
function startPlanWorker(opts: SchedulerOptions, log: Logger): Worker<PlanJobData> {
  const worker = new Worker<PlanJobData>(
    PLAN_QUEUE_NAME,
    async (job: Job<PlanJobData>) => {
      const config = opts.getConfig();
      const policy = config.policies.find((p) => p.name === job.data.policy);
      if (!policy) {
        logEvent(log, 'schedule.policy_gone', { policy: job.data.policy }, 'policy no longer configured');
        return { planned: 0 };
      }
      return planSlot(policy, config.settings, job.data.slotMs, {
        listSourceBackups: async (account, region, ids) =>
          opts.gateways.gateway(account).listSourceBackups(region, ids),
        listFileSystems: async (account, region) => opts.gateways.gateway(account).listFileSystems(region),
        latestCopies: () => opts.outcomes.latestCopies(),
        enqueue: (copies) => opts.queues.enqueue(copies),
        recordSelection: (key, selection, at) => opts.estate.recordSelection(key, selection, at),
        recordAccountReach: (account, reach) => opts.estate.recordAccountReach(account, reach),
        accountFailure: assumeRoleFailureOf,
        logger: log,
        now: () => Date.now(),
        deployment: opts.deployment,
      });
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: PLAN_CONCURRENCY },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logEvent(
      log,
      final ? 'schedule.plan_failed' : 'schedule.plan_retry',
      {
        policy: job.data.policy,
        slot: new Date(job.data.slotMs).toISOString(),
        attempt: job.attemptsMade,
        ...errorFields(err),
      },
      final ? 'slot could not be planned' : 'slot planning will be retried',
    );
  });
  worker.on('error', (err) => logEvent(log, 'worker.error', { ...errorFields(err) }, 'plan worker error'));
  return worker;
}

/** A self-rescheduling timer: runs `tick`, sleeps as long as it says (or a second after it failed), again. */
function startTickLoop(
  tick: () => Promise<number>,
  onError: (err: unknown) => void,
): { wake(): void; stop(): Promise<void> } {
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
        onError(err);
        if (!stopped) timer = setTimeout(loop, TICK_RETRY_MS);
      });
  };
  loop();
  return {
    wake: () => {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      void running.then(() => {
        if (timer) clearTimeout(timer);
        loop();
      });
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}

/**
 * Fires each policy's schedule slots: a slot becomes one plan job with a deterministic id, so any number of
 * scheduler processes fire it once; the last planned slot per policy is kept in Redis, so slots missed while
 * nothing ran are caught up at start (once: the newest backup is what counts; `dueSlots` decides). Planning runs on
 * its own queue, so a trigger never waits behind hours-long copies, and a scheduler that dies mid-plan leaves the
 * job to another.
 */
export function startScheduler(opts: SchedulerOptions): Scheduler {
  const log = opts.logger.child({ component: 'scheduler' });
  const slots = new ScheduleStore(opts.connection, opts.prefix);
  const planQueue = new PlanQueue(opts.connection, opts.prefix, (err) =>
    logEvent(log, 'queue.error', errorFields(err), 'plan queue error'),
  );
  const planWorker = startPlanWorker(opts, log);
  let lastTaken: number | undefined;
  planWorker.on('active', () => (lastTaken = Date.now()));

  const fire = async ({ policy, slotMs, catchUp }: DueSlot): Promise<void> => {
    await planQueue.add(policy, slotMs);
    if (await slots.advance(policy, slotMs)) {
      const fields = { policy, slot: new Date(slotMs).toISOString(), catchUp };
      logEvent(log, 'schedule.fired', fields, catchUp ? 'missed slot caught up' : 'slot fired');
    }
  };
  /** Fires what is due; returns how long to sleep before the next look. */
  const tick = async (): Promise<number> => {
    const { policies } = opts.getConfig();
    const lastSlots = await slots.lastSlots();
    const { due, wakeAt } = dueSlots({ policies, lastSlots, now: Date.now(), lateAfterMs: MAX_SLEEP_MS });
    for (const slot of due) await fire(slot);
    return Math.max(MIN_SLEEP_MS, Math.min(MAX_SLEEP_MS, wakeAt - Date.now()));
  };
  const loop = startTickLoop(tick, (err) =>
    logEvent(log, 'schedule.tick_failed', errorFields(err), 'schedule tick failed; retrying'),
  );
  const policies = opts.getConfig().policies.map((p) => p.name);
  logEvent(log, 'scheduler.started', { policies }, 'scheduler started');

  return {
    wake: () => loop.wake(),
    watched: () => [
      {
        queue: PLAN_QUEUE_NAME,
        load: () => readQueueLoad(planQueue.queue, { concurrency: PLAN_CONCURRENCY }),
        lastTakenAt: () => lastTaken,
      },
    ],
    close: async () => {
      await loop.stop();
      await planWorker.close();
      await planQueue.close();
    },
  };
}

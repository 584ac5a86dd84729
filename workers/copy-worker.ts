import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { destinationRegions } from '../src/config/destination-regions.js';
import type { Config } from '../src/config/types.js';
import type { CopyOutcome } from '../src/copy/outcome.js';
import type { RetryLimits } from '../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../src/fsx/error-facts.js';
import { discoverCopyRegions } from '../src/queue/discover-regions.js';
import { copyQueueName } from '../src/queue/queue-names.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import type { CopyJobPorts } from '../src/service/process-copy-job.js';
import { errorFields, logEvent } from '../src/log.js';
import { createCopyProcessor, recordUnexpectedFailure } from './copy-processor.js';
import type { ServiceParts } from './service-parts.js';

export interface CopyWorkerOptions extends ServiceParts {
  readonly config: Config;
  /** Told of outcomes this process records and retries it schedules (metrics). */
  readonly observer?: { onOutcome(o: CopyOutcome): void; onRetry(errorName: string): void };
  readonly limits: RetryLimits;
  /** Lock held on an active copy, renewed while it runs; a killed worker's copy resumes after it lapses. */
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
}

export interface CopyWorkers {
  readonly regions: () => readonly string[];
  /** Each Region's worker as the stall watch of /healthz sees it. */
  readonly watched: () => readonly WatchedWorker[];
  /** Starts workers for Regions a new config added, and applies a new `maxInFlightPerRegion`. */
  apply(config: Config): Promise<void>;
  /** Stops taking work, hands active copies back to their queues (checkpoint kept), closes connections. */
  close(): Promise<void>;
}

/** The copy logic's ports, built once per process: the adapters, with outcomes and retries told to the observer. */
function copyJobPorts(opts: CopyWorkerOptions, log: Logger): CopyJobPorts {
  return {
    fsx: opts.fsx,
    outcomes: {
      copiedAs: (k) => opts.outcomes.copiedAs(k),
      record: async (o, k, c) => {
        const written = await opts.outcomes.record(o, k, c);
        if (written) opts.observer?.onOutcome(o);
        return written;
      },
    },
    ...(opts.observer ? { onRetry: (name: string) => opts.observer?.onRetry(name) } : {}),
    errorFacts: toFsxErrorFacts,
    logger: log,
    limits: opts.limits,
    now: () => Date.now(),
    random: Math.random,
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  };
}

/** BullMQ applies a manual rate limit (our "Region is full" pause) only when a limiter is configured. */
const LIMITER = { max: 1_000_000, duration: 1_000 } as const;

/** One Region's BullMQ worker: the copy processor, and the safety net for jobs BullMQ fails on its own. */
function startRegionWorker(
  region: string,
  opts: CopyWorkerOptions,
  ctx: { ports: CopyJobPorts; log: Logger; concurrency: number; shuttingDown: () => boolean },
): Worker {
  const { log } = ctx;
  const worker: Worker = new Worker(
    copyQueueName(region),
    createCopyProcessor({
      ports: ctx.ports,
      shuttingDown: ctx.shuttingDown,
      rateLimit: (ms) => worker.rateLimit(ms),
      now: () => Date.now(),
    }),
    {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: ctx.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      // A resumed copy attaches to its checkpoint, so being picked up again after a crash is harmless.
      maxStalledCount: 1_000,
      limiter: LIMITER,
      maximumRateLimitDelay: 60_000,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    void recordUnexpectedFailure(job, err, opts.outcomes, log, () => Date.now()).catch((e: unknown) =>
      logEvent(
        log,
        'outcome.record_failed',
        { jobId: job.id, ...errorFields(e) },
        'could not record an outcome',
      ),
    );
  });
  worker.on('error', (err) =>
    logEvent(log, 'worker.error', { destinationRegion: region, ...errorFields(err) }, 'worker error'),
  );
  return worker;
}

/**
 * Starts one BullMQ worker per destination Region. Each Region's queue has a global concurrency of
 * `maxInFlightPerRegion`, and a copy job stays active from CopyBackup until the copy is terminal, so "at most five in
 * flight" holds across any number of worker processes.
 */
export async function startCopyWorkers(opts: CopyWorkerOptions): Promise<CopyWorkers> {
  const log = opts.logger.child({ component: 'copy-worker' });
  let maxInFlight = opts.config.settings.maxInFlightPerRegion;
  const workers = new Map<string, Worker>();
  /** When each Region's worker last took a job (for the stall watch). */
  const lastTaken = new Map<string, number>();
  // Set at shutdown. A blocking fetch already in flight can still hand this worker a job after close() began
  // (even the one just handed back); such a job goes straight back to its queue, untouched.
  let shuttingDown = false;
  const ports = copyJobPorts(opts, log);
  const startRegion = async (region: string): Promise<void> => {
    await opts.queues.queue(region).setGlobalConcurrency(maxInFlight);
    const ctx = { ports, log, concurrency: maxInFlight, shuttingDown: () => shuttingDown };
    const worker = startRegionWorker(region, opts, ctx);
    worker.on('active', () => lastTaken.set(region, Date.now()));
    workers.set(region, worker);
  };

  // Regions no longer in the config keep a worker while their queue exists: their copies still finish.
  const regions = new Set([
    ...destinationRegions(opts.config),
    ...(await discoverCopyRegions(opts.connection, opts.prefix)),
  ]);
  for (const region of [...regions].sort()) await startRegion(region);
  logEvent(
    log,
    'worker.started',
    { regions: [...workers.keys()], maxInFlightPerRegion: maxInFlight },
    'copy workers started',
  );

  return {
    regions: () => [...workers.keys()],
    watched: () =>
      [...workers.keys()].map((region) => ({
        queue: copyQueueName(region),
        load: () =>
          readQueueLoad(opts.queues.queue(region), { concurrency: maxInFlight, limiterMax: LIMITER.max }),
        lastTakenAt: () => lastTaken.get(region),
      })),
    apply: async (next) => {
      // Regions a reload removed keep their worker: copies already queued there still finish.
      const changed = next.settings.maxInFlightPerRegion !== maxInFlight;
      maxInFlight = next.settings.maxInFlightPerRegion;
      if (changed) {
        for (const [region, w] of workers) {
          await opts.queues.queue(region).setGlobalConcurrency(maxInFlight);
          w.concurrency = maxInFlight;
        }
      }
      const added = destinationRegions(next).filter((r) => !workers.has(r));
      for (const region of added) await startRegion(region);
      if (added.length > 0 || changed) {
        logEvent(log, 'worker.updated', { added, maxInFlightPerRegion: maxInFlight }, 'copy workers updated');
      }
    },
    close: async () => {
      shuttingDown = true;
      const closing = [...workers.values()].map((w) => w.close());
      for (const w of workers.values()) w.cancelAllJobs('shutdown');
      await Promise.all(closing);
    },
  };
}

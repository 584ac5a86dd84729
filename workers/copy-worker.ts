import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { destinationRegions } from '../src/config/destination-regions.js';
import { discoverCopyRegions } from '../src/queue/discover-regions.js';
import type { Config } from '../src/config/types.js';
import { parseCopyJobData, type CopyJobData } from '../src/copy/copy-job.js';
import { copyKeyId } from '../src/copy/copy-key.js';
import { buildOutcome, type CopyOutcome } from '../src/copy/outcome.js';
import type { RetryLimits } from '../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../src/fsx/error-facts.js';
import { copyQueueName } from '../src/queue/queue-names.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import { processCopyJob, type CopyJobPorts } from '../src/service/process-copy-job.js';
import { errorFields } from '../src/log.js';
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

/** BullMQ applies a manual rate limit (the "Region is full" pause) only when a limiter is configured. */
const LIMITER = { max: 1_000_000, duration: 1_000 } as const;

/**
 * Starts one BullMQ worker per destination Region. Each Region's queue has a global concurrency of
 * `maxInFlightPerRegion`, and a copy job stays active from CopyBackup until the copy is terminal, so "at most five in
 * flight" holds across any number of worker processes.
 */
export async function startCopyWorkers(opts: CopyWorkerOptions): Promise<CopyWorkers> {
  const { config, logger } = opts;
  const log = logger.child({ component: 'copy-worker' });
  let maxInFlight = config.settings.maxInFlightPerRegion;
  const workers = new Map<string, Worker>();
  /** When each Region's worker last took a job (for the stall watch). */
  const lastTaken = new Map<string, number>();
  // Set at shutdown. A blocking fetch already in flight can still hand this worker a job after close() began
  // (even the one just handed back); such a job goes straight back to its queue, untouched.
  let shuttingDown = false;

  const ports: CopyJobPorts = {
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

  const startRegion = async (region: string): Promise<void> => {
    await opts.queues.queue(region).setGlobalConcurrency(maxInFlight);
    const worker: Worker = new Worker(
      copyQueueName(region),
      async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
        if (shuttingDown) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        const data = parseCopyJobData(job.data);
        if ('error' in data) throw new UnrecoverableError(`unreadable copy job: ${data.error}`);
        const step = await processCopyJob(
          {
            jobId: job.id ?? '',
            data,
            attempt: job.attemptsStarted,
            signal: signal ?? new AbortController().signal,
            saveData: (d: CopyJobData) => job.updateData(d),
          },
          ports,
        );
        switch (step.kind) {
          case 'completed':
            return { status: step.outcome?.status ?? 'already-copied' };
          case 'failed':
            throw new UnrecoverableError(
              `${step.outcome.errorName ?? 'Error'}: ${step.outcome.errorMessage ?? step.outcome.status}`,
            );
          case 'retry-later':
            await job.moveToDelayed(Date.now() + step.delayMs, token);
            throw new DelayedError();
          case 'pause-region':
            await worker.rateLimit(step.delayMs);
            throw Worker.RateLimitError();
          case 'hand-back':
            await job.moveToWait(token);
            log.info(
              { event: 'copy.handed_back', jobId: job.id, destinationRegion: region },
              'copy handed back',
            );
            throw new WaitingError();
        }
      },
      {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: maxInFlight,
        lockDuration: opts.lockDurationMs,
        stalledInterval: opts.stalledIntervalMs,
        // A resumed copy attaches to its checkpoint, so being picked up again after a crash is harmless.
        maxStalledCount: 1_000,
        limiter: LIMITER,
        maximumRateLimitDelay: 60_000,
      },
    );
    worker.on('active', () => lastTaken.set(region, Date.now()));
    worker.on('failed', (job, err) => {
      if (!job) return;
      void recordUnexpectedFailure(job, err, opts, log).catch((e: unknown) =>
        log.error(
          { event: 'outcome.record_failed', jobId: job.id, ...errorFields(e) },
          'could not record an outcome',
        ),
      );
    });
    worker.on('error', (err) =>
      log.error({ event: 'worker.error', destinationRegion: region, ...errorFields(err) }, 'worker error'),
    );
    workers.set(region, worker);
  };

  // Regions no longer in the config keep a worker while their queue exists: their copies still finish.
  const regions = new Set([
    ...destinationRegions(config),
    ...(await discoverCopyRegions(opts.connection, opts.prefix)),
  ]);
  for (const region of [...regions].sort()) await startRegion(region);
  log.info(
    { event: 'worker.started', regions: [...workers.keys()], maxInFlightPerRegion: maxInFlight },
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
        log.info(
          { event: 'worker.updated', added, maxInFlightPerRegion: maxInFlight },
          'copy workers updated',
        );
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

/**
 * The safety net: a job that BullMQ failed for a reason outside the copy logic (stalled too often, its data
 * unreadable, an unexpected fault on its last attempt) still gets exactly one outcome.
 */
async function recordUnexpectedFailure(
  job: Job,
  err: Error,
  opts: CopyWorkerOptions,
  log: Logger,
): Promise<void> {
  const final =
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1);
  if (!final || !job.id || (await opts.outcomes.hasOutcome(job.id))) return;
  const data = parseCopyJobData(job.data);
  if ('error' in data) {
    log.error(
      { event: 'copy.failed', jobId: job.id, errorName: 'InvalidJobData', errorMessage: data.error },
      'copy failed',
    );
    return;
  }
  const outcome = buildOutcome({
    status: 'failed',
    jobId: job.id,
    data,
    attempts: job.attemptsStarted,
    now: Date.now(),
    error: { name: err.name || 'Error', message: err.message },
  });
  if (await opts.outcomes.record(outcome, copyKeyId(data), data.sourceCreatedAt)) {
    log.error(
      {
        event: 'copy.failed',
        policy: data.policy,
        sourceBackupId: data.sourceBackupId,
        sourceRegion: data.sourceRegion,
        destinationRegion: data.destinationRegion,
        destinationBackupId: outcome.destinationBackupId,
        jobId: job.id,
        attempt: job.attemptsStarted,
        errorName: outcome.errorName,
        errorMessage: outcome.errorMessage,
      },
      'copy failed',
    );
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config/types.js';
import { accountRegionKey, copyScopesOf, type AccountRegion } from '../src/copy/account-region.js';
import type { CopyOutcome } from '../src/copy/outcome.js';
import type { RetryLimits } from '../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../src/fsx/error-facts.js';
import { discoverCopyScopes } from '../src/queue/discover-regions.js';
import type { AccountGateways } from '../src/fsx/account-gateways.js';
import { RegionPoller } from '../src/fsx/region-poller.js';
import { SharedCopyLookup } from '../src/fsx/shared-copy-lookup.js';
import type { PollMode } from '../src/config/environment.js';
import { RegionProbes } from '../src/service/region-probe.js';
import { copyQueueName } from '../src/queue/queue-names.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import type { CopyJobPorts } from '../src/service/process-copy-job.js';
import { errorFields, logEvent } from '../src/log.js';
import { createCopyProcessor, recordUnexpectedFailure } from './copy-processor.js';
import type { ServiceParts } from './service-parts.js';

export interface CopyWorkerOptions extends Omit<ServiceParts, 'fsx'> {
  /** Each account's FSx gateway: a copy is made with its account's credentials. */
  readonly gateways: AccountGateways;
  readonly config: Config;
  /** Told of outcomes this process records and retries it schedules (metrics). */
  readonly observer?: { onOutcome(o: CopyOutcome): void; onRetry(errorName: string): void };
  readonly limits: RetryLimits;
  /** Lock held on an active copy, renewed while it runs; a killed worker's copy resumes after it lapses. */
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** `FSXDR_POLL`: `batched` (default) or `per-copy`. */
  readonly pollMode?: PollMode;
}

export interface CopyWorkers {
  /** The (account, destination Region) scopes this process has a worker for. */
  readonly scopes: () => readonly AccountRegion[];
  /** Each Region's worker as the stall watch of /healthz sees it. */
  readonly watched: () => readonly WatchedWorker[];
  /** Starts workers for Regions a new config added, and applies a new `maxInFlightPerRegion`. */
  apply(config: Config): Promise<void>;
  /** Stops taking work, hands active copies back to their queues (checkpoint kept), closes connections. */
  close(): Promise<void>;
}

/** How long a finished listing of a Region may still answer look-ups (see `SharedCopyLookup`). */
const LISTING_REUSE_MS = 1_000;

/**
 * The copy logic's ports of one account: its FSx gateway, and the adapters with outcomes and retries told to the
 * observer. The gateway is looked up at each call, so a reload that gives the account a new role takes effect at once.
 * With batched polling (the default) the account's jobs share one poller per Region and the look-up's listing;
 * `close` stops the pollers' timers.
 */
function copyJobPorts(
  opts: CopyWorkerOptions,
  account: string,
  log: Logger,
): CopyJobPorts & { close(): void } {
  const fsx = () => opts.gateways.gateway(account);
  const batched = (opts.pollMode ?? 'batched') === 'batched';
  const pollers = new Map<string, RegionPoller>();
  const pollerOf = (region: string): RegionPoller => {
    let p = pollers.get(region);
    if (!p) {
      p = new RegionPoller({
        describe: async (ids) => fsx().describeBackupStates(region, ids),
        now: Date.now,
      });
      pollers.set(region, p);
    }
    return p;
  };
  const lookup = new SharedCopyLookup({
    listCopies: async (region) => fsx().listCopies(region),
    now: Date.now,
    reuseWindowMs: LISTING_REUSE_MS,
  });
  return {
    fsx: {
      findCopiesOf: async (region, source) =>
        batched ? lookup.findCopiesOf(region, source) : fsx().findCopiesOf(region, source),
      describeBackup: async (region, backupId) => fsx().describeBackup(region, backupId),
      copyBackup: async (req) => lookup.copyBackup(req.destinationRegion, async () => fsx().copyBackup(req)),
    },
    ...(batched ? { poller: { poll: (req, signal) => pollerOf(req.region).poll(req, signal) } } : {}),
    regionProbes: new RegionProbes(),
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
    close: () => {
      for (const p of pollers.values()) p.close();
    },
  };
}

/** BullMQ applies a manual rate limit (our "Region is full" pause) only when a limiter is configured. */
const LIMITER = { max: 1_000_000, duration: 1_000 } as const;

/** One (account, Region)'s BullMQ worker: the copy processor, and the safety net for jobs BullMQ fails on its own. */
function startScopeWorker(
  { account, region }: AccountRegion,
  opts: CopyWorkerOptions,
  ctx: { ports: CopyJobPorts; log: Logger; concurrency: number; shuttingDown: () => boolean },
): Worker {
  const { log } = ctx;
  const worker: Worker = new Worker(
    copyQueueName(region, account),
    createCopyProcessor({
      account,
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
      // A worker that finds its queue empty blocks for a marker this long (seconds). Copies paused by a full Region
      // go back to the queue while it is rate limited, which sends no marker: the default 5 s would then be added to
      // every Region-full probe. One second bounds that at a cheap blocking read per second while idle.
      drainDelay: 1,
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
    logEvent(
      log,
      'worker.error',
      { account, destinationRegion: region, ...errorFields(err) },
      'worker error',
    ),
  );
  return worker;
}

/**
 * Starts one BullMQ worker per (account, destination Region). Each scope's queue has a global concurrency of
 * `maxInFlightPerRegion`, and a copy job stays active from CopyBackup until the copy is terminal, so "at most five in
 * flight" holds per account and Region across any number of worker processes, and one account's copies never take
 * another's slots.
 */
export async function startCopyWorkers(opts: CopyWorkerOptions): Promise<CopyWorkers> {
  const log = opts.logger.child({ component: 'copy-worker' });
  let maxInFlight = opts.config.settings.maxInFlightPerRegion;
  /** Per scope key: its scope and worker. */
  const workers = new Map<string, { readonly scope: AccountRegion; readonly worker: Worker }>();
  /** When each scope's worker last took a job (for the stall watch). */
  const lastTaken = new Map<string, number>();
  // Set at shutdown. A blocking fetch already in flight can still hand this worker a job after close() began
  // (even the one just handed back); such a job goes straight back to its queue, untouched.
  let shuttingDown = false;
  const ports = new Map<string, CopyJobPorts & { close(): void }>();
  const portsOf = (account: string): CopyJobPorts => {
    let p = ports.get(account);
    if (!p) {
      p = copyJobPorts(opts, account, log);
      ports.set(account, p);
    }
    return p;
  };
  const queueOf = (scope: AccountRegion) => opts.queues.queue(scope.region, scope.account);
  const startScope = async (scope: AccountRegion): Promise<void> => {
    const key = accountRegionKey(scope.account, scope.region);
    await queueOf(scope).setGlobalConcurrency(maxInFlight);
    const ctx = {
      ports: portsOf(scope.account),
      log,
      concurrency: maxInFlight,
      shuttingDown: () => shuttingDown,
    };
    const worker = startScopeWorker(scope, opts, ctx);
    worker.on('active', () => lastTaken.set(key, Date.now()));
    workers.set(key, { scope, worker });
  };
  const missing = (scopes: readonly AccountRegion[]) =>
    scopes.filter((s) => !workers.has(accountRegionKey(s.account, s.region)));

  // Scopes no longer in the config keep a worker while their queue exists: their copies still finish.
  const scopes = [...copyScopesOf(opts.config), ...(await discoverCopyScopes(opts.connection, opts.prefix))];
  for (const scope of scopes) {
    if (!workers.has(accountRegionKey(scope.account, scope.region))) await startScope(scope);
  }
  logEvent(
    log,
    'worker.started',
    { regions: [...workers.keys()], maxInFlightPerRegion: maxInFlight },
    'copy workers started',
  );

  return {
    scopes: () => [...workers.values()].map((w) => w.scope),
    watched: () =>
      [...workers.entries()].map(([key, { scope, worker }]) => ({
        queue: worker.name,
        load: () => readQueueLoad(queueOf(scope), { concurrency: maxInFlight, limiterMax: LIMITER.max }),
        lastTakenAt: () => lastTaken.get(key),
      })),
    apply: async (next) => {
      // Scopes a reload removed keep their worker: copies already queued there still finish.
      const changed = next.settings.maxInFlightPerRegion !== maxInFlight;
      maxInFlight = next.settings.maxInFlightPerRegion;
      if (changed) {
        for (const { scope, worker } of workers.values()) {
          await queueOf(scope).setGlobalConcurrency(maxInFlight);
          worker.concurrency = maxInFlight;
        }
      }
      const added = missing(copyScopesOf(next));
      for (const scope of added) await startScope(scope);
      if (added.length > 0 || changed) {
        logEvent(
          log,
          'worker.updated',
          {
            added: added.map((s) => accountRegionKey(s.account, s.region)),
            maxInFlightPerRegion: maxInFlight,
          },
          'copy workers updated',
        );
      }
    },
    close: async () => {
      shuttingDown = true;
      const all = [...workers.values()].map((w) => w.worker);
      const closing = all.map((w) => w.close());
      for (const w of all) w.cancelAllJobs('shutdown');
      await Promise.all(closing);
      for (const p of ports.values()) p.close();
    },
  };
}

import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { isConfigError } from '../src/config/config-error.js';
import type { Environment } from '../src/config/environment.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/types.js';
import { FsxGateway } from '../src/fsx/fsx-gateway.js';
import { createLogger, errorFields } from '../src/log.js';
import { listeningPort, startHttpServer } from '../src/ops/http-server.js';
import { rpoFirstSeen, startRpoWatch, type RpoWatch } from '../src/ops/rpo-watch.js';
import { ServiceMetrics } from '../src/ops/service-metrics.js';
import { CopyQueues } from '../src/queue/copy-queues.js';
import { OutcomeStore } from '../src/queue/outcome-store.js';
import { describeRedisTarget } from '../src/config/redis-target.js';
import { WorkerStallWatch } from '../src/ops/worker-stall-watch.js';
import { openRedis } from '../src/queue/redis-connection.js';
import { RedisFailoverWatch } from '../src/queue/redis-failover-watch.js';
import { startCopyWorkers, type CopyWorkers } from './copy-worker.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import type { ServiceParts } from './service-parts.js';

/** Exit within this long of SIGTERM/SIGINT, whatever is still running (containers get 10 s by default). */
const SHUTDOWN_LIMIT_MS = 9_000;

/**
 * How long a queue may have work waiting and a slot free while this process's worker takes nothing, before
 * /healthz fails. Far above what a healthy worker needs (milliseconds; BullMQ's longest blocking read is 10 s, and
 * a failover is over in seconds), far below what a stuck worker would cost (every copy of its Region).
 */
const WORKER_STALL_LIMIT_MS = 60_000;

function policySummary(config: Config): Map<string, string> {
  return new Map(
    config.policies.map((p) => [
      p.name,
      JSON.stringify(p, (k, v: unknown) => (k === 'file' ? undefined : v)),
    ]),
  );
}

/** What changed between two configs, for the reload log line. */
function describeReload(before: Config, after: Config) {
  const a = policySummary(before);
  const b = policySummary(after);
  return {
    added: [...b.keys()].filter((n) => !a.has(n)),
    removed: [...a.keys()].filter((n) => !b.has(n)),
    changed: [...b.keys()].filter((n) => a.has(n) && a.get(n) !== b.get(n)),
    settingsChanged: JSON.stringify(before.settings) !== JSON.stringify(after.settings),
  };
}

/**
 * `fsx-dr run`: the scheduler, the copy workers, or both, on one Redis, until SIGTERM or SIGINT; SIGHUP reloads the
 * config (a bad new config is refused, with the same errors `validate` prints, and the old one keeps running). The
 * config was loaded and validated before this is called: a bad config never reaches Redis or FSx.
 */
export async function runService(
  configPath: string,
  initial: Config,
  env: Environment,
  logger?: Logger,
): Promise<number> {
  const log = logger ?? createLogger({ level: env.logLevel, format: env.logFormat });
  // Listen for SIGTERM/SIGINT before anything starts: a signal during start-up still stops the process cleanly, and
  // the 9-second limit runs from the signal whatever start-up is waiting for (Redis, say).
  let requestStop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => (requestStop = resolve));
  const onSignal = (signal: NodeJS.Signals): void => requestStop(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const hardStop = stopSignal.then(async (signal) => {
    log.info({ event: 'service.stopping', signal }, 'stopping: handing active copies back to their queues');
    await new Promise((r) => setTimeout(r, SHUTDOWN_LIMIT_MS).unref());
    log.error(
      { event: 'service.stop_timeout', limitMs: SHUTDOWN_LIMIT_MS },
      'shutdown took too long; exiting',
    );
    return 1;
  });
  return Promise.race([hardStop, serve(configPath, initial, env, log, stopSignal)]);
}

async function serve(
  configPath: string,
  initial: Config,
  env: Environment,
  log: Logger,
  stopSignal: Promise<NodeJS.Signals>,
): Promise<number> {
  let config = initial;
  const getConfig = (): Config => config;
  log.info(
    {
      event: 'service.starting',
      role: env.role,
      redis: describeRedisTarget(env.redis),
      topology: env.redis.topology,
      prefix: env.prefix,
      files: config.files,
      policies: config.policies.map((p) => p.name),
    },
    'starting',
  );
  const failover = new RedisFailoverWatch({ logger: log, topology: env.redis.topology });
  const connection = openRedis(env.redis, {
    logger: log,
    name: 'main',
    watch: failover,
    slotKey: `${env.prefix}:outcomes`,
  });
  const queues = new CopyQueues(connection, env.prefix, (err) =>
    log.error({ event: 'queue.error', ...errorFields(err) }, 'queue error'),
  );
  const outcomes = new OutcomeStore(connection, env.prefix, {
    maxCount: config.settings.outcomeRetentionCount,
    maxAgeMs: config.settings.outcomeRetentionMs,
  });
  const fsx = new FsxGateway({ requestTimeoutMs: env.fsxRequestTimeoutMs });
  const metrics = new ServiceMetrics({
    getConfig,
    queueCounts: async (region) => {
      const c = await queues
        .queue(region)
        .getJobCounts('active', 'waiting', 'delayed', 'failed', 'prioritized');
      return {
        active: c['active'] ?? 0,
        waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
        delayed: c['delayed'] ?? 0,
        failed: c['failed'] ?? 0,
      };
    },
    latestCopies: () => outcomes.latestCopies(),
    rpoFirstSeen: () => rpoFirstSeen(connection, env.prefix),
    now: () => Date.now(),
  });

  let workers: CopyWorkers | undefined;
  let scheduler: Scheduler | undefined;
  const stallWatch = new WorkerStallWatch({
    workers: () => [...(workers?.watched() ?? []), ...(scheduler?.watched() ?? [])],
    stallAfterMs: WORKER_STALL_LIMIT_MS,
    logger: log,
  });

  let http: Server | undefined;
  if (env.httpPort !== undefined) {
    try {
      http = await startHttpServer(env.httpPort, env.httpHost, {
        pingRedis: async () => void (await connection.ping()),
        configFiles: () => config.files,
        registry: metrics.registry,
        workerHealth: () => stallWatch.health(),
        redisFailover: () => failover.state(),
      });
    } catch (err) {
      log.fatal(
        {
          event: 'http.listen_failed',
          port: env.httpPort,
          host: env.httpHost,
          errorMessage: (err as Error).message,
        },
        'cannot listen for health and metrics: set FSXDR_HTTP_PORT to a free port, or off',
      );
      connection.disconnect();
      return 1;
    }
    log.info(
      { event: 'http.listening', port: listeningPort(http), host: env.httpHost },
      'health and metrics listening',
    );
  }

  let rpoWatch: RpoWatch | undefined;
  const parts: ServiceParts = { connection, prefix: env.prefix, queues, outcomes, fsx, logger: log };
  if (env.role === 'all' || env.role === 'worker') {
    workers = await startCopyWorkers({
      ...parts,
      config,
      observer: metrics,
      limits: env.retry,
      lockDurationMs: env.lockDurationMs,
      stalledIntervalMs: env.stalledIntervalMs,
    });
  }
  if (env.role === 'all' || env.role === 'scheduler') {
    scheduler = startScheduler({ ...parts, getConfig });
    rpoWatch = startRpoWatch({
      redis: connection,
      prefix: env.prefix,
      outcomes,
      getConfig,
      logger: log,
      intervalMs: env.rpoCheckIntervalMs,
    });
  }

  stallWatch.start();

  let reloading: Promise<void> = Promise.resolve();
  const reload = (): void => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadConfig(configPath);
        const change = describeReload(config, next);
        config = next;
        await workers?.apply(next);
        scheduler?.wake();
        log.info({ event: 'config.reloaded', files: next.files, ...change }, 'config reloaded');
        await rpoWatch?.check();
      } catch (err) {
        const issues = isConfigError(err) ? err.issues : [{ message: (err as Error).message }];
        log.error(
          { event: 'config.reload_rejected', issues, keptFiles: config.files },
          'new config rejected; the last good config keeps running',
        );
      }
    });
  };
  process.on('SIGHUP', reload);

  await stopSignal;
  process.off('SIGHUP', reload);
  const started = Date.now();
  await Promise.allSettled([workers?.close(), scheduler?.close(), rpoWatch?.close(), stallWatch.stop()]);
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  await queues.close().catch(() => undefined);
  fsx.destroy();
  await connection.quit().catch(() => connection.disconnect());
  log.info({ event: 'service.stopped', tookMs: Date.now() - started }, 'stopped');
  return 0;
}

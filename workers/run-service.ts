import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { isConfigError } from '../src/config/config-error.js';
import type { Environment } from '../src/config/environment.js';
import { movedAccounts } from '../src/config/check-accounts.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/types.js';
import { AccountGateways } from '../src/fsx/account-gateways.js';
import { createLogger, errorFields, logEvent } from '../src/log.js';
import { listeningPort, startHttpServer } from '../src/ops/http-server.js';
import { ServiceMetrics } from '../src/ops/service-metrics.js';
import { CopyQueues } from '../src/queue/copy-queues.js';
import { OutcomeStore, type OutcomeRetention } from '../src/queue/outcome-store.js';
import { describeRedisTarget } from '../src/config/redis-target.js';
import { WorkerStallWatch } from '../src/ops/worker-stall-watch.js';
import { openRedis } from '../src/queue/redis-connection.js';
import { serviceKeys } from '../src/queue/queue-names.js';
import { RedisFailoverWatch } from '../src/queue/redis-failover-watch.js';
import { RpoStore } from '../src/queue/rpo-store.js';
import { ScheduleStore } from '../src/queue/schedule-store.js';
import { EstateStore } from '../src/queue/estate-store.js';
import { startCopyWorkers, type CopyWorkers } from './copy-worker.js';
import {
  buildRetentionAdapters,
  copyObserver,
  startRetentionRoles,
  type RetentionAdapters,
  type RetentionRoles,
} from './retention-role.js';
import { startRpoWatch, type RpoWatch } from './rpo-watch.js';
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
    logEvent(log, 'service.stopping', { signal }, 'stopping: handing active copies back to their queues');
    await new Promise((r) => setTimeout(r, SHUTDOWN_LIMIT_MS).unref());
    logEvent(log, 'service.stop_timeout', { limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long; exiting');
    return 1;
  });
  return Promise.race([hardStop, serve(configPath, initial, env, log, stopSignal)]);
}

/** The retention the outcome store applies, read from the config in force at each record. */
function outcomeRetention(config: Config): OutcomeRetention {
  return { maxCount: config.settings.outcomeRetentionCount, maxAgeMs: config.settings.outcomeRetentionMs };
}

/** The adapters of one process, built once and shared by its roles. */
interface Adapters extends ServiceParts {
  readonly rpo: RpoStore;
  readonly metrics: ServiceMetrics;
  readonly retention: RetentionAdapters;
  /** Notices Redis failovers on every connection of the process, for the log and /readyz. */
  readonly failover: RedisFailoverWatch;
}

function buildAdapters(env: Environment, getConfig: () => Config, log: Logger): Adapters {
  const failover = new RedisFailoverWatch({ logger: log, topology: env.redis.topology });
  const connection = openRedis(env.redis, {
    logger: log,
    name: 'main',
    watch: failover,
    slotKey: serviceKeys(env.prefix).outcomes,
  });
  const queues = new CopyQueues(
    connection,
    env.prefix,
    (err) => logEvent(log, 'queue.error', { ...errorFields(err) }, 'queue error'),
    env.admission,
  );
  // A getter, not the value: a SIGHUP that changes `settings.outcomeRetention` applies to the next record.
  const outcomes = new OutcomeStore(connection, env.prefix, () => outcomeRetention(getConfig()));
  const rpo = new RpoStore(connection, env.prefix);
  const schedule = new ScheduleStore(connection, env.prefix);
  const estate = new EstateStore(connection, env.prefix);
  const metrics = new ServiceMetrics({
    getConfig,
    queueCounts: (scope) => queues.counts(scope.region, scope.account),
    latestCopies: () => outcomes.latestCopies(),
    selections: () => estate.selections(),
    accountReach: () => estate.accountReach(),
    rpoFirstSeen: () => rpo.firstSeen(),
    lastSlots: () => schedule.lastSlots(),
    now: () => Date.now(),
  });
  const gateways = new AccountGateways({ requestTimeoutMs: env.fsxRequestTimeoutMs }, getConfig().accounts);
  const retention = buildRetentionAdapters({
    connection,
    prefix: env.prefix,
    queues,
    metrics,
    logger: log,
    getConfig,
  });
  return {
    connection,
    prefix: env.prefix,
    deployment: env.deployment,
    queues,
    outcomes,
    estate,
    gateways,
    logger: log,
    rpo,
    metrics,
    retention,
    failover,
  };
}

/** The health and metrics port, when one is asked for; undefined and an error logged when it cannot listen. */
async function startHttp(
  env: Environment,
  parts: Adapters,
  getConfig: () => Config,
  stallWatch: WorkerStallWatch,
): Promise<{ server?: Server; failed: boolean }> {
  const log = parts.logger;
  if (env.httpPort === undefined) return { failed: false };
  let server: Server;
  try {
    server = await startHttpServer(env.httpPort, env.httpHost, {
      pingRedis: async () => void (await parts.connection.ping()),
      configFiles: () => getConfig().files,
      registry: parts.metrics.registry,
      workerHealth: () => stallWatch.health(),
      redisFailover: () => parts.failover.state(),
    });
  } catch (err) {
    logEvent(
      log,
      'http.listen_failed',
      { port: env.httpPort, host: env.httpHost, ...errorFields(err) },
      'cannot listen for health and metrics: set FSXDR_HTTP_PORT to a free port, or off',
    );
    return { failed: true };
  }
  logEvent(
    log,
    'http.listening',
    { port: listeningPort(server), host: env.httpHost },
    'health and metrics listening',
  );
  return { server, failed: false };
}

/** The long-running roles this process has (`FSXDR_ROLE`). */
interface Roles {
  readonly workers?: CopyWorkers;
  readonly scheduler?: Scheduler;
  readonly rpoWatch?: RpoWatch;
  readonly retention: RetentionRoles;
}

async function startRoles(env: Environment, parts: Adapters, getConfig: () => Config): Promise<Roles> {
  const workers =
    env.role === 'all' || env.role === 'worker'
      ? await startCopyWorkers({
          ...parts,
          config: getConfig(),
          observer: copyObserver(parts.metrics, parts.retention, getConfig, parts.logger),
          limits: env.retry,
          pollMode: env.pollMode,
          lockDurationMs: env.lockDurationMs,
          stalledIntervalMs: env.stalledIntervalMs,
        })
      : undefined;
  const retention = startRetentionRoles(env, parts, parts.retention, getConfig);
  if (env.role !== 'all' && env.role !== 'scheduler') return { ...(workers ? { workers } : {}), retention };
  return {
    ...(workers ? { workers } : {}),
    retention,
    scheduler: startScheduler({ ...parts, getConfig }),
    rpoWatch: startRpoWatch({
      rpo: parts.rpo,
      outcomes: parts.outcomes,
      estate: parts.estate,
      getConfig,
      logger: parts.logger,
      intervalMs: env.rpoCheckIntervalMs,
    }),
  };
}

/**
 * Reloads the config on SIGHUP, one reload at a time: a valid one is applied to every role, an invalid one is
 * refused with its errors. Returns the function that stops listening.
 */
function installReload(
  configPath: string,
  config: { get(): Config; set(c: Config): void },
  roles: Roles,
  log: Logger,
): () => void {
  let reloading: Promise<void> = Promise.resolve();
  const reload = (): void => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadConfig(configPath);
        const moved = movedAccounts(config.get(), next);
        if (moved.length > 0) {
          throw new Error(
            `accounts ${moved.join(', ')} would move to another AWS account: their queued copies were started in the old one; name the new account differently`,
          );
        }
        const change = describeReload(config.get(), next);
        config.set(next);
        await roles.workers?.apply(next);
        roles.retention.workers?.apply(next);
        roles.scheduler?.wake();
        roles.retention.trigger?.wake();
        logEvent(log, 'config.reloaded', { files: next.files, ...change }, 'config reloaded');
        await roles.rpoWatch?.check();
      } catch (err) {
        const issues = isConfigError(err) ? err.issues : [{ message: (err as Error).message }];
        logEvent(
          log,
          'config.reload_rejected',
          { issues, keptFiles: config.get().files },
          'new config rejected; the last good config keeps running',
        );
      }
    });
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}

/** Stops the roles (copies handed back), then the port and the connections; close errors are logged, not lost. */
async function shutdown(roles: Roles, parts: Adapters, server: Server | undefined): Promise<void> {
  const log = parts.logger;
  const closeFailed = (err: unknown) => logEvent(log, 'queue.error', errorFields(err), 'queues not closed');
  await Promise.allSettled([
    roles.workers?.close(),
    roles.scheduler?.close(),
    roles.rpoWatch?.close(),
    roles.retention.workers?.close(),
    roles.retention.trigger?.close(),
  ]);
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await parts.queues.close().catch(closeFailed);
  await parts.retention.retention.close().catch(closeFailed);
  parts.gateways.destroy();
  await parts.connection.quit().catch(() => parts.connection.disconnect());
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
  logEvent(
    log,
    'service.starting',
    {
      role: env.role,
      redis: describeRedisTarget(env.redis),
      topology: env.redis.topology,
      prefix: env.prefix,
      files: config.files,
      policies: config.policies.map((p) => p.name),
    },
    'starting',
  );
  const parts = buildAdapters(env, getConfig, log);
  let roles: Roles | undefined = undefined;
  const stallWatch = new WorkerStallWatch({
    workers: () => [
      ...(roles?.workers?.watched() ?? []),
      ...(roles?.scheduler?.watched() ?? []),
      ...(roles?.retention.workers?.watched() ?? []),
    ],
    stallAfterMs: WORKER_STALL_LIMIT_MS,
    logger: log,
  });
  const http = await startHttp(env, parts, getConfig, stallWatch);
  if (http.failed) {
    parts.connection.disconnect();
    return 1;
  }
  roles = await startRoles(env, parts, getConfig);
  stallWatch.start();
  const setConfig = (next: Config): void => {
    config = next;
    parts.gateways.apply(next.accounts);
  };
  const stopReload = installReload(configPath, { get: getConfig, set: setConfig }, roles, log);

  await stopSignal;
  stopReload();
  const started = Date.now();
  await stallWatch.stop();
  await shutdown(roles, parts, http.server);
  logEvent(log, 'service.stopped', { tookMs: Date.now() - started }, 'stopped');
  return 0;
}

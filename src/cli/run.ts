import type { Config } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import { createLogger } from '../log.js';
import { FsxGateway } from '../fsx/fsx-gateway.js';
import { CopyQueues } from '../queue/copy-queues.js';
import { OutcomeStore } from '../queue/outcome-store.js';
import { connectRedis, redactRedisUrl } from '../queue/redis-connection.js';
import { startCopyWorkers, type CopyWorkers } from '../../workers/copy-worker.js';
import { startScheduler, type Scheduler } from '../../workers/scheduler.js';

/** Exit within this long of SIGTERM/SIGINT, whatever is still running (containers get 10 s by default). */
const SHUTDOWN_LIMIT_MS = 9_000;

/**
 * `fsx-dr run`: the scheduler, the copy workers, or both, on one Redis, until SIGTERM or SIGINT. The config has
 * been loaded and validated before this is called: a bad config never reaches Redis or FSx.
 */
export async function runService(config: Config, env: Environment): Promise<number> {
  const logger = createLogger({ level: env.logLevel });
  logger.info(
    {
      event: 'service.starting',
      role: env.role,
      redis: redactRedisUrl(env.redisUrl),
      prefix: env.prefix,
      files: config.files,
      policies: config.policies.map((p) => p.name),
    },
    'starting',
  );
  const connection = connectRedis(env.redisUrl, logger, 'main');
  const queues = new CopyQueues(connection, env.prefix);
  const outcomes = new OutcomeStore(connection, env.prefix, {
    maxCount: config.settings.outcomeRetentionCount,
    maxAgeMs: config.settings.outcomeRetentionMs,
  });
  const fsx = new FsxGateway({ requestTimeoutMs: env.fsxRequestTimeoutMs });

  let workers: CopyWorkers | undefined;
  let scheduler: Scheduler | undefined;
  if (env.role === 'all' || env.role === 'worker') {
    workers = await startCopyWorkers({
      config,
      connection,
      prefix: env.prefix,
      queues,
      outcomes,
      fsx,
      logger,
      limits: env.retry,
      lockDurationMs: env.lockDurationMs,
      stalledIntervalMs: env.stalledIntervalMs,
    });
  }
  if (env.role === 'all' || env.role === 'scheduler') {
    scheduler = startScheduler({
      getConfig: () => config,
      connection,
      prefix: env.prefix,
      queues,
      outcomes,
      fsx,
      logger,
    });
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      const started = Date.now();
      logger.info(
        { event: 'service.stopping', signal },
        'stopping: handing active copies back to their queues',
      );
      const hardStop = setTimeout(() => {
        logger.error(
          { event: 'service.stop_timeout', limitMs: SHUTDOWN_LIMIT_MS },
          'shutdown took too long; exiting',
        );
        resolve(1);
      }, SHUTDOWN_LIMIT_MS);
      hardStop.unref();
      void (async () => {
        await Promise.allSettled([workers?.close(), scheduler?.close()]);
        await queues.close().catch(() => undefined);
        fsx.destroy();
        await connection.quit().catch(() => connection.disconnect());
        clearTimeout(hardStop);
        logger.info({ event: 'service.stopped', tookMs: Date.now() - started }, 'stopped');
        resolve(0);
      })();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

import { EstateStore } from '../src/queue/estate-store.js';
import type { RedisClient } from '../src/queue/redis-connection.js';
import type { Logger } from 'pino';
import type { Environment } from '../src/config/environment.js';
import type { Config } from '../src/config/types.js';
import type { CopyOutcome } from '../src/copy/outcome.js';
import type { AccountGateways } from '../src/fsx/account-gateways.js';
import { errorFields, logEvent } from '../src/log.js';
import { registerRetentionMetrics, type RetentionMetrics } from '../src/ops/retention-metrics.js';
import type { ServiceMetrics } from '../src/ops/service-metrics.js';
import { CopyJobReferences } from '../src/queue/copy-job-references.js';
import type { CopyQueues } from '../src/queue/copy-queues.js';
import { DeletionStore } from '../src/queue/deletion-store.js';
import { RetentionQueues } from '../src/queue/retention-queues.js';
import { RetentionSnapshotStore } from '../src/queue/retention-snapshot-store.js';
import { startRetentionTrigger, type RetentionTrigger } from './retention-trigger.js';
import {
  startRetentionWorkers,
  sweepAfterCopy,
  type RetentionParts,
  type RetentionWorkers,
} from './retention-worker.js';

/** Retention's adapters, built once per process beside the copy ones. */
export interface RetentionAdapters extends RetentionParts {
  readonly metrics: RetentionMetrics;
}

export function buildRetentionAdapters(parts: {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly queues: CopyQueues;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  readonly getConfig: () => Config;
}): RetentionAdapters {
  const { connection, prefix, getConfig } = parts;
  const snapshots = new RetentionSnapshotStore(connection, prefix);
  return {
    retention: new RetentionQueues(connection, prefix, (err) =>
      logEvent(parts.logger, 'queue.error', errorFields(err), 'retention queue error'),
    ),
    // Kept like outcomes, and as many of them: the config in force decides (a reload applies to the next record).
    deletions: new DeletionStore(connection, prefix, () => {
      const s = getConfig().settings;
      return { maxCount: s.outcomeRetentionCount, maxAgeMs: s.outcomeRetentionMs };
    }),
    snapshots,
    references: new CopyJobReferences((region, account) => parts.queues.queue(region, account)),
    metrics: registerRetentionMetrics(parts.metrics.registry, {
      getConfig,
      heldCopies: () => snapshots.held(),
      regionBackups: () => snapshots.regions(),
      selections: () => new EstateStore(connection, prefix).selections(),
    }),
  };
}

/** The retention roles of a process: workers with the copy workers, the sweep trigger with the scheduler. */
export interface RetentionRoles {
  readonly workers?: RetentionWorkers;
  readonly trigger?: RetentionTrigger;
}

export function startRetentionRoles(
  env: Environment,
  parts: {
    readonly connection: RedisClient;
    readonly gateways: AccountGateways;
    readonly estate: EstateStore;
    readonly logger: Logger;
  },
  retention: RetentionAdapters,
  getConfig: () => Config,
): RetentionRoles {
  const worker = env.role === 'all' || env.role === 'worker';
  const scheduler = env.role === 'all' || env.role === 'scheduler';
  return {
    ...(worker
      ? {
          workers: startRetentionWorkers({
            ...retention,
            connection: parts.connection,
            prefix: env.prefix,
            gateways: parts.gateways,
            estate: parts.estate,
            logger: parts.logger,
            getConfig,
            deployment: env.deployment,
            limits: env.retry,
            lockDurationMs: env.lockDurationMs,
            stalledIntervalMs: env.stalledIntervalMs,
            onRecord: (r) => retention.metrics.onRecord(r),
          }),
        }
      : {}),
    ...(scheduler
      ? {
          trigger: startRetentionTrigger({ getConfig, retention: retention.retention, logger: parts.logger }),
        }
      : {}),
  };
}

/** The copy workers' observer, with a pair sweep asked for after each successful copy. */
export function copyObserver(
  metrics: ServiceMetrics,
  retention: RetentionAdapters,
  getConfig: () => Config,
  logger: Logger,
): { onOutcome(o: CopyOutcome): void; onRetry(errorName: string): void } {
  const afterCopy = sweepAfterCopy({ getConfig, retention: retention.retention, logger });
  return {
    onOutcome: (o) => {
      metrics.onOutcome(o);
      afterCopy(o);
    },
    onRetry: (name) => metrics.onRetry(name),
  };
}

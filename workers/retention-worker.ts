import { selectionKey } from '../src/copy/policy-file-systems.js';
import type { EstateStore } from '../src/queue/estate-store.js';
import { accountOf } from '../src/copy/account-region.js';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config/types.js';
import type { CopyOutcome } from '../src/copy/outcome.js';
import type { RetryLimits } from '../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../src/fsx/error-facts.js';
import type { AccountGateways } from '../src/fsx/account-gateways.js';
import { errorFields, logEvent } from '../src/log.js';
import type { WatchedWorker } from '../src/ops/worker-stall-watch.js';
import { readQueueLoad } from '../src/queue/queue-load.js';
import type { CopyJobReferences } from '../src/queue/copy-job-references.js';
import type { DeletionStore } from '../src/queue/deletion-store.js';
import { retentionQueueName } from '../src/queue/retention-names.js';
import type { RetentionQueues, SweepJobData } from '../src/queue/retention-queues.js';
import type { RetentionSnapshotStore } from '../src/queue/retention-snapshot-store.js';
import { parseDeletionJobData } from '../src/retention/deletion-job.js';
import type { DeletionRecord } from '../src/retention/deletion-record.js';
import { pairPolicy, retentionPairKey } from '../src/retention/retention-pair.js';
import {
  retentionScopeKey,
  retentionScopesOf,
  type RetentionScope,
} from '../src/retention/retention-scope.js';
import type { SweepPlan } from '../src/retention/plan-sweep.js';
import { processDeletionJob, type DeletionJobPorts } from '../src/service/process-deletion-job.js';
import { sweepRetention, type SweepPorts } from '../src/service/sweep-retention.js';

export interface RetentionParts {
  readonly retention: RetentionQueues;
  readonly deletions: DeletionStore;
  readonly snapshots: RetentionSnapshotStore;
  readonly references: CopyJobReferences;
}

export interface RetentionWorkerOptions extends RetentionParts {
  readonly connection: Worker['opts']['connection'];
  readonly prefix: string;
  /** Each account's FSx gateway: a sweep lists, and a deletion deletes, with its account's credentials. */
  readonly gateways: AccountGateways;
  /** What each selector matched at its last slot: the pairs a selector policy covers. */
  readonly estate: EstateStore;
  readonly logger: Logger;
  readonly getConfig: () => Config;
  /** This deployment's FSXDR_PREFIX: the value of the `fsx-dr:deployment` tag on its copies. */
  readonly deployment: string;
  readonly limits: RetryLimits;
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** Told of every deletion record this process writes (metrics). */
  readonly onRecord?: (record: DeletionRecord) => void;
}

export interface RetentionWorkers {
  /** Starts workers for Regions a reloaded config added. */
  apply(config: Config): void;
  /** Each (account, Region) worker as the stall watch of /healthz sees it. */
  readonly watched: () => readonly WatchedWorker[];
  close(): Promise<void>;
}

/** Sweeps and deletions one worker runs at once (they list and delete, never hold a copy slot). */
const RETENTION_CONCURRENCY = 2;

/** The snapshot `status` and the metrics read: held copies per swept pair, and the Region's totals on a full sweep. */
function snapshotSaver(store: RetentionSnapshotStore) {
  return async (scope: RetentionScope, plan: SweepPlan, full: boolean, now: number): Promise<void> => {
    const sweptAt = new Date(now).toISOString();
    await store.saveHeld(
      plan.pairs.map((p) => ({
        pairKey: retentionPairKey(p.pair),
        available: p.available,
        total: p.verdicts.length,
        sweptAt,
      })),
    );
    if (!full) return;
    await store.saveRegion(scope, {
      account: scope.account,
      region: scope.destinationRegion,
      userInitiatedByType: plan.userInitiatedByType,
      serviceCopies: plan.serviceCopies,
      sweptAt,
    });
  };
}

/**
 * One BullMQ worker per (account, destination Region) retention queue: sweeps (full ones per interval, and pair
 * sweeps right after copies succeed) and the deletions they decide. Nothing here takes a copy slot.
 */
export function startRetentionWorkers(opts: RetentionWorkerOptions): RetentionWorkers {
  const log = opts.logger.child({ component: 'retention' });
  /** Each (account, Region) worker, by scope key, with the scope it serves. */
  const workers = new Map<string, { readonly worker: Worker; readonly scope: RetentionScope }>();
  /** When each worker last took a job (for the stall watch). */
  const lastTaken = new Map<string, number>();
  const record = async (r: DeletionRecord): Promise<boolean> => opts.deletions.record(r);
  const referencedBy = opts.references.referencedBy.bind(opts.references);

  const sweepPorts: SweepPorts = {
    listUserInitiatedBackups: async (scope) =>
      opts.gateways.gateway(scope.account).listUserInitiatedBackups(scope.destinationRegion),
    referencedBy,
    selections: () => opts.estate.selections(),
    addDeletions: (scope, jobs) => opts.retention.addDeletions(scope, jobs),
    record,
    saveSnapshot: snapshotSaver(opts.snapshots),
    ...(opts.onRecord ? { onRecord: opts.onRecord } : {}),
    logger: log,
    now: () => Date.now(),
  };
  const deletionPorts: DeletionJobPorts = {
    describeBackups: async (scope, ids) =>
      opts.gateways.gateway(scope.account).describeBackups(scope.destinationRegion, ids),
    deleteBackup: async (scope, id, token) =>
      opts.gateways.gateway(scope.account).deleteBackup(scope.destinationRegion, id, token),
    referencedBy,
    record,
    ...(opts.onRecord ? { onRecord: opts.onRecord } : {}),
    getConfig: opts.getConfig,
    selections: () => opts.estate.selections(),
    deployment: opts.deployment,
    errorFacts: toFsxErrorFacts,
    logger: log,
    limits: opts.limits,
    now: () => Date.now(),
    random: Math.random,
  };

  const sweep = async (scope: RetentionScope, job: Job): Promise<unknown> => {
    const data = job.data as SweepJobData;
    const request = {
      scope,
      sweepId: job.id ?? 'sweep',
      config: opts.getConfig(),
      deployment: opts.deployment,
    };
    if (data.kind === 'full') return sweepRetention(request, sweepPorts);
    const pending = await opts.retention.pendingPairs(scope);
    if (pending.length === 0) return { pairs: 0 };
    const result = await sweepRetention(
      { ...request, onlyPairs: new Set(pending.map((p) => p.key)) },
      sweepPorts,
    );
    await opts.retention.finishPendingPairs(scope, pending);
    return result;
  };

  const remove = async (job: Job, token: string | undefined): Promise<unknown> => {
    const data = parseDeletionJobData(job.data);
    if ('error' in data) throw new UnrecoverableError(`unreadable deletion job: ${data.error}`);
    const step = await processDeletionJob(
      {
        jobId: job.id ?? '',
        recordId: `${job.id ?? ''}.${job.timestamp}`,
        data,
        attempt: job.attemptsStarted,
        saveData: (d) => job.updateData(d),
      },
      deletionPorts,
    );
    switch (step.kind) {
      case 'done':
        return { result: step.record?.result ?? 'recorded-before' };
      case 'failed':
        throw new UnrecoverableError(
          `${step.record?.errorName ?? 'Error'}: ${step.record?.errorMessage ?? ''}`,
        );
      case 'retry-later':
        await job.moveToDelayed(Date.now() + step.delayMs, token);
        throw new DelayedError();
    }
  };

  const start = (scope: RetentionScope): void => {
    const key = retentionScopeKey(scope);
    if (workers.has(key)) return;
    const worker = new Worker(
      retentionQueueName(scope),
      async (job: Job, token?: string) => (job.name === 'delete' ? remove(job, token) : sweep(scope, job)),
      {
        connection: opts.connection,
        prefix: opts.prefix,
        concurrency: RETENTION_CONCURRENCY,
        lockDuration: opts.lockDurationMs,
        stalledInterval: opts.stalledIntervalMs,
        // A resumed sweep decides again and a resumed deletion re-reads its copy: being picked up again is harmless.
        maxStalledCount: 100,
      },
    );
    worker.on('failed', (job, err) => {
      if (!job || job.name === 'delete') return;
      logEvent(
        log,
        'retention.sweep_failed',
        { ...scope, jobId: job.id, attempt: job.attemptsMade, ...errorFields(err) },
        'retention sweep failed',
      );
    });
    worker.on('error', (err) =>
      logEvent(
        log,
        'worker.error',
        { account: scope.account, destinationRegion: scope.destinationRegion, ...errorFields(err) },
        'retention worker error',
      ),
    );
    worker.on('active', () => lastTaken.set(key, Date.now()));
    workers.set(key, { worker, scope });
  };

  const apply = (config: Config): void => {
    for (const scope of retentionScopesOf(config)) start(scope);
  };
  apply(opts.getConfig());
  logEvent(log, 'retention.started', { scopes: [...workers.keys()] }, 'retention workers started');

  return {
    apply,
    watched: () =>
      [...workers].map(([key, { scope }]) => ({
        queue: retentionQueueName(scope),
        load: () => readQueueLoad(opts.retention.queue(scope), { concurrency: RETENTION_CONCURRENCY }),
        lastTakenAt: () => lastTaken.get(key),
      })),
    // Without waiting for active jobs: a sweep listing a large Region under FSx faults can take longer than a
    // shutdown may. An abandoned sweep runs again elsewhere once its lock lapses; an abandoned deletion re-reads its
    // copy first, and knows from its checkpoint whether it had sent DeleteBackup.
    close: async () => {
      await Promise.all([...workers.values()].map(({ worker }) => worker.close(true)));
    },
  };
}

/** Requests within this of each other share one pair sweep (one listing of the Region). */
export const PAIR_SWEEP_DELAY_MS = 1_000;

/**
 * Told of each outcome the copy workers record: a copy that succeeded has its pair swept right after, when the pair
 * has retention rules. A request lost to a crash is made up for by the next full sweep.
 */
export function sweepAfterCopy(opts: {
  readonly getConfig: () => Config;
  readonly retention: RetentionQueues;
  readonly logger: Logger;
}): (outcome: CopyOutcome) => void {
  return (o) => {
    if (o.status !== 'succeeded') return;
    const pair = {
      account: accountOf(o),
      sourceRegion: o.sourceRegion,
      fileSystemId: o.fileSystemId,
      destinationRegion: o.destinationRegion,
    };
    // The copy was planned under its policy, selector or not: that policy covers the pair.
    const config = opts.getConfig();
    const policy = config.policies.find((p) => p.name === o.policy);
    const selections = new Map(policy ? [[selectionKey(policy), [o.fileSystemId]]] : []);
    if (pairPolicy(config, pair, selections).kind !== 'rules') return;
    opts.retention
      .requestPairSweep(pair, Date.now(), PAIR_SWEEP_DELAY_MS)
      .catch((err: unknown) =>
        logEvent(
          opts.logger,
          'retention.trigger_failed',
          { ...pair, ...errorFields(err) },
          'could not ask for a sweep after a copy; the next full sweep covers it',
        ),
      );
  };
}

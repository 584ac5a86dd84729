import type { PolicySelections } from '../copy/policy-file-systems.js';
import { accountMember } from '../copy/account-region.js';
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { BUSY_BACKUP_ERRORS, classifyDeleteError } from '../copy/classify-delete-error.js';
import type { CopyKey } from '../copy/copy-key.js';
import type { FsxErrorFacts } from '../copy/fsx-error.js';
import { decideTransientRetry, type RetryLimits } from '../copy/retry-policy.js';
import { checkDeletion, type DeletionGuard } from '../retention/check-deletion.js';
import { deleteRequestToken, type DeletionJobData } from '../retention/deletion-job.js';
import {
  buildDeletionRecord,
  type DeletionRecord,
  type DeletionResult,
} from '../retention/deletion-record.js';
import type { DestinationBackup } from '../retention/destination-backup.js';
import { retentionScope, type RetentionScope } from '../retention/retention-scope.js';
import { logEvent } from '../log.js';
import { decisionFields, deletionFields } from './sweep-retention.js';

export interface DeletionJobPorts {
  readonly describeBackups: (
    scope: RetentionScope,
    backupIds: readonly string[],
  ) => Promise<Map<string, DestinationBackup>>;
  readonly deleteBackup: (
    scope: RetentionScope,
    backupId: string,
    clientRequestToken: string,
  ) => Promise<void>;
  readonly referencedBy: (key: CopyKey, backupId: string) => Promise<string | undefined>;
  readonly record: (record: DeletionRecord) => Promise<boolean>;
  readonly onRecord?: (record: DeletionRecord) => void;
  /** The config now (a reload between the sweep and the deletion counts). */
  readonly getConfig: () => Pick<Config, 'policies' | 'settings'>;
  /** What each selector matched at its last slot: the pairs a selector policy covers. */
  readonly selections: () => Promise<PolicySelections>;
  readonly deployment: string;
  readonly errorFacts: (err: unknown) => FsxErrorFacts;
  readonly logger: Logger;
  readonly limits: RetryLimits;
  readonly now: () => number;
  readonly random: () => number;
}

export interface DeletionJobInput {
  readonly jobId: string;
  /** Unique per job instance (a job added again after it finished gets a new one). */
  readonly recordId: string;
  readonly data: DeletionJobData;
  readonly attempt: number;
  readonly saveData: (data: DeletionJobData) => Promise<void>;
}

/** What the worker does with the job: finish it (recorded), fail it (recorded, kept a day), or run it again later. */
export type DeletionStep =
  | { readonly kind: 'done'; readonly record?: DeletionRecord }
  | { readonly kind: 'failed'; readonly record?: DeletionRecord }
  | { readonly kind: 'retry-later'; readonly delayMs: number };

const MESSAGE: Readonly<Record<DeletionResult, string>> = {
  deleted: 'copy deleted',
  'would-delete': 'dry run: would delete a copy',
  skipped: 'copy kept: a guard held when it was re-read',
  failed: 'copy could not be deleted',
};

class Deletion {
  data: DeletionJobData;
  readonly log: Logger;

  constructor(
    readonly input: DeletionJobInput,
    readonly ports: DeletionJobPorts,
  ) {
    this.data = input.data;
    this.log = ports.logger.child({
      jobId: input.jobId,
      attempt: input.attempt,
      sweepId: input.data.sweepId,
    });
  }

  async save(patch: Partial<DeletionJobData>): Promise<void> {
    this.data = { ...this.data, ...patch };
    await this.input.saveData(this.data);
  }

  async finish(
    result: DeletionResult,
    extra: { guard?: DeletionGuard; referencedBy?: string; error?: { name: string; message: string } } = {},
  ): Promise<DeletionRecord | undefined> {
    const record = buildDeletionRecord({
      id: this.input.recordId,
      result,
      job: this.data,
      now: this.ports.now(),
      guard: extra.guard,
      referencedBy: extra.referencedBy,
      error: extra.error,
      attempts: this.input.attempt,
    });
    if (!(await this.ports.record(record))) return undefined;
    this.ports.onRecord?.(record);
    this.logRecord(record, extra);
    return record;
  }

  /** One line per record, its event by result (the catalogue fixes each event's level). */
  private logRecord(
    record: DeletionRecord,
    extra: { guard?: DeletionGuard; referencedBy?: string; error?: { name: string; message: string } },
  ): void {
    const fields = { ...decisionFields(this.data), recoveryPoint: record.recoveryPoint };
    switch (record.result) {
      case 'deleted':
        return logEvent(this.log, 'retention.deleted', fields, MESSAGE.deleted);
      case 'would-delete':
        return logEvent(
          this.log,
          'retention.would_delete',
          { ...fields, dryRun: true },
          MESSAGE['would-delete'],
        );
      case 'skipped':
        return logEvent(
          this.log,
          'retention.skipped',
          {
            ...fields,
            ...(extra.guard !== undefined ? { guard: extra.guard } : {}),
            ...(extra.referencedBy !== undefined ? { referencedBy: extra.referencedBy } : {}),
          },
          MESSAGE.skipped,
        );
      case 'failed':
        return logEvent(
          this.log,
          'retention.failed',
          { ...fields, errorName: extra.error?.name, errorMessage: extra.error?.message },
          MESSAGE.failed,
        );
    }
  }

  /** A transient or busy answer: again later with backoff, bounded; past the bound, recorded failed for now. */
  async retry(err: FsxErrorFacts, patch: Partial<DeletionJobData>): Promise<DeletionStep> {
    const failures = (this.data.transientFailures ?? 0) + 1;
    const decision = decideTransientRetry({ failures, limits: this.ports.limits, random: this.ports.random });
    if (decision.action === 'give-up') {
      // The job completes, so the next sweep can decide about the copy again.
      const record = await this.finish('failed', {
        error: {
          name: err.name,
          message: `${err.message} (${decision.reason}; the next sweep decides again)`,
        },
      });
      return { kind: 'done', ...(record ? { record } : {}) };
    }
    await this.save({ ...patch, transientFailures: failures });
    logEvent(
      this.log,
      'retention.retry',
      {
        ...deletionFields(this.data),
        errorName: err.name,
        errorMessage: err.message,
        delayMs: decision.delayMs,
      },
      'deletion will be retried',
    );
    return { kind: 'retry-later', delayMs: decision.delayMs };
  }
}

/**
 * One deletion decided by a sweep: re-read the copy (and the newer copy that superseded it) from FSx, check that
 * every guard still allows it, look once more for a copy job that refers to it, and only then send DeleteBackup
 * with a token derived from the backup id. Every way out leaves one record and one log line per job.
 */
export async function processDeletionJob(
  input: DeletionJobInput,
  ports: DeletionJobPorts,
): Promise<DeletionStep> {
  const run = new Deletion(input, ports);
  const d = run.data;
  const requestedBefore = d.deleteRequested === true;
  let states: Map<string, DestinationBackup>;
  try {
    states = await ports.describeBackups(retentionScope(d.destinationRegion, d.account), [
      d.backupId,
      d.keeperBackupId,
    ]);
  } catch (raw) {
    return onError(run, ports.errorFacts(raw), requestedBefore);
  }
  const current = states.get(d.backupId);
  if (requestedBefore && (current === undefined || current.lifecycle === 'DELETED')) {
    // This job sent DeleteBackup before (its answer lost, or the worker stopped): the copy is gone by its hand.
    return done(await run.finish('deleted'));
  }
  const guard = checkDeletion({
    job: d,
    current,
    keeper: states.get(d.keeperBackupId),
    config: ports.getConfig(),
    selections: await ports.selections(),
    deployment: ports.deployment,
  });
  if (guard === 'dry-run') return done(await run.finish('would-delete'));
  if (guard !== undefined) return done(await run.finish('skipped', { guard }));
  const scope = retentionScope(d.destinationRegion, d.account);
  const key = {
    ...accountMember(d.account),
    sourceRegion: d.sourceRegion,
    sourceBackupId: d.sourceBackupId,
    destinationRegion: d.destinationRegion,
  };
  const referencedBy = await ports.referencedBy(key, d.backupId);
  if (referencedBy !== undefined)
    return done(await run.finish('skipped', { guard: 'referenced', referencedBy }));

  await run.save({ deleteRequested: true });
  try {
    await ports.deleteBackup(scope, d.backupId, deleteRequestToken(scope, d.backupId));
  } catch (raw) {
    return onError(run, ports.errorFacts(raw), requestedBefore);
  }
  return done(await run.finish('deleted'));
}

function done(record: DeletionRecord | undefined): DeletionStep {
  return { kind: 'done', ...(record ? { record } : {}) };
}

async function onError(run: Deletion, err: FsxErrorFacts, requestedBefore: boolean): Promise<DeletionStep> {
  switch (classifyDeleteError(err)) {
    case 'gone':
      return done(
        requestedBefore
          ? await run.finish('deleted')
          : await run.finish('skipped', { guard: 'already-gone' }),
      );
    case 'retry':
      // A busy backup is a definite answer: that request deleted nothing. A fault may hide one that did.
      return run.retry(err, BUSY_BACKUP_ERRORS.has(err.name) ? { deleteRequested: false } : {});
    case 'fail': {
      await run.save({ refusedAt: run.ports.now() });
      const record = await run.finish('failed', { error: { name: err.name, message: err.message } });
      return { kind: 'failed', ...(record ? { record } : {}) };
    }
  }
}

import type { DeletionGuard } from './check-deletion.js';
import type { DeletionJobData } from './deletion-job.js';

/**
 * How one decision about one copy ended:
 * - `deleted`: DeleteBackup took effect (`retention.deleted`);
 * - `would-delete`: a dry run decided to delete it and sent nothing (`retention.would_delete`);
 * - `skipped`: a guard held when it was re-read, or it was already gone (`retention.skipped`, with the guard);
 * - `failed`: DeleteBackup failed, or kept failing (`retention.failed`, with the error).
 */
export const DELETION_RESULTS = ['deleted', 'would-delete', 'skipped', 'failed'] as const;
export type DeletionResult = (typeof DELETION_RESULTS)[number];

/** The record of one deletion decision (an outcome, for retention): kept in Redis with bounded retention. */
export interface DeletionRecord {
  /** Unique per decision: the deletion job (one per job instance), or the dry-run sweep and backup. */
  readonly id: string;
  readonly result: DeletionResult;
  readonly backupId: string;
  readonly account: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly sourceBackupId: string;
  readonly policies: readonly string[];
  /** The copy's recovery point (its source backup's CreationTime). */
  readonly recoveryPoint: string;
  /** The rule evaluation: why it was to go, under which rules, and which newer copy superseded it. */
  readonly why: DeletionJobData['why'];
  readonly rules: string;
  readonly keeperBackupId: string;
  readonly guard?: DeletionGuard;
  /** The copy job that refers to it, when the guard is `referenced`. */
  readonly referencedBy?: string;
  readonly errorName?: string;
  readonly errorMessage?: string;
  readonly sweepId: string;
  readonly decidedAt: string;
  readonly at: string;
  readonly attempts?: number;
}

/** Shapes a record from the job and how it ended. Pure: `now` comes in. */
export function buildDeletionRecord(input: {
  readonly id: string;
  readonly result: DeletionResult;
  readonly job: DeletionJobData;
  readonly now: number;
  readonly guard?: DeletionGuard | undefined;
  readonly referencedBy?: string | undefined;
  readonly error?: { readonly name: string; readonly message: string } | undefined;
  readonly attempts?: number | undefined;
}): DeletionRecord {
  const { job } = input;
  return {
    id: input.id,
    result: input.result,
    backupId: job.backupId,
    account: job.account,
    sourceRegion: job.sourceRegion,
    fileSystemId: job.fileSystemId,
    destinationRegion: job.destinationRegion,
    sourceBackupId: job.sourceBackupId,
    policies: job.policies,
    recoveryPoint: new Date(job.recoveryPointMs).toISOString(),
    why: job.why,
    rules: job.rules,
    keeperBackupId: job.keeperBackupId,
    ...(input.guard !== undefined ? { guard: input.guard } : {}),
    ...(input.referencedBy !== undefined ? { referencedBy: input.referencedBy } : {}),
    ...(input.error ? { errorName: input.error.name, errorMessage: input.error.message } : {}),
    sweepId: job.sweepId,
    decidedAt: new Date(job.decidedAt).toISOString(),
    at: new Date(input.now).toISOString(),
    ...(input.attempts !== undefined ? { attempts: input.attempts } : {}),
  };
}

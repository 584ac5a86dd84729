import { createHash } from 'node:crypto';
import type { DeleteWhy } from './retention-types.js';
import { retentionScopeKey, type RetentionScope } from './retention-scope.js';
import type { PlannedDeletion } from './plan-sweep.js';

/**
 * What a deletion job carries: the copy decided on, its pair, and what the decision rested on, so the job can check
 * right before DeleteBackup that all of it still holds.
 */
export interface DeletionJobData {
  readonly account: string;
  readonly destinationRegion: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly backupId: string;
  readonly sourceBackupId: string;
  readonly recoveryPointMs: number;
  /** Lifecycle when decided (AVAILABLE, or FAILED for a superseded failed copy). */
  readonly lifecycle: string;
  readonly why: DeleteWhy;
  readonly keeperBackupId: string;
  readonly policies: readonly string[];
  readonly rules: string;
  readonly rulesFingerprint: string;
  readonly sweepId: string;
  readonly decidedAt: number;
  /** Set the moment DeleteBackup is sent: on a resume, a copy found gone was deleted by this job. */
  readonly deleteRequested?: boolean;
  readonly transientFailures?: number;
  /**
   * Set when FSx refused the deletion for good (AccessDenied, a bad request): the failed job is then kept a day, so
   * later sweeps do not send the same refused request again. A job that failed any other way (a crash of its own,
   * a lock lost under load) carries none, and the next sweep replaces it.
   */
  readonly refusedAt?: number;
}

/**
 * The job id of the deletion of one backup: from the backup id alone, so however many sweeps (on however many
 * replicas) decide to delete it, one job exists for it at a time. Backup ids hold no `:`.
 */
export function deletionJobId(backupId: string): string {
  return `delete-${backupId}`;
}

/**
 * DeleteBackup's ClientRequestToken for a backup: derived from the scope and the backup id, so every retry and
 * every resume after a crash sends the same request, and FSx answers a repeat of one that took effect with it.
 */
export function deleteRequestToken(scope: RetentionScope, backupId: string): string {
  const digest = createHash('sha256')
    .update(`${retentionScopeKey(scope)}|${backupId}`)
    .digest('hex');
  return `fsxdr-del-${digest.slice(0, 40)}`;
}

/** The id of the full sweep of one interval: every replica adds the same, so each interval is swept once. */
export function periodicSweepJobId(slotMs: number): string {
  return `sweep-${slotMs}`;
}

/** The start of the sweep interval `now` falls in. */
export function sweepSlot(now: number, intervalMs: number): number {
  return Math.floor(now / intervalMs) * intervalMs;
}

export function deletionJobData(
  scope: RetentionScope,
  deletion: PlannedDeletion,
  sweepId: string,
  decidedAt: number,
): DeletionJobData {
  const { copy } = deletion;
  return {
    account: scope.account,
    destinationRegion: scope.destinationRegion,
    sourceRegion: copy.pair.sourceRegion,
    fileSystemId: copy.pair.fileSystemId,
    backupId: copy.backupId,
    sourceBackupId: copy.sourceBackupId,
    recoveryPointMs: copy.recoveryPointMs,
    lifecycle: copy.lifecycle,
    why: deletion.why,
    keeperBackupId: deletion.keeperBackupId,
    policies: deletion.policies,
    rules: deletion.rules,
    rulesFingerprint: deletion.rulesFingerprint,
    sweepId,
    decidedAt,
  };
}

/** Reads job data defensively: a job written by another version must fail clearly, not delete by accident. */
export function parseDeletionJobData(value: unknown): DeletionJobData | { readonly error: string } {
  if (typeof value !== 'object' || value === null) return { error: 'job data is not an object' };
  const v = value as Record<string, unknown>;
  const strings = [
    'account',
    'destinationRegion',
    'sourceRegion',
    'fileSystemId',
    'backupId',
    'sourceBackupId',
    'lifecycle',
    'why',
    'keeperBackupId',
    'rules',
    'rulesFingerprint',
    'sweepId',
  ] as const;
  for (const k of strings) {
    if (typeof v[k] !== 'string' || v[k] === '') return { error: `job data has no ${k}` };
  }
  for (const k of ['recoveryPointMs', 'decidedAt'] as const) {
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) return { error: `job data has no ${k}` };
  }
  if (v['why'] !== 'no-rule-keeps-it' && v['why'] !== 'failed-superseded')
    return { error: 'job data has no why' };
  if (!Array.isArray(v['policies'])) return { error: 'job data has no policies' };
  return value as DeletionJobData;
}

import type { DeleteVerdict, RetentionVerdict } from './retention-types.js';

export interface DeletionBatch {
  /** the deletions to make in this sweep, oldest recovery point first */
  readonly deletions: readonly DeleteVerdict[];
  /** deletions left for the next sweep */
  readonly deferred: number;
}

/**
 * At most `max` of a sweep's deletions, so one sweep of an (account, destination Region) cannot flood DeleteBackup
 * after a policy change or a long outage. Pass the verdicts of every pair in the sweep together; the oldest
 * recovery points go first (they are the furthest past every rule), ties by backupId. The rest are counted as
 * deferred: the next sweep decides them again. `max` is rounded down; negative or NaN means 0, Infinity no limit.
 */
export function limitDeletions(verdicts: readonly RetentionVerdict[], max: number): DeletionBatch {
  const limit = max > 0 ? Math.floor(max) : 0;
  const deletions = verdicts
    .filter((verdict): verdict is DeleteVerdict => verdict.action === 'delete')
    .sort((a, b) =>
      a.recoveryPointMs !== b.recoveryPointMs
        ? a.recoveryPointMs - b.recoveryPointMs
        : a.backupId < b.backupId
          ? -1
          : a.backupId > b.backupId
            ? 1
            : 0,
    );
  const chosen = deletions.slice(0, limit);
  return { deletions: chosen, deferred: deletions.length - chosen.length };
}

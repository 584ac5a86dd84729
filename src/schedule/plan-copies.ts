import type { Policy, Settings } from '../config/types.js';
import { SERVICE_TAG_KEYS } from '../config/types.js';
import { accountMember } from '../copy/account-region.js';
import { isEligibleSource } from '../copy/backup-lifecycle.js';
import type { CopyJobData } from '../copy/copy-job.js';
import { copyJobId } from '../copy/copy-key.js';
import type { LatestCopyRecord } from '../copy/latest-copy.js';

/** A source backup as the planner sees it (taken off DescribeBackups by the FSx adapter). */
export interface SourceBackup {
  readonly backupId: string;
  readonly fileSystemId: string;
  readonly lifecycle: string;
  /** Epoch ms: the copy's recovery point. The FSx adapter refuses a listing without it (ProtocolError). */
  readonly creationTime: number;
  readonly fileSystemType?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What planning needs of the newest copy already made of a file system into a Region. */
export type LatestCopy = Pick<LatestCopyRecord, 'sourceBackupId' | 'sourceCreatedAt'>;

export interface PlannedCopy {
  readonly jobId: string;
  readonly data: CopyJobData;
}

export type SkipReason = 'no-eligible-backup' | 'unsupported-file-system-type' | 'already-copied';

export interface SkippedCopy {
  readonly fileSystemId: string;
  readonly destinationRegion?: string;
  readonly backupId?: string;
  readonly reason: SkipReason;
}

export interface CopyPlan {
  readonly copies: readonly PlannedCopy[];
  readonly skipped: readonly SkippedCopy[];
}

/** File system types FSx can copy across Regions; ONTAP backups cannot be copied with CopyBackup. */
const COPYABLE_TYPES: ReadonlySet<string> = new Set(['WINDOWS', 'LUSTRE', 'OPENZFS']);

/** True for a backup this service made (a copy carries its tags); never copy our own copies again. */
function isServiceCopy(backup: SourceBackup): boolean {
  return backup.tags[SERVICE_TAG_KEYS.sourceBackupId] !== undefined;
}

/** The newest backup of each file system that may be copied: AVAILABLE or still being made. */
export function newestEligibleBackups(
  fileSystemIds: readonly string[],
  backups: readonly SourceBackup[],
): Map<string, SourceBackup | undefined> {
  const newest = new Map<string, SourceBackup | undefined>(fileSystemIds.map((id) => [id, undefined]));
  for (const b of backups) {
    if (!newest.has(b.fileSystemId) || !isEligibleSource(b.lifecycle) || isServiceCopy(b)) continue;
    const current = newest.get(b.fileSystemId);
    // Ties broken by id so that every replica picks the same backup.
    if (
      !current ||
      b.creationTime > current.creationTime ||
      (b.creationTime === current.creationTime && b.backupId > current.backupId)
    )
      newest.set(b.fileSystemId, b);
  }
  return newest;
}

/**
 * Decides what one slot of a policy copies: per file system the newest eligible backup, one copy per destination,
 * unless that destination already holds a copy of it or of a newer backup. Pure: listings and `now` come in.
 */
export function planCopies(input: {
  readonly policy: Policy;
  readonly settings: Settings;
  /**
   * The file systems this slot covers: the policy's listed ones and what its selector matched, less `exclude`
   * (src/service/plan-slot.ts). Default: the listed ones alone.
   */
  readonly fileSystemIds?: readonly string[];
  readonly backups: readonly SourceBackup[];
  readonly latestCopy: (fileSystemId: string, destinationRegion: string) => LatestCopy | undefined;
  readonly slotMs: number;
  readonly now: number;
  /** This deployment's FSXDR_PREFIX, tagged on every copy (`fsx-dr:deployment`): retention deletes only those. */
  readonly deployment: string;
}): CopyPlan {
  const { policy, settings, now } = input;
  const copies: PlannedCopy[] = [];
  const skipped: SkippedCopy[] = [];
  for (const [fileSystemId, backup] of newestEligibleBackups(
    input.fileSystemIds ?? policy.source.fileSystemIds,
    input.backups,
  )) {
    if (!backup) {
      skipped.push({ fileSystemId, reason: 'no-eligible-backup' });
      continue;
    }
    if (backup.fileSystemType !== undefined && !COPYABLE_TYPES.has(backup.fileSystemType)) {
      skipped.push({ fileSystemId, backupId: backup.backupId, reason: 'unsupported-file-system-type' });
      continue;
    }
    for (const dest of policy.destinations) {
      const latest = input.latestCopy(fileSystemId, dest.region);
      if (
        latest &&
        (latest.sourceBackupId === backup.backupId || latest.sourceCreatedAt >= backup.creationTime)
      ) {
        skipped.push({
          fileSystemId,
          destinationRegion: dest.region,
          backupId: backup.backupId,
          reason: 'already-copied',
        });
        continue;
      }
      const key = {
        ...accountMember(policy.account),
        sourceRegion: policy.source.region,
        sourceBackupId: backup.backupId,
        destinationRegion: dest.region,
      };
      copies.push({
        jobId: copyJobId(key, input.slotMs),
        data: {
          ...key,
          policy: policy.name,
          fileSystemId,
          sourceCreatedAt: backup.creationTime,
          slotMs: input.slotMs,
          ...(latest ? { newestRecoveryPointAt: latest.sourceCreatedAt } : {}),
          ...(policy.rpoMs !== undefined ? { rpoMs: policy.rpoMs } : {}),
          ...(dest.kmsKeyId !== undefined ? { kmsKeyId: dest.kmsKeyId } : {}),
          copyTags: dest.copyTags,
          tags: {
            ...dest.tags,
            [SERVICE_TAG_KEYS.policy]: policy.name,
            [SERVICE_TAG_KEYS.sourceBackupId]: backup.backupId,
            [SERVICE_TAG_KEYS.sourceRegion]: policy.source.region,
            [SERVICE_TAG_KEYS.deployment]: input.deployment,
            [SERVICE_TAG_KEYS.fileSystemId]: fileSystemId,
            // The copy's recovery point, readable long after the source backup aged out (retention and RPO read it).
            [SERVICE_TAG_KEYS.recoveryPoint]: new Date(backup.creationTime).toISOString(),
          },
          enqueuedAt: now,
          startDeadlineAt: now + settings.startDeadlineMs,
          completionDeadlineMs: settings.completionDeadlineMs,
          pollIntervalMs: settings.pollIntervalMs,
        },
      });
    }
  }
  return { copies, skipped };
}

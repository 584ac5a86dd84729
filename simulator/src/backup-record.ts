import type { BackupType, FileSystemLifecycle, FileSystemType } from '@aws-sdk/client-fsx';
import type { CopySlot } from './in-flight-ledger.js';
import type { WireTag } from './request-validation.js';

/**
 * What the simulator stores about file systems and backups. Lifecycles are not stored: they are computed from the
 * record and the clock on every read (`lifecycleAt`), so a manual clock and the real clock behave the same way.
 */
export interface FileSystemRecord {
  /** The account that owns it: its `OwnerId`, its ARN, and who may see it. */
  readonly accountId: string;
  readonly region: string;
  readonly fileSystemId: string;
  readonly type: FileSystemType;
  /** Changed only by the test (`setFileSystemLifecycle`): nothing the simulator does moves a file system. */
  lifecycle: FileSystemLifecycle;
  readonly tags: readonly WireTag[];
  /**
   * Lustre only: the S3 data repository it is linked to (`s3://bucket/prefix`). FSx makes no backups of such a
   * file system; for SCRATCH_1, SCRATCH_2 and PERSISTENT_1 the link shows as `DataRepositoryConfiguration`.
   */
  readonly dataRepositoryPath?: string;
  /** E.g. `MULTI_AZ_1` (Windows), `PERSISTENT_2` (Lustre); only Windows Multi-AZ changes copy behaviour. */
  readonly deploymentType?: string;
  /** E.g. `SSD`, `HDD`, `INTELLIGENT_TIERING` (OpenZFS on Intelligent-Tiering cannot be copied: inferred). */
  readonly storageType?: string;
  readonly volumeIds: readonly string[];
  readonly kmsKeyId: string;
  readonly creationTime: number;
  /** Size given to backups of this file system unless a backup says otherwise. */
  readonly backupSizeInBytes: number;
}

/** How a backup came to exist; copies started by CopyBackup requests are the service's own. */
export type BackupOrigin = 'seeded' | 'created' | 'service-copy' | 'foreign-copy';

export interface BackupRecord {
  /** The owning account; always its file system's, since CopyBackup copies within one account. */
  readonly accountId: string;
  readonly backupId: string;
  readonly region: string;
  readonly fileSystem: FileSystemRecord;
  readonly volumeId?: string;
  readonly type: BackupType;
  readonly creationTime: number;
  /** A backup in `CREATING` becomes `AVAILABLE` at this time. */
  readonly availableAt?: number;
  readonly tags: readonly WireTag[];
  readonly kmsKeyId: string;
  readonly sizeInBytes: number;
  readonly origin: BackupOrigin;
  readonly source?: { readonly backupId: string; readonly region: string };
  /** For copies: the slot currently (or last) held, and the failure decided when the copy started. */
  copy?: { slot: CopySlot; readonly failureMessage?: string };
  /** Set by `setLifecycle`: wins over everything but deletion. */
  override?: { readonly lifecycle: string; readonly failureMessage?: string };
  deletedAt?: number;
  /** How it was deleted: by a DeleteBackup request, or by the test (`setLifecycle(..., 'DELETED')`). */
  deletedVia?: 'DeleteBackup' | 'control';
  /** A file system is being restored from this backup until then (DeleteBackup says BackupRestoring). */
  restoringUntil?: number;
}

/** A backup's observable state at one instant. */
export interface LifecycleState {
  readonly lifecycle: string;
  readonly progressPercent?: number;
  readonly failureMessage?: string;
}

/** The Lifecycle a backup shows at time `t` (see docs/fsx-notes.md, "Backup Lifecycle"). */
export function lifecycleAt(record: BackupRecord, t: number): LifecycleState {
  if (record.deletedAt !== undefined && t >= record.deletedAt) return { lifecycle: 'DELETED' };
  if (record.override) {
    const { lifecycle, failureMessage } = record.override;
    if (lifecycle === 'AVAILABLE') return { lifecycle, progressPercent: 100 };
    if (lifecycle === 'FAILED') return { lifecycle, failureMessage: failureMessage ?? 'Backup failed.' };
    return { lifecycle, progressPercent: 0 };
  }
  if (record.copy) {
    const { slot, failureMessage } = record.copy;
    if (t < slot.end) return { lifecycle: 'COPYING', progressPercent: progress(slot.start, slot.end, t) };
    if (failureMessage !== undefined) return { lifecycle: 'FAILED', failureMessage };
    return { lifecycle: 'AVAILABLE', progressPercent: 100 };
  }
  if (record.availableAt !== undefined && t < record.availableAt) {
    return { lifecycle: 'CREATING', progressPercent: progress(record.creationTime, record.availableAt, t) };
  }
  return { lifecycle: 'AVAILABLE', progressPercent: 100 };
}

/** Whole percent done, 0–99 while in progress (100 is reserved for the finished state). */
function progress(start: number, end: number, t: number): number {
  if (!Number.isFinite(end) || end <= start) return 0;
  return Math.max(0, Math.min(99, Math.floor(((t - start) / (end - start)) * 100)));
}

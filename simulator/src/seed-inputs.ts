import type { BackupType } from '@aws-sdk/client-fsx';
import type { TagInput } from './tag-input.js';

/*
 * Backups and copies as a test seeds them (file systems: file-system.ts).
 */

/**
 * A copy that something other than the service made, already finished: another tool's or person's copy of a source
 * backup, an AWS Backup copy (`AWS_BACKUP`), or another deployment's copy (its own `fsx-dr:*` tags). It reports
 * its source (`SourceBackupId`, `SourceBackupRegion`) and the source's file system, as a CopyBackup copy does.
 */
export interface AddCopyInput {
  /** The Region the copy is in. */
  readonly region: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  /** Default: the simulator's default account; the source must be in the same account, as CopyBackup's is. */
  readonly accountId?: string | undefined;
  readonly backupId?: string | undefined;
  /** Default USER_INITIATED (what CopyBackup makes). */
  readonly type?: BackupType | undefined;
  /** Default AVAILABLE; any other value is shown as is until changed. */
  readonly lifecycle?: string | undefined;
  readonly creationTime?: Date | number | undefined;
  readonly tags?: TagInput | undefined;
  readonly kmsKeyId?: string | undefined;
}

export interface AddBackupInput {
  readonly region: string;
  readonly fileSystemId: string;
  /** Default: the simulator's default account; the file system must be in it. */
  readonly accountId?: string | undefined;
  /** Default: a fresh `backup-` + 17 hex. */
  readonly backupId?: string | undefined;
  /** Default AVAILABLE, or CREATING when `availableAt` is given. Any other value is shown as is until changed. */
  readonly lifecycle?: string | undefined;
  readonly failureMessage?: string | undefined;
  readonly creationTime?: Date | number | undefined;
  /** A CREATING backup turns AVAILABLE at this time, on the simulator clock. */
  readonly availableAt?: Date | number | undefined;
  /** Default AUTOMATIC. */
  readonly type?: BackupType | undefined;
  readonly tags?: TagInput | undefined;
  readonly sizeInBytes?: number | undefined;
  readonly kmsKeyId?: string | undefined;
  readonly volumeId?: string | undefined;
}

/**
 * A backup in a destination Region as retention reads it off DescribeBackups (the FSx adapter shapes it): only what
 * the guards look at. Every field FSx may leave out is optional, and a missing one never makes a backup deletable.
 */
export interface DestinationBackup {
  readonly backupId: string;
  /** `USER_INITIATED`, `AUTOMATIC`, `AWS_BACKUP`. */
  readonly type?: string;
  readonly lifecycle?: string;
  /** The backup's own CreationTime (epoch ms): for a copy, when the copy began, not its recovery point. */
  readonly creationTime?: number;
  readonly tags: Readonly<Record<string, string>>;
  /** A copy's immediate source. */
  readonly sourceBackupId?: string;
  readonly sourceRegion?: string;
  /** `FileSystem.FileSystemId` as FSx reports it; for a copy, a cross-check only. */
  readonly fileSystemId?: string;
  /** `FileSystem.FileSystemType`: WINDOWS, LUSTRE, OPENZFS, ONTAP. */
  readonly fileSystemType?: string;
}

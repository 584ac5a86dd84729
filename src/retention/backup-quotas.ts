/**
 * FSx's default quota of user-initiated backups per account and Region, by file system type (copies count in their
 * destination Region, as do AWS Backup's FSx backups). Increasable through AWS, so status shows it as a guide.
 */
export const USER_INITIATED_BACKUP_QUOTA: Readonly<Record<string, number>> = Object.freeze({
  WINDOWS: 500,
  LUSTRE: 500,
  OPENZFS: 10_000,
});

import { lifecycleAt, type BackupRecord, type FileSystemRecord } from './backup-record.js';
import { rememberToken, replayedBackupId } from './client-request-tokens.js';
import { whyNoBackups } from './file-system.js';
import type { OperationHandler } from './operation-context.js';
import { RULES, optionalString, optionalTags } from './request-validation.js';
import { SimulatedFsxError, badRequest, serviceLimitExceeded } from './simulated-fsx-error.js';

/**
 * CreateBackup: a USER_INITIATED backup of a file system (or of a volume, for ONTAP and OpenZFS) that is CREATING
 * for `creationDuration` and then AVAILABLE. Lets a test or demo make sources through the API, the way they appear
 * in a real account.
 */
function findFileSystem(
  fileSystems: ReadonlyMap<string, FileSystemRecord>,
  fileSystemId: string | undefined,
  volumeId: string | undefined,
): FileSystemRecord {
  if (volumeId !== undefined) {
    const owner = [...fileSystems.values()].find((fs) => fs.volumeIds.includes(volumeId));
    if (!owner) throw new SimulatedFsxError('VolumeNotFound', `Volume ${volumeId} does not exist.`);
    return owner;
  }
  const fs = fileSystemId === undefined ? undefined : fileSystems.get(fileSystemId);
  if (!fs) throw new SimulatedFsxError('FileSystemNotFound', `File system ${fileSystemId} does not exist.`);
  if (fs.type === 'ONTAP')
    throw badRequest('Backups of ONTAP file systems are taken per volume: give VolumeId.');
  return fs;
}

/**
 * Refuses a file system FSx makes no backups of (Lustre scratch or S3-linked: UnsupportedOperation, the error name
 * *inferred*), and one not in a state to be backed up (BadRequest, *inferred*: only AVAILABLE and UPDATING are
 * taken to allow a backup).
 */
function checkBackupable(fs: FileSystemRecord): void {
  const refusal = whyNoBackups(fs);
  if (refusal !== undefined) throw new SimulatedFsxError('UnsupportedOperation', refusal);
  if (fs.lifecycle !== 'AVAILABLE' && fs.lifecycle !== 'UPDATING') {
    throw badRequest(`File system ${fs.fileSystemId} is ${fs.lifecycle}; a backup needs it AVAILABLE.`);
  }
}

export const createBackup: OperationHandler = (ctx, body) => {
  const fileSystemId = optionalString(body, 'FileSystemId', RULES.fileSystemId);
  const volumeId = optionalString(body, 'VolumeId', RULES.volumeId);
  const tags = optionalTags(body);
  const token = optionalString(body, 'ClientRequestToken', RULES.clientRequestToken);
  if ((fileSystemId === undefined) === (volumeId === undefined)) {
    throw badRequest('Give exactly one of FileSystemId and VolumeId.');
  }
  const region = ctx.state.region(ctx.region);
  const params = { FileSystemId: fileSystemId, VolumeId: volumeId, Tags: tags };
  const replayed = replayedBackupId(region, token, 'CreateBackup', params);
  const existing = replayed === undefined ? undefined : region.backups.get(replayed);
  if (existing) return { Backup: ctx.renderBackup(existing) };

  const fs = findFileSystem(region.fileSystems, fileSystemId, volumeId);
  checkBackupable(fs);
  const backups = [...region.backups.values()];
  const busy = backups.some(
    (r) =>
      r.copy === undefined &&
      r.fileSystem === fs &&
      r.volumeId === volumeId &&
      lifecycleAt(r, ctx.now).lifecycle === 'CREATING',
  );
  if (busy)
    throw new SimulatedFsxError(
      'BackupInProgress',
      `A backup of ${volumeId ?? fs.fileSystemId} is in progress.`,
    );
  const quota = ctx.behaviour.backupQuota;
  const userBackups = backups.filter(
    (r) => r.type === 'USER_INITIATED' && lifecycleAt(r, ctx.now).lifecycle !== 'DELETED',
  ).length;
  if (quota !== undefined && userBackups >= quota) {
    throw serviceLimitExceeded(
      'TOTAL_USER_INITIATED_BACKUPS',
      `The backup quota of ${quota} is reached in ${ctx.region}.`,
    );
  }

  const backupId = ctx.state.newBackupId();
  const duration = ctx.behaviour.creationDuration;
  const durationMs =
    typeof duration === 'number'
      ? duration
      : duration({ backupId, region: ctx.region, fileSystemId: fs.fileSystemId, fileSystemType: fs.type });
  const record: BackupRecord = {
    accountId: fs.accountId,
    backupId,
    region: ctx.region,
    fileSystem: fs,
    ...(volumeId !== undefined && { volumeId }),
    type: 'USER_INITIATED',
    creationTime: ctx.now,
    availableAt: ctx.now + Math.max(1, durationMs),
    tags: tags ?? [],
    kmsKeyId: fs.kmsKeyId,
    sizeInBytes: fs.backupSizeInBytes,
    origin: 'created',
  };
  region.backups.set(backupId, record);
  rememberToken(region, token, 'CreateBackup', params, backupId);
  return { Backup: ctx.renderBackup(record) };
};

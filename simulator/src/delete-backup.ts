import { lifecycleAt } from './backup-record.js';
import { rememberToken, replayedBackupId } from './client-request-tokens.js';
import type { OperationHandler } from './operation-context.js';
import { RULES, optionalString, requiredString } from './request-validation.js';
import { SimulatedFsxError, backupNotFound, badRequest } from './simulated-fsx-error.js';

/**
 * DeleteBackup: `DELETED` at once, unless the backup is busy or may not be deleted. Busy means CREATING
 * (BackupInProgress), being copied (BackupBeingCopied: a COPYING copy itself, the source of a copy in progress, or a
 * copy that finished less than `deleteBlockedAfterCopyMs` ago), or used for a restore right now (BackupRestoring).
 * AWS Backup owns its backups (BadRequest: delete it through AWS Backup). With `deleteRequiresTag` set, a backup
 * without that tag is AccessDeniedException, as an IAM policy with an `aws:ResourceTag` condition makes it.
 * ClientRequestToken makes the call idempotent: a repeat answers DELETED again.
 */
export const deleteBackup: OperationHandler = (ctx, body) => {
  const backupId = requiredString(body, 'BackupId', RULES.backupId);
  const token = optionalString(body, 'ClientRequestToken', RULES.clientRequestToken);
  const region = ctx.state.region(ctx.region);
  if (replayedBackupId(region, token, 'DeleteBackup', { BackupId: backupId }) !== undefined) {
    return { BackupId: backupId, Lifecycle: 'DELETED' };
  }
  const record = region.backups.get(backupId);
  if (!record || record.deletedAt !== undefined) throw backupNotFound(backupId);

  const beingCopied = (why: string): SimulatedFsxError =>
    new SimulatedFsxError('BackupBeingCopied', `Backup ${backupId} ${why}.`, { BackupId: backupId });
  const required = ctx.behaviour.deleteRequiresTag;
  if (required && !record.tags.some((t) => t.Key === required.key && t.Value === required.value)) {
    throw new SimulatedFsxError(
      'AccessDeniedException',
      `User is not authorized to perform: fsx:DeleteBackup on resource ${backupId} (no tag ${required.key}=${required.value}).`,
    );
  }
  if (record.type === 'AWS_BACKUP') {
    throw badRequest(`Backup ${backupId} is managed by AWS Backup; delete it through AWS Backup.`);
  }
  const { lifecycle } = lifecycleAt(record, ctx.now);
  if (lifecycle === 'CREATING' || lifecycle === 'PENDING' || lifecycle === 'TRANSFERRING') {
    throw new SimulatedFsxError('BackupInProgress', `Backup ${backupId} is still being created.`);
  }
  if (lifecycle === 'COPYING') throw beingCopied('is being copied');
  if (ctx.state.copiesInProgressOf(ctx.region, backupId, ctx.now).length > 0) {
    throw beingCopied('is the source of a copy in progress');
  }
  if (record.restoringUntil !== undefined && ctx.now < record.restoringUntil) {
    throw new SimulatedFsxError(
      'BackupRestoring',
      `Backup ${backupId} is being used to restore a file system.`,
      {
        FileSystemId: record.fileSystem.fileSystemId,
      },
    );
  }
  const slot = record.copy?.slot;
  if (slot && record.override === undefined && ctx.now < slot.end + ctx.behaviour.deleteBlockedAfterCopyMs) {
    throw beingCopied('finished copying moments ago; try again shortly');
  }
  ctx.state.markDeleted(record, ctx.now, 'DeleteBackup');
  rememberToken(region, token, 'DeleteBackup', { BackupId: backupId }, backupId);
  return { BackupId: backupId, Lifecycle: 'DELETED' };
};

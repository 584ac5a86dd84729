import { isTransientFsxError } from './classify-copy-error.js';
import type { FsxErrorFacts } from './fsx-error.js';

/**
 * What a retention deletion does about an error from DeleteBackup (docs/fsx-notes.md, "DeleteBackup"):
 * - `retry`: the backup is busy for now (BackupBeingCopied, also briefly right after a copy of it finishes;
 *   BackupInProgress; BackupRestoring) or FSx had a transient fault (5xx, throttling, network): try again later;
 * - `gone`: BackupNotFound: it is already gone, which is what was wanted;
 * - `fail`: anything else (AccessDenied from the IAM tag condition included): recorded and loud, not retried until
 *   a later sweep decides again.
 */
export type DeleteErrorClass = 'retry' | 'gone' | 'fail';

export const BUSY_BACKUP_ERRORS: ReadonlySet<string> = new Set([
  'BackupBeingCopied',
  'BackupInProgress',
  'BackupRestoring',
]);

export function classifyDeleteError(err: FsxErrorFacts): DeleteErrorClass {
  if (err.name === 'BackupNotFound') return 'gone';
  if (BUSY_BACKUP_ERRORS.has(err.name) || isTransientFsxError(err)) return 'retry';
  return 'fail';
}

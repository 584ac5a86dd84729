import { CONFIG_ERROR_CODE } from '../config/config-error.js';
import { ENV_ERROR_CODE } from '../config/environment-error.js';

/**
 * Every error name an operator can meet in an outcome or a log line, what it means, what the service does about
 * it and what the operator should do. The README's "Errors" section is this table; a test keeps the two in step,
 * and another checks the classifier does what the `handling` column says.
 */
export type ErrorHandling =
  /** The destination Region is full: its queue pauses, no attempt is spent. */
  | 'pause-region'
  /** Waits (capped exponential backoff) until the start deadline. */
  | 'wait'
  /** Retried with backoff, a bounded number of times. */
  | 'retry'
  /** Recorded as a failed (or expired) outcome at once; the next schedule slot tries again. */
  | 'fail'
  /** A retention deletion found the backup already gone: nothing left to do. */
  | 'gone';

export interface CatalogueEntry {
  readonly meaning: string;
  readonly handling: ErrorHandling;
  readonly action: string;
}

export const FSX_ERROR_NAMES = [
  'ServiceLimitExceeded (TOTAL_IN_PROGRESS_COPY_BACKUPS)',
  'ServiceLimitExceeded (other limits)',
  'SourceBackupUnavailable',
  'InternalServerError',
  'ThrottlingException',
  'TimeoutError',
  'BackupNotFound',
  'BadRequest',
  'IncompatibleParameterError',
  'IncompatibleRegionForMultiAZ',
  'InvalidDestinationKmsKey',
  'InvalidSourceKmsKey',
  'InvalidRegion',
  'UnsupportedOperation',
  'AccessDeniedException',
] as const;

/**
 * Errors of DeleteBackup, when retention deletes a copy (see classifyDeleteError): busy backups are retried later.
 * `BackupNotFound (DeleteBackup)` is BackupNotFound met by a deletion, which means the copy is already gone.
 */
export const DELETE_ERROR_NAMES = [
  'BackupBeingCopied',
  'BackupInProgress',
  'BackupRestoring',
  'BackupNotFound (DeleteBackup)',
] as const;

/**
 * Errors of STS AssumeRole, when the service takes an account's credentials (`accounts:`): they fail that account's
 * slots (`plan.account_failed`) and copies, never another account's.
 */
export const STS_ERROR_NAMES = [
  'AccessDenied',
  'InvalidClientTokenId',
  'RegionDisabledException',
  'ExpiredToken',
] as const;

/** The service's own error names: what it records and logs besides the names FSx gives its errors. */
export const SERVICE_ERROR_NAMES = [
  'StartDeadlineExceeded',
  'CompletionDeadlineExceeded',
  'CopyFailed',
  'DestinationCopyDeleted',
  'DestinationCopyMissing',
  'InvalidJobData',
  'ProtocolError',
  'UnknownAccount',
  CONFIG_ERROR_CODE,
  ENV_ERROR_CODE,
] as const;

export type ServiceErrorName = (typeof SERVICE_ERROR_NAMES)[number];
export type CatalogueName =
  | (typeof FSX_ERROR_NAMES)[number]
  | (typeof DELETE_ERROR_NAMES)[number]
  | (typeof STS_ERROR_NAMES)[number]
  | ServiceErrorName;

export const ERROR_CATALOGUE: Readonly<Record<CatalogueName, CatalogueEntry>> = Object.freeze({
  'ServiceLimitExceeded (TOTAL_IN_PROGRESS_COPY_BACKUPS)': {
    meaning:
      'Five copies are already in progress to the destination Region (the service’s, or anyone’s in the account).',
    handling: 'pause-region',
    action:
      'Nothing: copies start as slots free up. Persistent: look for other tools copying into that Region.',
  },
  'ServiceLimitExceeded (other limits)': {
    meaning:
      'An account quota, e.g. TOTAL_USER_INITIATED_BACKUPS (500 for Windows and Lustre, 10,000 for OpenZFS).',
    handling: 'fail',
    action: 'Delete old copies or raise the quota with AWS; the next slot tries again.',
  },
  SourceBackupUnavailable: {
    meaning:
      'The source backup is not AVAILABLE yet (being created or transferred), or it ended FAILED or DELETED.',
    handling: 'wait',
    action:
      'Nothing while it is being made. A failed outcome names the source’s state: check the source backup.',
  },
  InternalServerError: {
    meaning: 'A server fault in FSx.',
    handling: 'retry',
    action: 'Nothing, unless it persists: then check the AWS Health Dashboard.',
  },
  ThrottlingException: {
    meaning: 'FSx API rate exceeded (and its kin: TooManyRequestsException, RequestLimitExceeded, ...).',
    handling: 'retry',
    action: 'Nothing, unless it persists: other tools may be calling FSx heavily.',
  },
  TimeoutError: {
    meaning: 'An FSx request got no answer in time (FSXDR_FSX_REQUEST_TIMEOUT), or the network failed.',
    handling: 'retry',
    action: 'Check the network path to the FSx endpoint if it persists.',
  },
  BackupNotFound: {
    meaning: 'The source backup does not exist (deleted, or aged out of its retention).',
    handling: 'fail',
    action: 'Nothing if it was deleted on purpose; the next slot copies the newest backup.',
  },
  BadRequest: {
    meaning: 'FSx rejected the request (for example more than 50 tags once the source’s were merged).',
    handling: 'fail',
    action: 'Read the message; fix the policy (tags, copyTags) and reload.',
  },
  IncompatibleParameterError: {
    meaning: 'The idempotency token was used before with other parameters, or a parameter conflicts.',
    handling: 'fail',
    action: 'Read the Parameter named in the message; report it if the policy did not change.',
  },
  IncompatibleRegionForMultiAZ: {
    meaning: 'A Windows Multi-AZ backup cannot be copied to a Region without Multi-AZ support.',
    handling: 'fail',
    action: 'Choose another destination Region for that file system.',
  },
  InvalidDestinationKmsKey: {
    meaning: 'The KMS key is not usable in the destination Region.',
    handling: 'fail',
    action: 'Set kmsKeyId to a key in the destination Region that the service’s role may use.',
  },
  InvalidSourceKmsKey: {
    meaning: 'The source backup’s KMS key cannot be used for the copy.',
    handling: 'fail',
    action: 'Grant the service’s role kms:Decrypt (and kms:CreateGrant) on the source key.',
  },
  InvalidRegion: {
    meaning: 'The Regions are in different partitions, or the Region is not supported for copies (opt-in).',
    handling: 'fail',
    action: 'Pick a destination in the same partition that supports cross-Region copies.',
  },
  UnsupportedOperation: {
    meaning:
      'The backup cannot be copied (ONTAP, S3-linked or scratch Lustre, OpenZFS on Intelligent-Tiering).',
    handling: 'fail',
    action: 'Remove the file system from the policy.',
  },
  AccessDeniedException: {
    meaning:
      'The service’s IAM role may not call the FSx (or KMS) action. For a retention deletion: the backup lacks the fsx-dr:deployment tag the IAM condition requires.',
    handling: 'fail',
    action:
      'Apply the IAM policy from the README to the role, with your FSXDR_PREFIX as the tag value. A deletion refused is recorded (retention.failed) and decided again a day later.',
  },
  AccessDenied: {
    meaning:
      'STS refused to let the service assume an account’s role: the role’s trust policy does not name the service’s identity, the externalId differs, or the service may not call sts:AssumeRole on it.',
    handling: 'fail',
    action:
      'Check the account’s role (iam/account-role-trust.json) and the service’s sts:AssumeRole permission (iam/fsx-dr-central.json); `fsx-dr status` shows the account until a slot reaches it again. Other accounts are not affected.',
  },
  InvalidClientTokenId: {
    meaning: 'STS does not know the service’s own credentials (wrong, deleted or from another partition).',
    handling: 'fail',
    action: 'Fix the service’s own credentials; every account’s AssumeRole needs them.',
  },
  RegionDisabledException: {
    meaning: 'STS is not enabled in the Region the service asked it in (an opt-in Region).',
    handling: 'fail',
    action: 'Enable STS in that Region for the account, or run the service in a Region where it is active.',
  },
  ExpiredToken: {
    meaning:
      'The credentials a request was signed with had expired when it arrived. Credentials are fetched again five minutes before they expire by the host’s clock, so this is a request that waited long, or a clock that is wrong.',
    handling: 'retry',
    action: 'Nothing, unless it persists (the retries are bounded): then set the host’s clock right (NTP).',
  },
  UnknownAccount: {
    meaning:
      'A copy job names an account the loaded config does not define (the account was removed while its copies were queued).',
    handling: 'fail',
    action: 'Put the account back in `accounts:` until its queued copies have finished, or let them fail.',
  },
  BackupBeingCopied: {
    meaning:
      'DeleteBackup: the copy is being copied somewhere, or finished copying moments ago (FSx refuses for a short while).',
    handling: 'retry',
    action: 'Nothing: the deletion is retried with backoff, and a later sweep decides again.',
  },
  BackupInProgress: {
    meaning: 'DeleteBackup: the backup is still being made.',
    handling: 'retry',
    action: 'Nothing: retention never decides to delete a copy in progress; this is a race, retried.',
  },
  BackupRestoring: {
    meaning: 'DeleteBackup: a file system is being restored from the copy right now.',
    handling: 'retry',
    action: 'Nothing: the deletion waits (retried with backoff, then by the next sweep).',
  },
  'BackupNotFound (DeleteBackup)': {
    meaning: 'DeleteBackup: the copy no longer exists; someone (or an earlier attempt) deleted it.',
    handling: 'gone',
    action: 'Nothing: recorded as skipped (already-gone).',
  },
  StartDeadlineExceeded: {
    meaning: 'The copy could not start before its start deadline (settings.startDeadline, default 8h).',
    handling: 'fail',
    action: 'See the retries logged before it: a source stuck in creation, or a Region full for hours.',
  },
  CompletionDeadlineExceeded: {
    meaning:
      'A started copy was still in progress at its completion deadline (settings.completionDeadline, 48h): outcome `expired`.',
    handling: 'fail',
    action:
      'Check the copy in the destination Region; a first full copy of a large file system can take long.',
  },
  CopyFailed: {
    meaning: 'FSx reported the destination copy FAILED; the message is FSx’s own.',
    handling: 'fail',
    action: 'Read the message. The next slot makes a new copy with a new token.',
  },
  DestinationCopyDeleted: {
    meaning: 'The destination copy was deleted before it finished.',
    handling: 'fail',
    action: 'Find who deleted it; the next slot copies again.',
  },
  DestinationCopyMissing: {
    meaning: 'The destination copy disappeared while being followed.',
    handling: 'fail',
    action: 'Find who deleted it; the next slot copies again.',
  },
  InvalidJobData: {
    meaning:
      'A copy job the worker cannot run: its data is unreadable (written by another version, or damaged), or it has no job id.',
    handling: 'fail',
    action:
      'Check that every process on the Redis prefix runs the same version; the next slot plans the copy again.',
  },
  ProtocolError: {
    meaning:
      'FSx answered without what its protocol promises (a CopyBackup answer without a backup id, a listed source backup without its CreationTime or Lifecycle).',
    handling: 'retry',
    action: 'Nothing, unless it persists: then check the FSx endpoint (AWS_ENDPOINT_URL_FSX) and report it.',
  },
  [CONFIG_ERROR_CODE]: {
    meaning: 'A policy file is invalid; every problem is printed with file, line, column and field.',
    handling: 'fail',
    action:
      'Fix the files (`fsx-dr validate --config PATH`); the service does not start until they are valid.',
  },
  [ENV_ERROR_CODE]: {
    meaning: 'Environment variables have values the service cannot use; every one is named at once.',
    handling: 'fail',
    action: 'Fix the variables named in the message.',
  },
});

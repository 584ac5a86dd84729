import type { FsxErrorFacts } from './fsx-error.js';

/**
 * What the copy worker does about an error from CopyBackup:
 * - `region-full`: five copies are already in progress to the destination Region (ours or anyone's): pause the
 *   whole Region's queue for a while; no attempt is spent, because nothing is wrong with this copy.
 * - `source-not-ready`: the source backup is not AVAILABLE; look at its Lifecycle to decide between waiting and
 *   giving up.
 * - `transient`: a fault that clears by itself (5xx, throttling, network, time-out); retry with bounded attempts.
 * - `permanent`: configuration or a bug; no retry, record why.
 */
export type CopyErrorClass = 'region-full' | 'source-not-ready' | 'transient' | 'permanent';

export const IN_PROGRESS_COPY_LIMIT = 'TOTAL_IN_PROGRESS_COPY_BACKUPS';

const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
]);

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
  // A 200 whose body is not JSON, or a response missing what the protocol promises: the SDK's parse errors.
  'SyntaxError',
  'DeserializationError',
  'ProtocolError',
  // Credentials that expired between signing and arrival: worth a bounded retry, which is signed anew.
  'ExpiredToken',
  'ExpiredTokenException',
]);

const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/** Classifies an FSx error by its name and fields (docs/fsx-notes.md, "Errors of CopyBackup"). Pure. */
export function classifyCopyError(err: FsxErrorFacts): CopyErrorClass {
  if (err.name === 'ServiceLimitExceeded') {
    // Any other limit (the account's backup quota, ...) does not clear by itself.
    return err.limit === IN_PROGRESS_COPY_LIMIT ? 'region-full' : 'permanent';
  }
  if (err.name === 'SourceBackupUnavailable') return 'source-not-ready';
  if (isTransientFsxError(err)) return 'transient';
  return 'permanent';
}

/** True for faults that clear by themselves: server faults, throttling, network failures, time-outs. */
export function isTransientFsxError(err: FsxErrorFacts): boolean {
  if (THROTTLING_NAMES.has(err.name) || TRANSIENT_NAMES.has(err.name)) return true;
  if (err.networkCode !== undefined && TRANSIENT_NETWORK_CODES.has(err.networkCode)) return true;
  if (err.fault === 'server') return true;
  if (err.httpStatus !== undefined && (err.httpStatus >= 500 || err.httpStatus === 429)) return true;
  // No HTTP status and not a modelled error: the request never got an answer we could read.
  return err.httpStatus === undefined && err.fault === undefined && err.networkCode !== undefined;
}

/**
 * While following a copy, whether an error ends the following: a transient one does not, nor one that sent nothing
 * (the account's role could not be assumed: the copy goes on in FSx, and the completion deadline bounds the wait).
 */
export function endsFollowing(err: FsxErrorFacts): boolean {
  return err.notSent !== true && !isTransientFsxError(err);
}

/**
 * The plain facts of an error from an FSx call, taken off the SDK's exception at the adapter border so that the
 * classification below stays pure and testable case by case.
 */
export interface FsxErrorFacts {
  /** The error's name: the FSx error type (`ServiceLimitExceeded`), an SDK/Node name (`TimeoutError`), ... */
  readonly name: string;
  readonly message: string;
  /** `Limit` member of `ServiceLimitExceeded`. */
  readonly limit?: string;
  /** `$fault` of a modelled service error. */
  readonly fault?: 'client' | 'server';
  /** HTTP status the response carried, when there was a response. */
  readonly httpStatus?: number;
  /** Node's network error code (`ECONNREFUSED`, `ECONNRESET`, ...), when the request never got an answer. */
  readonly networkCode?: string;
  /**
   * The account's credentials could not be had (its role could not be assumed): the FSx request was never sent.
   * FSx's state is whatever it was: a copy already running goes on, and no CopyBackup left a copy behind.
   */
  readonly notSent?: true;
}

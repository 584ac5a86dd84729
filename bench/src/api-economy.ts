import type { RecordedRequest } from '../../simulator/src/index.js';

/**
 * FSx calls a strategy spent per completed copy, counted by the simulator (what AWS would bill against the API
 * rate limits), not by the client. A refused CopyBackup is what pages an operator in the tools docs/fsx-notes.md quotes.
 */
export interface ApiEconomy {
  readonly completedCopies: number;
  readonly copyBackup: number;
  readonly describeBackups: number;
  readonly other: number;
  /** CopyBackup answered ServiceLimitExceeded (any Limit). */
  readonly serviceLimitExceeded: number;
  /** Of those, refused while five copies the client itself had started were already in progress. */
  readonly refusedWhileOwnCopiesFull: number;
  readonly copyBackupPerCopy: number;
  readonly describeBackupsPerCopy: number;
}

export function apiEconomy(
  requests: readonly RecordedRequest[],
  completedCopies: number,
  slots: number,
): ApiEconomy {
  let copyBackup = 0;
  let describeBackups = 0;
  let other = 0;
  let serviceLimitExceeded = 0;
  let refusedWhileOwnCopiesFull = 0;
  for (const r of requests) {
    if (r.operation === 'CopyBackup') {
      copyBackup += 1;
      if (r.errorName === 'ServiceLimitExceeded') {
        serviceLimitExceeded += 1;
        if ((r.inFlightAtArrival?.service ?? 0) >= slots) refusedWhileOwnCopiesFull += 1;
      }
    } else if (r.operation === 'DescribeBackups') describeBackups += 1;
    else other += 1;
  }
  const per = (n: number): number => (completedCopies === 0 ? Number.NaN : n / completedCopies);
  return {
    completedCopies,
    copyBackup,
    describeBackups,
    other,
    serviceLimitExceeded,
    refusedWhileOwnCopiesFull,
    copyBackupPerCopy: per(copyBackup),
    describeBackupsPerCopy: per(describeBackups),
  };
}

import { accountMember, accountOf } from './account-region.js';
import type { CopyJobData } from './copy-job.js';

export const OUTCOME_STATUSES = ['succeeded', 'failed', 'expired'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** How one copy ended. Exactly one per copy job; what RPO is proven from. */
export interface CopyOutcome {
  readonly status: OutcomeStatus;
  readonly jobId: string;
  /** The account the copy was made in; absent for the service's own account (`default`). */
  readonly account?: string;
  readonly policy: string;
  readonly fileSystemId: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  /** Creation time of the source backup: the recovery point this copy provides (absent in older records). */
  readonly sourceCreatedAt?: string;
  readonly destinationRegion: string;
  readonly destinationBackupId?: string;
  /** How many times a worker took the job (resumes after a crash or a deploy included). */
  readonly attempts: number;
  readonly enqueuedAt: string;
  readonly startedAt?: string;
  readonly finishedAt: string;
  /** From the start of the copy in FSx (or the job's start, before one) to the end. */
  readonly durationMs?: number;
  readonly sizeInBytes?: number;
  readonly errorName?: string;
  readonly errorMessage?: string;
  /** The copy already existed in the destination (found, not started, by this job). */
  readonly reusedExistingCopy?: boolean;
}

/** Shapes an outcome record from the job and how it ended. Pure: `now` comes in. */
export function buildOutcome(input: {
  readonly status: OutcomeStatus;
  readonly jobId: string;
  readonly data: CopyJobData;
  readonly attempts: number;
  readonly now: number;
  readonly sizeInBytes?: number | undefined;
  readonly error?: { readonly name: string; readonly message: string } | undefined;
}): CopyOutcome {
  const { data, now } = input;
  const checkpoint = data.checkpoint;
  const startedAt = checkpoint?.copyStartedAt ?? data.startedAt;
  return {
    status: input.status,
    jobId: input.jobId,
    ...accountMember(accountOf(data)),
    policy: data.policy,
    fileSystemId: data.fileSystemId,
    sourceRegion: data.sourceRegion,
    sourceBackupId: data.sourceBackupId,
    ...(data.sourceCreatedAt > 0 ? { sourceCreatedAt: new Date(data.sourceCreatedAt).toISOString() } : {}),
    destinationRegion: data.destinationRegion,
    ...(checkpoint ? { destinationBackupId: checkpoint.destinationBackupId } : {}),
    attempts: input.attempts,
    enqueuedAt: new Date(data.enqueuedAt).toISOString(),
    ...(startedAt !== undefined ? { startedAt: new Date(startedAt).toISOString() } : {}),
    finishedAt: new Date(now).toISOString(),
    ...(startedAt !== undefined ? { durationMs: Math.max(0, now - startedAt) } : {}),
    ...(input.sizeInBytes !== undefined ? { sizeInBytes: input.sizeInBytes } : {}),
    ...(input.error ? { errorName: input.error.name, errorMessage: input.error.message } : {}),
    ...(checkpoint?.reusedExistingCopy ? { reusedExistingCopy: true } : {}),
  };
}

const OUTCOME_EVENTS = {
  succeeded: 'copy.succeeded',
  failed: 'copy.failed',
  expired: 'copy.expired',
} as const satisfies Record<OutcomeStatus, `copy.${OutcomeStatus}`>;

/** The log event of an outcome (a catalogued event, src/log-events.ts). */
export function outcomeEvent(status: OutcomeStatus): (typeof OUTCOME_EVENTS)[OutcomeStatus] {
  return OUTCOME_EVENTS[status];
}

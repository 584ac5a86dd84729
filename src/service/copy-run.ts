import { accountMember, accountOf } from '../copy/account-region.js';
import type { Logger } from 'pino';
import type { CopyJobData } from '../copy/copy-job.js';
import { copyKeyId } from '../copy/copy-key.js';
import type { ServiceErrorName } from '../copy/error-catalogue.js';
import type { FsxErrorFacts } from '../copy/fsx-error.js';
import { buildOutcome, outcomeEvent, type CopyOutcome, type OutcomeStatus } from '../copy/outcome.js';
import type { CopyGateway, CopyPoller, OutcomeRecorder } from '../copy/ports.js';
import { decideTransientRetry, type RetryLimits } from '../copy/retry-policy.js';
import { logEvent } from '../log.js';
import type { RegionProbes } from './region-probe.js';

/** What the worker must do with the job once the copy logic has spoken. */
export type CopyStep =
  /** The job is finished (outcome recorded, or the copy was already made and recorded before). */
  | { readonly kind: 'completed'; readonly outcome?: CopyOutcome }
  /** The copy failed or expired: outcome recorded; the job moves to failed without retry. */
  | { readonly kind: 'failed'; readonly outcome: CopyOutcome }
  /** Try again after a delay, with the job's data saved; no slot is held meanwhile. */
  | { readonly kind: 'retry-later'; readonly delayMs: number }
  /** The destination Region is full (five copies in progress): pause its whole queue. */
  | { readonly kind: 'pause-region'; readonly delayMs: number }
  /** Shutting down: put the job back at the front of its queue; it resumes from its checkpoint. */
  | { readonly kind: 'hand-back' };

/**
 * Inside one run only: try again after a delay while keeping the job active. A transient failure may hide a
 * CopyBackup that took effect (its answer lost): the job keeps its slot, so no other copy starts while this one may
 * be running in FSx, and the retry's stable token returns that copy.
 */
export type RunStep = CopyStep | { readonly kind: 'retry-here'; readonly delayMs: number };

/** What a step of the copy returns once the job has a checkpoint (a copy to follow) instead of a way out. */
export const HAS_CHECKPOINT = { kind: 'has-checkpoint' } as const;
export type StartStep = RunStep | typeof HAS_CHECKPOINT;

export interface CopyJobPorts {
  readonly fsx: CopyGateway;
  readonly outcomes: OutcomeRecorder;
  readonly errorFacts: (err: unknown) => FsxErrorFacts;
  readonly logger: Logger;
  readonly limits: RetryLimits;
  readonly now: () => number;
  readonly random: () => number;
  /** Resolves after `ms`, or rejects at once when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told of every retry scheduled (for metrics). */
  readonly onRetry?: (errorName: string) => void;
  /**
   * Batched polling (`FSXDR_POLL=batched`): the account's shared poller, which reads a Region's followed copies
   * together. Absent: each copy is polled on its own with `fsx.describeBackup` every poll interval (`per-copy`).
   */
  readonly poller?: CopyPoller;
  /**
   * The Region-full state shared by the account's jobs in this process (`FSXDR_REGION_FULL_PROBE=adaptive`): refusals
   * in a row and the one probe at a time. Absent: every refusal counts as the first.
   */
  readonly regionProbes?: Pick<RegionProbes, 'of'>;
}

export interface CopyJobInput {
  readonly jobId: string;
  readonly data: CopyJobData;
  /** How many times a worker has taken the job, this time included. */
  readonly attempt: number;
  readonly signal: AbortSignal;
  /** Persists the job's data (the checkpoint above all) before anything else happens. */
  readonly saveData: (data: CopyJobData) => Promise<void>;
}

/** The log fields every line of a copy job carries: what an operator filters one copy's story by. */
export function copyJobBindings(jobId: string, data: CopyJobData, attempt: number) {
  return {
    ...accountMember(accountOf(data)),
    policy: data.policy,
    fileSystemId: data.fileSystemId,
    sourceBackupId: data.sourceBackupId,
    sourceRegion: data.sourceRegion,
    destinationRegion: data.destinationRegion,
    jobId,
    attempt,
  };
}

/** An error as an outcome carries it: the name (ours from the catalogue, or FSx's own) and the message. */
interface OutcomeError {
  readonly name: string;
  readonly message: string;
}

/** One run of a copy job: its data as saved so far, its logger, and every way it can end or wait. */
export class CopyRun {
  data: CopyJobData;
  readonly log: Logger;

  constructor(
    readonly input: CopyJobInput,
    readonly ports: CopyJobPorts,
  ) {
    this.data = input.data;
    this.log = ports.logger.child(copyJobBindings(input.jobId, input.data, input.attempt));
  }

  async save(patch: Partial<CopyJobData>): Promise<void> {
    this.data = { ...this.data, ...patch };
    await this.input.saveData(this.data);
  }

  /** The copy ended well. */
  succeed(sizeInBytes?: number): Promise<CopyStep> {
    return this.finish('succeeded', { sizeInBytes, error: undefined });
  }

  /** The copy ended for a reason of the service's own, named in the error catalogue. */
  fail(
    name: ServiceErrorName,
    message: string,
    opts: { status?: 'failed' | 'expired'; sizeInBytes?: number } = {},
  ): Promise<CopyStep> {
    return this.finish(opts.status ?? 'failed', { sizeInBytes: opts.sizeInBytes, error: { name, message } });
  }

  /** The copy ended on an FSx error, recorded under FSx's own name (the catalogue documents the known ones). */
  failOnFsxError(err: FsxErrorFacts, message = err.message): Promise<CopyStep> {
    return this.finish('failed', { sizeInBytes: undefined, error: { name: err.name, message } });
  }

  /** Records the one outcome of the job and logs it, unless an earlier run of the job recorded it already. */
  private async finish(
    status: OutcomeStatus,
    extra: { sizeInBytes: number | undefined; error: OutcomeError | undefined },
  ): Promise<CopyStep> {
    const outcome = buildOutcome({
      status,
      jobId: this.input.jobId,
      data: this.data,
      attempts: this.input.attempt,
      now: this.ports.now(),
      sizeInBytes: extra.sizeInBytes,
      error: extra.error,
    });
    const written = await this.ports.outcomes.record(
      outcome,
      copyKeyId(this.data),
      this.data.sourceCreatedAt,
    );
    if (written) {
      logEvent(
        this.log,
        outcomeEvent(status),
        {
          destinationBackupId: outcome.destinationBackupId,
          durationMs: outcome.durationMs,
          sizeInBytes: outcome.sizeInBytes,
          errorName: outcome.errorName,
          errorMessage: outcome.errorMessage,
          reusedExistingCopy: outcome.reusedExistingCopy,
        },
        status === 'succeeded' ? 'copy succeeded' : `copy ${status}`,
      );
    }
    return status === 'succeeded' ? { kind: 'completed', outcome } : { kind: 'failed', outcome };
  }

  async retry<K extends 'retry-later' | 'retry-here'>(
    kind: K,
    delayMs: number,
    err: FsxErrorFacts,
    reason: string,
    patch: Partial<CopyJobData>,
  ): Promise<{ kind: K; delayMs: number }> {
    await this.save(patch);
    this.ports.onRetry?.(err.name);
    logEvent(
      this.log,
      'copy.retry',
      { errorName: err.name, errorMessage: err.message, delayMs, reason },
      'copy will be retried',
    );
    return { kind, delayMs };
  }

  /** A transient failure of any FSx call: bounded retries that keep the slot, then a failed outcome. */
  async onTransient(err: FsxErrorFacts, patch: Partial<CopyJobData> = {}): Promise<RunStep> {
    const failures = (this.data.transientFailures ?? 0) + 1;
    const decision = decideTransientRetry({ failures, limits: this.ports.limits, random: this.ports.random });
    if (decision.action === 'give-up') return this.failOnFsxError(err, `${err.message} (${decision.reason})`);
    return this.retry('retry-here', decision.delayMs, err, 'transient error', {
      ...patch,
      transientFailures: failures,
    });
  }

  /**
   * Sleeps while keeping the job active; a shutdown that aborts the sleep hands the job back (its checkpoint, if
   * any, saved), so another worker resumes it.
   */
  async sleepOrHandBack(ms: number): Promise<'slept' | CopyStep> {
    try {
      await this.ports.sleep(ms, this.input.signal);
      return 'slept';
    } catch (err) {
      if (this.input.signal.aborted || (err instanceof Error && err.name === 'AbortError')) {
        return { kind: 'hand-back' };
      }
      throw err;
    }
  }
}

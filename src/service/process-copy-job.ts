import type { Logger } from 'pino';
import { lifecycleState } from '../copy/backup-lifecycle.js';
import { classifyCopyError } from '../copy/classify-copy-error.js';
import { SERVICE_TAG_KEYS } from '../config/types.js';
import type { CopyJobData } from '../copy/copy-job.js';
import { clientRequestToken, copyKeyId } from '../copy/copy-key.js';
import type { FsxErrorFacts } from '../copy/fsx-error.js';
import { buildOutcome, outcomeEvent, type CopyOutcome, type OutcomeStatus } from '../copy/outcome.js';
import { decideSourceWait, decideTransientRetry, type RetryLimits } from '../copy/retry-policy.js';
import type { BackupState, CopyRequest } from '../fsx/fsx-gateway.js';

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
type RunStep = CopyStep | { readonly kind: 'retry-here'; readonly delayMs: number };

export interface CopyJobPorts {
  readonly fsx: {
    copyBackup(req: CopyRequest): Promise<BackupState>;
    describeBackup(region: string, backupId: string): Promise<BackupState | undefined>;
    findCopiesOf(
      destinationRegion: string,
      source: { sourceRegion: string; sourceBackupId: string; fileSystemId: string },
    ): Promise<BackupState[]>;
  };
  readonly outcomes: {
    record(outcome: CopyOutcome, copyKeyId: string, sourceCreatedAt: number): Promise<boolean>;
    copiedAs(copyKeyId: string): Promise<string | undefined>;
  };
  readonly errorFacts: (err: unknown) => FsxErrorFacts;
  readonly logger: Logger;
  readonly limits: RetryLimits;
  readonly now: () => number;
  readonly random: () => number;
  /** Resolves after `ms`, or rejects at once when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Told of every retry scheduled (for metrics). */
  readonly onRetry?: (errorName: string) => void;
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

class Run {
  data: CopyJobData;
  readonly log: Logger;

  constructor(
    readonly input: CopyJobInput,
    readonly ports: CopyJobPorts,
  ) {
    this.data = input.data;
    this.log = ports.logger.child({
      policy: input.data.policy,
      fileSystemId: input.data.fileSystemId,
      sourceBackupId: input.data.sourceBackupId,
      sourceRegion: input.data.sourceRegion,
      destinationRegion: input.data.destinationRegion,
      jobId: input.jobId,
      attempt: input.attempt,
    });
  }

  async save(patch: Partial<CopyJobData>): Promise<void> {
    this.data = { ...this.data, ...patch };
    await this.input.saveData(this.data);
  }

  async finish(
    status: OutcomeStatus,
    extra: { sizeInBytes?: number; error?: { name: string; message: string } } = {},
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
      const level = status === 'succeeded' ? 'info' : 'error';
      this.log[level](
        {
          event: outcomeEvent(status),
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
    this.log.warn(
      { event: 'copy.retry', errorName: err.name, errorMessage: err.message, delayMs, reason },
      'copy will be retried',
    );
    return { kind, delayMs };
  }

  /** A transient failure of any FSx call: bounded retries that keep the slot, then a failed outcome. */
  async onTransient(err: FsxErrorFacts, patch: Partial<CopyJobData> = {}): Promise<RunStep> {
    const failures = (this.data.transientFailures ?? 0) + 1;
    const decision = decideTransientRetry({ failures, limits: this.ports.limits, random: this.ports.random });
    if (decision.action === 'give-up') {
      return this.finish('failed', {
        error: { name: err.name, message: `${err.message} (${decision.reason})` },
      });
    }
    return this.retry('retry-here', decision.delayMs, err, 'transient error', {
      ...patch,
      transientFailures: failures,
    });
  }
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

/**
 * Whether a copy found in the destination is this deployment's copy of the job's source: it carries the job's own
 * `fsx-dr:source-backup-id` and `fsx-dr:deployment` tags (jobs queued before copies had a deployment tag match
 * copies without one). Another tool's or another deployment's copy of the same source is not attached to: the
 * service does not own its lifecycle, and its retention never touches it.
 */
function isOwnCopy(copy: BackupState, data: CopyJobData): boolean {
  const tags = copy.tags ?? {};
  return (
    tags[SERVICE_TAG_KEYS.sourceBackupId] === data.sourceBackupId &&
    tags[SERVICE_TAG_KEYS.deployment] === data.tags[SERVICE_TAG_KEYS.deployment]
  );
}

/** Finds this deployment's copy of the source already in the destination (from an earlier run) to attach to. */
async function attachToExistingCopy(run: Run): Promise<boolean> {
  const d = run.data;
  const copies = await run.ports.fsx.findCopiesOf(d.destinationRegion, d);
  const usable = copies
    .filter((c) => {
      const s = lifecycleState(c.lifecycle);
      return (s === 'available' || s === 'in-progress') && isOwnCopy(c, d);
    })
    .sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0))[0];
  if (!usable) return false;
  await run.save({
    checkpoint: {
      destinationBackupId: usable.backupId,
      copyStartedAt: usable.creationTime ?? run.ports.now(),
      reusedExistingCopy: true,
    },
  });
  run.log.info(
    { event: 'copy.attached', destinationBackupId: usable.backupId, lifecycle: usable.lifecycle },
    'found an existing copy in the destination',
  );
  return true;
}

/** Sends CopyBackup, or decides what to do about its error. Returns undefined once a checkpoint exists. */
async function startCopy(run: Run): Promise<RunStep | undefined> {
  const { ports } = run;
  const d = run.data;
  // Past the deadline a job starts nothing new; but a CopyBackup whose answer was lost may have started a copy, and
  // only sending the same token again can tell (FSx answers with that copy).
  if (ports.now() >= d.startDeadlineAt && d.copyRequested !== true) {
    return run.finish('failed', {
      error: { name: 'StartDeadlineExceeded', message: 'the copy could not start before its start deadline' },
    });
  }
  try {
    const copy = await ports.fsx.copyBackup({
      destinationRegion: d.destinationRegion,
      sourceRegion: d.sourceRegion,
      sourceBackupId: d.sourceBackupId,
      ...(d.kmsKeyId !== undefined ? { kmsKeyId: d.kmsKeyId } : {}),
      copyTags: d.copyTags,
      tags: d.tags,
      clientRequestToken: clientRequestToken(run.input.jobId),
    });
    await run.save({
      checkpoint: {
        destinationBackupId: copy.backupId,
        copyStartedAt: ports.now(),
        reusedExistingCopy: false,
      },
    });
    run.log.info({ event: 'copy.started', destinationBackupId: copy.backupId }, 'copy started');
    return undefined;
  } catch (raw) {
    const err = ports.errorFacts(raw);
    const cls = classifyCopyError(err);
    // The answer was lost: a copy may exist. Any definite answer says this token made nothing.
    if (cls === 'transient') return run.onTransient(err, { copyRequested: true });
    if (d.copyRequested === true) await run.save({ copyRequested: false });
    switch (cls) {
      case 'region-full':
        ports.onRetry?.(err.name);
        run.log.warn(
          {
            event: 'copy.retry',
            errorName: err.name,
            limit: err.limit,
            delayMs: ports.limits.regionFullDelayMs,
          },
          'destination Region has five copies in progress; pausing its queue',
        );
        return { kind: 'pause-region', delayMs: ports.limits.regionFullDelayMs };
      case 'source-not-ready':
        return onSourceNotReady(run, err);
      case 'permanent':
        return run.finish('failed', { error: { name: err.name, message: err.message } });
    }
  }
}

async function onSourceNotReady(run: Run, err: FsxErrorFacts): Promise<RunStep> {
  const { ports } = run;
  const d = run.data;
  let source: BackupState | undefined;
  try {
    source = await ports.fsx.describeBackup(d.sourceRegion, d.sourceBackupId);
  } catch (raw) {
    return run.onTransient(ports.errorFacts(raw));
  }
  const waits = d.sourceWaits ?? 0;
  const decision = decideSourceWait({
    source: source ? lifecycleState(source.lifecycle) : 'gone',
    ...(source?.lifecycle !== undefined ? { sourceLifecycle: source.lifecycle } : {}),
    waits,
    now: ports.now(),
    startDeadlineAt: d.startDeadlineAt,
    limits: ports.limits,
    random: ports.random,
  });
  if (decision.action === 'give-up') {
    const detail = source?.failureMessage ? `: ${source.failureMessage}` : '';
    return run.finish('failed', { error: { name: err.name, message: `${decision.reason}${detail}` } });
  }
  // Nothing was copied (FSx refused): the slot can go to another copy while the source is being made.
  return run.retry(
    'retry-later',
    decision.delayMs,
    err,
    `source backup is ${source?.lifecycle ?? 'not ready'}`,
    {
      sourceWaits: waits + 1,
    },
  );
}

/** Polls the destination copy until it is terminal, the completion deadline passes, or shutdown. */
async function followCopy(run: Run): Promise<CopyStep> {
  const { ports, input } = run;
  const checkpoint = run.data.checkpoint;
  if (!checkpoint) throw new Error('followCopy needs a checkpoint');
  const deadline = checkpoint.copyStartedAt + run.data.completionDeadlineMs;
  let missing = 0;
  for (;;) {
    let state: BackupState | undefined;
    try {
      state = await ports.fsx.describeBackup(run.data.destinationRegion, checkpoint.destinationBackupId);
    } catch (raw) {
      const err = ports.errorFacts(raw);
      // A failing poll does not end the copy (it runs in FSx regardless); the completion deadline bounds this.
      run.log.warn(
        { event: 'copy.poll_error', errorName: err.name, errorMessage: err.message },
        'poll failed',
      );
      state = { backupId: checkpoint.destinationBackupId, lifecycle: 'UNKNOWN' };
    }
    if (!state) {
      // FSx may not list a copy for a moment after creating it; twice in a row means it is gone.
      missing += 1;
      if (missing >= 2) {
        return run.finish('failed', {
          error: { name: 'DestinationCopyMissing', message: 'the destination copy no longer exists' },
        });
      }
    } else {
      missing = 0;
      const size = state.sizeInBytes !== undefined ? { sizeInBytes: state.sizeInBytes } : {};
      switch (lifecycleState(state.lifecycle)) {
        case 'available':
          return run.finish('succeeded', size);
        case 'failed':
          return run.finish('failed', {
            ...size,
            error: { name: 'CopyFailed', message: state.failureMessage ?? 'FSx reported the copy FAILED' },
          });
        case 'deleted':
          return run.finish('failed', {
            error: {
              name: 'DestinationCopyDeleted',
              message: 'the destination copy was deleted before it finished',
            },
          });
        case 'in-progress':
          break;
      }
    }
    const now = ports.now();
    if (now >= deadline) {
      return run.finish('expired', {
        error: {
          name: 'CompletionDeadlineExceeded',
          message: 'the copy did not finish before its completion deadline',
        },
      });
    }
    try {
      await ports.sleep(Math.min(run.data.pollIntervalMs, deadline - now), input.signal);
    } catch (err) {
      if (isAbort(err, input.signal)) return { kind: 'hand-back' };
      throw err;
    }
  }
}

/**
 * One run of a copy job: exactly one copy per (source backup, destination Region). A job that already has a
 * checkpoint attaches to its copy; one without looks for an existing copy before it sends CopyBackup with a token
 * derived from the job id. Every way out records one outcome, or says why the job comes back later.
 */
export async function processCopyJob(input: CopyJobInput, ports: CopyJobPorts): Promise<CopyStep> {
  const run = new Run(input, ports);
  if (!run.data.checkpoint) {
    const done = await ports.outcomes.copiedAs(copyKeyId(run.data));
    if (done !== undefined) {
      run.log.info({ event: 'copy.skipped', destinationBackupId: done }, 'already copied');
      return { kind: 'completed' };
    }
  }
  if (run.data.startedAt === undefined) await run.save({ startedAt: ports.now() });
  for (;;) {
    const step = await attachOrStart(run);
    if (step === undefined) return followCopy(run);
    if (step.kind !== 'retry-here') return step;
    try {
      await ports.sleep(step.delayMs, input.signal);
    } catch (err) {
      if (isAbort(err, input.signal)) return { kind: 'hand-back' };
      throw err;
    }
  }
}

/** Gets the job a checkpoint: an existing copy in the destination, or a new one. Undefined once it has one. */
async function attachOrStart(run: Run): Promise<RunStep | undefined> {
  if (run.data.checkpoint) return undefined;
  if (run.input.signal.aborted) return { kind: 'hand-back' };
  try {
    if (await attachToExistingCopy(run)) return undefined;
  } catch (raw) {
    return run.onTransient(run.ports.errorFacts(raw));
  }
  if (run.input.signal.aborted) return { kind: 'hand-back' };
  return startCopy(run);
}

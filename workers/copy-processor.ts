import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { accountOf } from '../src/copy/account-region.js';
import { parseCopyJobData, type CopyJobData } from '../src/copy/copy-job.js';
import { copyKeyId } from '../src/copy/copy-key.js';
import { buildOutcome } from '../src/copy/outcome.js';
import { InvalidJobData } from '../src/copy/service-errors.js';
import type { OutcomeStore } from '../src/queue/outcome-store.js';
import { copyJobBindings } from '../src/service/copy-run.js';
import { processCopyJob, type CopyJobPorts } from '../src/service/process-copy-job.js';
import { errorFields, logEvent } from '../src/log.js';

/** The part of a BullMQ job the copy processor touches; a test hands in a fake with just these. */
export type CopyJob = Pick<
  Job,
  | 'id'
  | 'data'
  | 'attemptsStarted'
  | 'attemptsMade'
  | 'opts'
  | 'updateData'
  | 'changePriority'
  | 'moveToWait'
  | 'moveToDelayed'
>;

export interface CopyProcessorOptions {
  /** The account of the queue this processor serves: its jobs must name it (or, for `default`, none). */
  readonly account: string;
  readonly ports: CopyJobPorts;
  /** True once shutdown began: a job fetched after that goes straight back to its queue, untouched. */
  readonly shuttingDown: () => boolean;
  /** Pauses the Region's whole queue (BullMQ's manual rate limit on the worker). */
  readonly rateLimit: (delayMs: number) => Promise<void>;
  readonly now: () => number;
}

/**
 * Why a job cannot run at all, before any FSx call: it has no id, its data is unreadable, or it names another
 * account than its queue's (it would run on this account's credentials and be recorded under the other's keys).
 */
function unrunnable(job: CopyJob, account?: string): InvalidJobData | CopyJobData {
  // The ClientRequestToken derives from the job id: id-less jobs would all share one token.
  if (!job.id) return new InvalidJobData('the copy job has no id, and its CopyBackup token derives from it');
  const data = parseCopyJobData(job.data);
  if ('error' in data) return new InvalidJobData(`unreadable copy job: ${data.error}`);
  if (account !== undefined && accountOf(data) !== account) {
    return new InvalidJobData(`a copy job of account ${accountOf(data)} in the queue of account ${account}`);
  }
  return data;
}

/**
 * Saves a job's progress. Once a copy may be running in FSx (CopyBackup answered, or sent and its answer lost), the
 * job leaves urgency-first admission (priority 0: BullMQ takes such jobs before every prioritized one), so that when
 * it comes back to its queue (handed back at shutdown, or stalled when its worker died) it attaches to its copy before
 * any waiting copy starts a new one: that copy still holds one of the Region's five slots.
 */
async function saveData(job: CopyJob, d: CopyJobData): Promise<void> {
  await job.updateData(d);
  const inFsx = d.checkpoint !== undefined || d.copyRequested === true;
  if (inFsx && (job.opts.priority ?? 0) !== 0) {
    await job.changePriority({ priority: 0 });
    job.opts.priority = 0;
  }
}

/**
 * The BullMQ processor of a copy queue: runs the copy logic and turns its `CopyStep` into the BullMQ move that step
 * means (complete, fail without retry, delay, pause the Region, hand back). Every BullMQ effect goes through the
 * job or `rateLimit`, so it runs against a fake job.
 */
export function createCopyProcessor(opts: CopyProcessorOptions) {
  return async (job: CopyJob, token: string | undefined, signal: AbortSignal | undefined) => {
    if (opts.shuttingDown()) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const data = unrunnable(job, opts.account);
    if (data instanceof InvalidJobData) throw new UnrecoverableError(`${data.name}: ${data.message}`);
    const jobId = job.id ?? '';
    const step = await processCopyJob(
      {
        jobId,
        data,
        attempt: job.attemptsStarted,
        signal: signal ?? new AbortController().signal,
        saveData: (d: CopyJobData) => saveData(job, d),
      },
      opts.ports,
    );
    switch (step.kind) {
      case 'completed':
        return { status: step.outcome?.status ?? 'already-copied' };
      case 'failed':
        throw new UnrecoverableError(
          `${step.outcome.errorName ?? 'Error'}: ${step.outcome.errorMessage ?? step.outcome.status}`,
        );
      case 'retry-later':
        await job.moveToDelayed(opts.now() + step.delayMs, token);
        throw new DelayedError();
      case 'pause-region':
        await opts.rateLimit(step.delayMs);
        throw Worker.RateLimitError();
      case 'hand-back':
        await job.moveToWait(token);
        logEvent(
          opts.ports.logger.child(copyJobBindings(jobId, data, job.attemptsStarted)),
          'copy.handed_back',
          {},
          'copy handed back',
        );
        throw new WaitingError();
    }
  };
}

/** The ids an unreadable job still has, so its `copy.failed` line can be found with the others. */
function readableIds(job: CopyJob): Record<string, unknown> {
  const raw = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Record<string, unknown>;
  const ids: Record<string, unknown> = {};
  for (const k of ['policy', 'fileSystemId', 'sourceBackupId', 'sourceRegion', 'destinationRegion']) {
    if (typeof raw[k] === 'string') ids[k] = raw[k];
  }
  return { ...ids, jobId: job.id, attempt: job.attemptsStarted };
}

/**
 * The safety net: a job that BullMQ failed for a reason outside the copy logic (stalled too often, its data
 * unreadable, an unexpected fault on its last attempt) still gets exactly one outcome, and its `copy.failed` line
 * carries the same ids as every other line of the job.
 */
export async function recordUnexpectedFailure(
  job: CopyJob,
  err: Error,
  outcomes: Pick<OutcomeStore, 'record' | 'hasOutcome'>,
  log: Logger,
  now: () => number,
): Promise<void> {
  const final =
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1);
  if (!final || (job.id && (await outcomes.hasOutcome(job.id)))) return;
  // The job's own account, whichever queue it was in: its outcome is recorded where its copy would have been.
  const data = unrunnable(job);
  if (data instanceof InvalidJobData) {
    logEvent(log.child(readableIds(job)), 'copy.failed', { ...errorFields(data) }, 'copy failed');
    return;
  }
  const jobId = job.id ?? '';
  const outcome = buildOutcome({
    status: 'failed',
    jobId,
    data,
    attempts: job.attemptsStarted,
    now: now(),
    error: { name: err.name || 'Error', message: err.message },
  });
  if (await outcomes.record(outcome, copyKeyId(data), data.sourceCreatedAt)) {
    logEvent(
      log.child(copyJobBindings(jobId, data, job.attemptsStarted)),
      'copy.failed',
      {
        destinationBackupId: outcome.destinationBackupId,
        errorName: outcome.errorName,
        errorMessage: outcome.errorMessage,
      },
      'copy failed',
    );
  }
}

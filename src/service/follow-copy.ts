import { lifecycleState } from '../copy/backup-lifecycle.js';
import { endsFollowing } from '../copy/classify-copy-error.js';
import type { CopyCheckpoint } from '../copy/copy-job.js';
import { nextPollDelay, withSample, type ProgressSample } from '../copy/next-poll-delay.js';
import type { BackupState, CopyPoller, PollAnswer } from '../copy/ports.js';
import type { CopyRun, CopyStep } from './copy-run.js';
import { logEvent } from '../log.js';

/** One poll's answer: the copy's state, or that it was not there (undefined), or a way out already taken. */
type Poll = { readonly state: BackupState | undefined } | { readonly step: CopyStep };

/**
 * Reads the destination copy once. A transient error does not end the copy (it runs in FSx regardless; the
 * completion deadline bounds the polling); any other error (access denied, say) will not clear by polling for
 * 48 hours, so the copy fails at once with FSx's error.
 */
async function poll(run: CopyRun, checkpoint: CopyCheckpoint): Promise<Poll> {
  try {
    return {
      state: await run.ports.fsx.describeBackup(run.data.destinationRegion, checkpoint.destinationBackupId),
    };
  } catch (raw) {
    const err = run.ports.errorFacts(raw);
    if (endsFollowing(err)) return { step: await run.failOnFsxError(err) };
    logEvent(run.log, 'copy.poll_error', { errorName: err.name, errorMessage: err.message }, 'poll failed');
    return { state: { backupId: checkpoint.destinationBackupId, lifecycle: 'UNKNOWN' } };
  }
}

/** The way out a terminal state gives, or undefined while the copy is in progress. */
function onState(run: CopyRun, state: BackupState): Promise<CopyStep> | undefined {
  switch (lifecycleState(state.lifecycle)) {
    case 'available':
      return run.succeed(state.sizeInBytes);
    case 'failed':
      return run.fail('CopyFailed', state.failureMessage ?? 'FSx reported the copy FAILED', {
        ...(state.sizeInBytes !== undefined ? { sizeInBytes: state.sizeInBytes } : {}),
      });
    case 'deleted':
      return run.fail('DestinationCopyDeleted', 'the destination copy was deleted before it finished');
    case 'in-progress':
      return undefined;
  }
}

/** What a poller answered, as one poll's answer: an error is a poll error (transient) or the end (anything else). */
async function onAnswer(run: CopyRun, checkpoint: CopyCheckpoint, answer: PollAnswer): Promise<Poll> {
  switch (answer.kind) {
    case 'found':
      return { state: answer.state };
    case 'missing':
      return { state: undefined };
    case 'error': {
      const err = run.ports.errorFacts(answer.error);
      if (endsFollowing(err)) return { step: await run.failOnFsxError(err) };
      logEvent(run.log, 'copy.poll_error', { errorName: err.name, errorMessage: err.message }, 'poll failed');
      return { state: { backupId: checkpoint.destinationBackupId, lifecycle: 'UNKNOWN' } };
    }
  }
}

/** Where a followed copy stands between polls: what the next poll's timing is decided from. */
interface Watch {
  readonly checkpoint: CopyCheckpoint;
  readonly deadline: number;
  /** Progress read so far (batched polling only). */
  history: ProgressSample[];
  /** The last poll's progress, and whether the copy was missing from it. */
  last: { readonly progressPercent?: number; readonly missing: boolean } | undefined;
}

/**
 * The next poll through the account's shared poller: due after `nextPollDelay` (progress-aware), never past the
 * completion deadline, and early enough to share a round with the Region's other copies (up to one poll interval
 * before it is due). A copy just started or attached to is first polled a poll interval on (its state was just
 * read); one resumed from an earlier run's checkpoint at once.
 */
async function pollShared(run: CopyRun, poller: CopyPoller, w: Watch): Promise<Poll> {
  const now = run.ports.now();
  const interval = run.data.pollIntervalMs;
  let delay: number;
  if (w.last === undefined) {
    delay = run.input.data.checkpoint ? 0 : interval;
  } else if (w.last.missing) {
    delay = interval;
  } else {
    delay = nextPollDelay({
      startedAt: w.checkpoint.copyStartedAt,
      now,
      ...(w.last.progressPercent !== undefined ? { progressPercent: w.last.progressPercent } : {}),
      history: w.history.slice(0, -1),
      pollIntervalMs: interval,
    });
  }
  const dueAt = now + Math.max(0, Math.min(delay, w.deadline - now));
  const req = {
    region: run.data.destinationRegion,
    backupId: w.checkpoint.destinationBackupId,
    earliestAt: Math.max(now, dueAt - interval),
    dueAt,
  };
  let answer: PollAnswer;
  try {
    answer = await poller.poll(req, run.input.signal);
  } catch (err) {
    if (run.input.signal.aborted || (err instanceof Error && err.name === 'AbortError')) {
      return { step: { kind: 'hand-back' } };
    }
    throw err;
  }
  const polled = await onAnswer(run, w.checkpoint, answer);
  const state = 'state' in polled ? polled.state : undefined;
  const progress = answer.kind === 'found' ? state?.progressPercent : undefined;
  w.last = { ...(progress !== undefined ? { progressPercent: progress } : {}), missing: !state };
  if (progress !== undefined)
    w.history = withSample(w.history, { at: run.ports.now(), progressPercent: progress });
  return polled;
}

/**
 * The next poll of the copy: through the shared poller (batched), or on its own every poll interval (per-copy, as
 * before: at once the first time, then after sleeping an interval).
 */
async function nextPoll(run: CopyRun, w: Watch): Promise<Poll> {
  const poller = run.ports.poller;
  if (poller) return pollShared(run, poller, w);
  if (w.last !== undefined) {
    const now = run.ports.now();
    const slept = await run.sleepOrHandBack(Math.min(run.data.pollIntervalMs, w.deadline - now));
    if (slept !== 'slept') return { step: slept };
  }
  w.last = { missing: false };
  return poll(run, w.checkpoint);
}

/** Polls the destination copy until it is terminal, the completion deadline passes, or shutdown. */
export async function followCopy(run: CopyRun): Promise<CopyStep> {
  const checkpoint = run.data.checkpoint;
  if (!checkpoint) throw new Error('followCopy needs a checkpoint');
  const w: Watch = {
    checkpoint,
    deadline: checkpoint.copyStartedAt + run.data.completionDeadlineMs,
    history: [],
    last: undefined,
  };
  let missing = 0;
  for (;;) {
    const polled = await nextPoll(run, w);
    if ('step' in polled) return polled.step;
    if (polled.state) {
      missing = 0;
      const end = onState(run, polled.state);
      if (end) return end;
    } else {
      // FSx may not list a copy for a moment after creating it; twice in a row means it is gone.
      missing += 1;
      if (missing >= 2) return run.fail('DestinationCopyMissing', 'the destination copy no longer exists');
    }
    if (run.ports.now() >= w.deadline) {
      return run.fail(
        'CompletionDeadlineExceeded',
        'the copy did not finish before its completion deadline',
        {
          status: 'expired',
        },
      );
    }
  }
}

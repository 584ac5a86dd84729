import { lifecycleState } from '../copy/backup-lifecycle.js';
import { isTransientFsxError } from '../copy/classify-copy-error.js';
import type { CopyCheckpoint } from '../copy/copy-job.js';
import type { BackupState } from '../copy/ports.js';
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
    if (!isTransientFsxError(err)) return { step: await run.failOnFsxError(err) };
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

/** Polls the destination copy until it is terminal, the completion deadline passes, or shutdown. */
export async function followCopy(run: CopyRun): Promise<CopyStep> {
  const checkpoint = run.data.checkpoint;
  if (!checkpoint) throw new Error('followCopy needs a checkpoint');
  const deadline = checkpoint.copyStartedAt + run.data.completionDeadlineMs;
  let missing = 0;
  for (;;) {
    const polled = await poll(run, checkpoint);
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
    const now = run.ports.now();
    if (now >= deadline) {
      return run.fail(
        'CompletionDeadlineExceeded',
        'the copy did not finish before its completion deadline',
        {
          status: 'expired',
        },
      );
    }
    const slept = await run.sleepOrHandBack(Math.min(run.data.pollIntervalMs, deadline - now));
    if (slept !== 'slept') return slept;
  }
}

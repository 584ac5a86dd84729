import { SERVICE_TAG_KEYS } from '../config/types.js';
import { lifecycleState } from '../copy/backup-lifecycle.js';
import { classifyCopyError, isTransientFsxError } from '../copy/classify-copy-error.js';
import { clientRequestToken } from '../copy/copy-key.js';
import type { CopyJobData } from '../copy/copy-job.js';
import type { FsxErrorFacts } from '../copy/fsx-error.js';
import type { BackupState } from '../copy/ports.js';
import { decideRegionFullPause, decideSourceWait } from '../copy/retry-policy.js';
import { HAS_CHECKPOINT, type CopyRun, type RunStep, type StartStep } from './copy-run.js';
import { logEvent } from '../log.js';
import type { ProbePermit, RegionStillFull } from './region-probe.js';

/**
 * An error of a look-up (DescribeBackups): a transient one is retried like any other, anything else (access
 * denied, a bad request) does not clear by waiting, so the copy fails at once with FSx's error.
 */
function onLookUpError(run: CopyRun, raw: unknown): Promise<RunStep> {
  const err = run.ports.errorFacts(raw);
  return isTransientFsxError(err) ? run.onTransient(err) : run.failOnFsxError(err);
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
async function attachToExistingCopy(run: CopyRun): Promise<boolean> {
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
  logEvent(
    run.log,
    'copy.attached',
    { destinationBackupId: usable.backupId, lifecycle: usable.lifecycle },
    'found an existing copy in the destination',
  );
  return true;
}

/** After `SourceBackupUnavailable`: wait for a source still being made, give up on one that never will be. */
async function onSourceNotReady(run: CopyRun, err: FsxErrorFacts): Promise<RunStep> {
  const { ports } = run;
  const d = run.data;
  let source: BackupState | undefined;
  try {
    source = await ports.fsx.describeBackup(d.sourceRegion, d.sourceBackupId);
  } catch (raw) {
    return onLookUpError(run, raw);
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
    return run.failOnFsxError(err, `${decision.reason}${detail}`);
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

/**
 * Five copies are in progress in the destination Region (anyone's): the whole Region's queue pauses, for `delayMs`
 * (see `decideRegionFullPause`). `err` is FSx's refusal: this job's own, or the one of the probe it waited behind.
 */
function pauseRegion(run: CopyRun, err: FsxErrorFacts, delayMs: number): RunStep {
  run.ports.onRetry?.(err.name);
  logEvent(
    run.log,
    'copy.retry',
    {
      errorName: err.name,
      errorMessage: err.message,
      limit: err.limit,
      delayMs,
      reason: 'destination Region full',
    },
    'destination Region has five copies in progress; pausing its queue',
  );
  return { kind: 'pause-region', delayMs };
}

/** The pause after `fullsInRow` refusals in a row, by the configured probe (`FSXDR_REGION_FULL_PROBE`). */
function regionFullDelay(run: CopyRun, fullsInRow: number): number {
  return decideRegionFullPause({
    fullsInRow,
    pollIntervalMs: run.data.pollIntervalMs,
    limits: run.ports.limits,
    random: run.ports.random,
  });
}

/**
 * With the `adaptive` probe, leave from the Region's probe state to send CopyBackup (one at a time while the Region
 * is believed full); undefined with `fixed`, or without that state (each refusal then counts as the first).
 */
async function admit(run: CopyRun): Promise<ProbePermit | RegionStillFull | 'hand-back' | undefined> {
  const probes = run.ports.regionProbes;
  if (run.ports.limits.regionFullProbe !== 'adaptive' || !probes) return undefined;
  try {
    return await probes
      .of(run.data.destinationRegion)
      .admit(run.input.signal, run.ports.now(), run.ports.limits.regionFullDelayMs);
  } catch (err) {
    if (run.input.signal.aborted || (err instanceof Error && err.name === 'AbortError')) return 'hand-back';
    throw err;
  }
}

/** What to do about an error of CopyBackup, by its class. */
async function onCopyBackupError(
  run: CopyRun,
  raw: unknown,
  permit: ProbePermit | undefined,
): Promise<RunStep> {
  const err = run.ports.errorFacts(raw);
  const cls = classifyCopyError(err);
  const fullPause =
    cls === 'region-full'
      ? (permit?.release(
          { kind: 'full', error: err, delayOf: (n) => regionFullDelay(run, n) },
          run.ports.now(),
        ) ?? regionFullDelay(run, 1))
      : permit?.release({ kind: 'other' }, run.ports.now());
  // Nothing was sent (no credentials for the account): what an earlier request may have made stays unknown.
  if (err.notSent === true) return cls === 'transient' ? run.onTransient(err) : run.failOnFsxError(err);
  // The answer was lost: a copy may exist. Any definite answer says this token made nothing.
  if (cls === 'transient') return run.onTransient(err, { copyRequested: true });
  if (run.data.copyRequested === true) await run.save({ copyRequested: false });
  switch (cls) {
    case 'region-full':
      return pauseRegion(run, err, fullPause ?? regionFullDelay(run, 1));
    case 'source-not-ready':
      return onSourceNotReady(run, err);
    case 'permanent':
      return run.failOnFsxError(err);
  }
}

/** Sends CopyBackup with the job's stable token, or decides what to do about its error. */
async function startCopy(run: CopyRun): Promise<StartStep> {
  const { ports } = run;
  const d = run.data;
  // Past the deadline a job starts nothing new; but a CopyBackup whose answer was lost may have started a copy, and
  // only sending the same token again can tell (FSx answers with that copy).
  if (ports.now() >= d.startDeadlineAt && d.copyRequested !== true) {
    return run.fail('StartDeadlineExceeded', 'the copy could not start before its start deadline');
  }
  const permit = await admit(run);
  if (permit === 'hand-back') return { kind: 'hand-back' };
  if (permit?.kind === 'full') return pauseRegion(run, permit.error, permit.delayMs);
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
    permit?.release({ kind: 'started' }, ports.now());
    await run.save({
      checkpoint: {
        destinationBackupId: copy.backupId,
        copyStartedAt: ports.now(),
        reusedExistingCopy: false,
      },
    });
    logEvent(run.log, 'copy.started', { destinationBackupId: copy.backupId }, 'copy started');
    return HAS_CHECKPOINT;
  } catch (raw) {
    // A failed save counts too: the copy may have started, and the same token finds it again.
    return onCopyBackupError(run, raw, permit);
  }
}

/** Gets the job a checkpoint: an existing copy in the destination, or a new one. */
export async function attachOrStart(run: CopyRun): Promise<StartStep> {
  if (run.data.checkpoint) return HAS_CHECKPOINT;
  if (run.input.signal.aborted) return { kind: 'hand-back' };
  try {
    if (await attachToExistingCopy(run)) return HAS_CHECKPOINT;
  } catch (raw) {
    return onLookUpError(run, raw);
  }
  if (run.input.signal.aborted) return { kind: 'hand-back' };
  return startCopy(run);
}

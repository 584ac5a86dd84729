import { describe, expect, it } from 'vitest';
import type { CopyJobData } from '../../../src/copy/copy-job.js';
import { clientRequestToken, copyKeyId } from '../../../src/copy/copy-key.js';
import { DEFAULT_RETRY_LIMITS } from '../../../src/copy/retry-policy.js';
import { processCopyJob, type CopyStep } from '../../../src/service/process-copy-job.js';
import { CopyWorld, DESTINATION, OWN_TAGS, SOURCE, T0, sdkError } from './fake-copy-world.js';

const JOB_ID = 'copy-0123456789abcdef01234567-1780272000000';

/** Runs one job to its step, its data saved as a BullMQ job's would be. */
async function run(w: CopyWorld, data: CopyJobData = w.data(), attempt = 1): Promise<CopyStep> {
  return processCopyJob(
    {
      jobId: JOB_ID,
      data,
      attempt,
      signal: w.abort.signal,
      saveData: (d) => {
        w.saved.push(d);
        return Promise.resolve();
      },
    },
    w.ports(),
  );
}

const lastSaved = (w: CopyWorld): CopyJobData | undefined => w.saved[w.saved.length - 1];

describe('processCopyJob', () => {
  it('starts one copy with the job’s token, follows it to AVAILABLE and records it once', async () => {
    const w = new CopyWorld();
    const step = await run(w);
    expect(step).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded', sizeInBytes: 1024 } });
    expect(w.fsx.copies.size).toBe(1);
    expect(w.fsx.calls.find((c) => c.op === 'CopyBackup')?.req?.clientRequestToken).toBe(
      clientRequestToken(JOB_ID),
    );
    expect(w.sleeps).toEqual([30_000]);
    expect([...w.store.outcomes.keys()]).toEqual([JOB_ID]);
    const [line] = w.events('copy.succeeded');
    expect(line).toMatchObject({
      policy: 'gold',
      fileSystemId: SOURCE.fileSystemId,
      sourceBackupId: SOURCE.backupId,
      sourceRegion: SOURCE.region,
      destinationRegion: DESTINATION,
      jobId: JOB_ID,
      attempt: 1,
      destinationBackupId: 'backup-copy1',
    });
  });

  it('skips a copy already recorded as made, without calling FSx', async () => {
    const w = new CopyWorld();
    w.store.copied.set(copyKeyId(w.data()), 'backup-earlier');
    expect(await run(w)).toEqual({ kind: 'completed' });
    expect(w.fsx.calls).toEqual([]);
    expect(w.events('copy.skipped')[0]).toMatchObject({ destinationBackupId: 'backup-earlier' });
  });

  it('attaches to a copy of the source already in the destination instead of making another', async () => {
    const w = new CopyWorld();
    const existing = w.fsx.addCopy('AVAILABLE', T0 - 5_000);
    const step = await run(w);
    expect(step).toMatchObject({
      kind: 'completed',
      outcome: { status: 'succeeded', destinationBackupId: existing, reusedExistingCopy: true },
    });
    expect(w.fsx.count('CopyBackup')).toBe(0);
    expect(w.events('copy.attached')[0]).toMatchObject({ destinationBackupId: existing });
  });

  it('does not attach to another tool’s or another deployment’s copy of the same source: it makes its own', async () => {
    const w = new CopyWorld();
    w.fsx.addCopy('AVAILABLE', T0 - 5_000, {});
    w.fsx.addCopy('AVAILABLE', T0 - 5_000, { ...OWN_TAGS, 'fsx-dr:deployment': 'another-deployment' });
    const step = await run(w);
    expect(step).toMatchObject({
      kind: 'completed',
      outcome: { status: 'succeeded', destinationBackupId: 'backup-copy3' },
    });
    expect(step.kind === 'completed' ? step.outcome?.reusedExistingCopy : true).toBeUndefined();
    expect(w.fsx.count('CopyBackup')).toBe(1);
    expect(w.events('copy.attached')).toEqual([]);
  });

  it('ignores FAILED copies in the destination and starts a new one', async () => {
    const w = new CopyWorld();
    w.fsx.addCopy('FAILED');
    expect(await run(w)).toMatchObject({
      kind: 'completed',
      outcome: { destinationBackupId: 'backup-copy2' },
    });
    expect(w.fsx.count('CopyBackup')).toBe(1);
  });

  it('sends the same token again after a lost answer, even past the start deadline, and gets that copy', async () => {
    const w = new CopyWorld();
    // The answer to the first CopyBackup is lost after the copy was made, the listing does not show the new copy
    // as one of this source's, and the start deadline passes while the job waits to retry.
    w.fsx.copyBackupScript = ['lost'];
    w.fsx.hideSourceIds = true;
    const data = w.data({ startDeadlineAt: T0 + 100 });
    const step = await run(w, data);
    expect(step).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    const calls = w.fsx.calls.filter((c) => c.op === 'CopyBackup');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBeGreaterThan(data.startDeadlineAt);
    expect(new Set(calls.map((c) => c.req?.clientRequestToken)).size).toBe(1);
    expect(w.fsx.copies.size).toBe(1);
    expect(w.events('copy.retry')[0]).toMatchObject({
      errorName: 'InternalServerError',
      reason: 'transient error',
    });
  });

  it('fails with StartDeadlineExceeded instead of starting a copy past its start deadline', async () => {
    const w = new CopyWorld();
    const step = await run(w, w.data({ startDeadlineAt: T0 - 1 }));
    expect(step).toMatchObject({ kind: 'failed', outcome: { errorName: 'StartDeadlineExceeded' } });
    expect(w.fsx.count('CopyBackup')).toBe(0);
  });

  it('pauses the Region when five copies are in progress there, without an outcome or a spent attempt', async () => {
    const w = new CopyWorld();
    // The pause FSXDR_REGION_FULL_DELAY gives with the fixed probe; the adaptive one is in region-full-probe.test.ts.
    w.limits = { ...DEFAULT_RETRY_LIMITS, regionFullProbe: 'fixed' };
    w.fsx.copyBackupScript = [
      sdkError('ServiceLimitExceeded', 400, { Limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' }),
    ];
    const step = await run(w);
    expect(step).toEqual({ kind: 'pause-region', delayMs: DEFAULT_RETRY_LIMITS.regionFullDelayMs });
    expect(w.store.outcomes.size).toBe(0);
    expect(lastSaved(w)?.transientFailures).toBeUndefined();
    expect(w.retries).toEqual(['ServiceLimitExceeded']);
    expect(w.events('copy.retry')[0]).toMatchObject({
      limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS',
      reason: 'destination Region full',
      jobId: JOB_ID,
    });
  });

  it('fails at once on another service limit (an account quota)', async () => {
    const w = new CopyWorld();
    w.fsx.copyBackupScript = [
      sdkError('ServiceLimitExceeded', 400, { Limit: 'TOTAL_USER_INITIATED_BACKUPS' }),
    ];
    expect(await run(w)).toMatchObject({ kind: 'failed', outcome: { errorName: 'ServiceLimitExceeded' } });
  });

  it('waits, without holding a slot, for a source that is still being made', async () => {
    const w = new CopyWorld();
    w.fsx.source = { backupId: SOURCE.backupId, lifecycle: 'CREATING' };
    w.fsx.copyBackupScript = [sdkError('SourceBackupUnavailable', 400)];
    const step = await run(w);
    expect(step).toMatchObject({ kind: 'retry-later' });
    expect(lastSaved(w)?.sourceWaits).toBe(1);
    expect(w.store.outcomes.size).toBe(0);
  });

  it.each([
    [
      'FAILED',
      { backupId: SOURCE.backupId, lifecycle: 'FAILED', failureMessage: 'snapshot error' },
      /FAILED: snapshot error/,
    ],
    ['DELETED', { backupId: SOURCE.backupId, lifecycle: 'DELETED' }, /DELETED/],
    ['gone', undefined, /no longer exists/],
  ])('fails at once when the source is %s', async (_what, source, message) => {
    const w = new CopyWorld();
    w.fsx.source = source;
    w.fsx.copyBackupScript = [sdkError('SourceBackupUnavailable', 400)];
    const step = await run(w);
    expect(step).toMatchObject({ kind: 'failed', outcome: { errorName: 'SourceBackupUnavailable' } });
    expect(step.kind === 'failed' ? step.outcome.errorMessage : '').toMatch(message);
    expect(w.sleeps).toEqual([]);
  });

  it('gives up after the bounded number of transient failures, keeping its slot meanwhile', async () => {
    const w = new CopyWorld();
    w.fsx.copyBackupScript = Array.from({ length: 20 }, () => sdkError('ThrottlingException', 400));
    const step = await run(w);
    expect(step).toMatchObject({ kind: 'failed', outcome: { errorName: 'ThrottlingException' } });
    expect(step.kind === 'failed' ? step.outcome.errorMessage : '').toContain(
      'still failing after 9 transient errors',
    );
    expect(w.sleeps).toHaveLength(DEFAULT_RETRY_LIMITS.maxTransientFailures);
    expect(w.fsx.count('CopyBackup')).toBe(DEFAULT_RETRY_LIMITS.maxTransientFailures + 1);
  });

  it('hands the job back, checkpoint saved, when shutdown aborts it mid-copy', async () => {
    const w = new CopyWorld();
    w.fsx.copyLifecycles = ['CREATING'];
    w.abortOnSleep = 1;
    const step = await run(w);
    expect(step).toEqual({ kind: 'hand-back' });
    expect(lastSaved(w)?.checkpoint?.destinationBackupId).toBe('backup-copy1');
    expect(w.store.outcomes.size).toBe(0);
  });

  it('resumes from its checkpoint without a new CopyBackup', async () => {
    const w = new CopyWorld();
    const id = w.fsx.addCopy('AVAILABLE');
    const data = w.data({
      checkpoint: { destinationBackupId: id, copyStartedAt: T0, reusedExistingCopy: false },
    });
    expect(await run(w, data, 2)).toMatchObject({ kind: 'completed', outcome: { attempts: 2 } });
    expect(w.fsx.count('CopyBackup')).toBe(0);
    expect(w.fsx.count('ListCopies')).toBe(0);
  });

  it('keeps polling through a transient poll error', async () => {
    const w = new CopyWorld();
    w.fsx.describeScript = [sdkError('InternalServerError', 500)];
    expect(await run(w)).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    expect(w.events('copy.poll_error')[0]).toMatchObject({ errorName: 'InternalServerError', jobId: JOB_ID });
  });

  it('fails at once, with FSx’s error, on a poll error that polling cannot clear (access denied)', async () => {
    const w = new CopyWorld();
    w.fsx.describeScript = [sdkError('AccessDeniedException', 400)];
    const step = await run(w);
    expect(step).toMatchObject({
      kind: 'failed',
      outcome: { status: 'failed', errorName: 'AccessDeniedException', destinationBackupId: 'backup-copy1' },
    });
    expect(w.sleeps).toEqual([]);
    expect(w.fsx.count('DescribeCopy')).toBe(1);
    expect(w.events('copy.poll_error')).toEqual([]);
  });

  it('fails at once on a look-up error that does not clear (listing the destination denied)', async () => {
    const w = new CopyWorld();
    w.fsx.findScript = [sdkError('AccessDeniedException', 400)];
    expect(await run(w)).toMatchObject({ kind: 'failed', outcome: { errorName: 'AccessDeniedException' } });
    expect(w.fsx.count('CopyBackup')).toBe(0);
  });

  it('retries a transient look-up error, keeping its slot', async () => {
    const w = new CopyWorld();
    w.fsx.findScript = [sdkError('ThrottlingException', 400)];
    expect(await run(w)).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    expect(w.fsx.count('ListCopies')).toBe(2);
  });

  it('fails at once when reading the source after SourceBackupUnavailable is denied', async () => {
    const w = new CopyWorld();
    w.fsx.copyBackupScript = [sdkError('SourceBackupUnavailable', 400)];
    w.fsx.describeScript = [sdkError('AccessDeniedException', 400)];
    expect(await run(w)).toMatchObject({ kind: 'failed', outcome: { errorName: 'AccessDeniedException' } });
  });

  it('records a copy that ends FAILED with FSx’s message', async () => {
    const w = new CopyWorld();
    w.fsx.copyLifecycles = ['CREATING', 'FAILED'];
    const step = await run(w);
    expect(step).toMatchObject({ kind: 'failed', outcome: { errorName: 'CopyFailed' } });
  });

  it('records the deletion of a destination copy before it finished', async () => {
    const w = new CopyWorld();
    w.fsx.copyLifecycles = ['CREATING', 'DELETED'];
    expect(await run(w)).toMatchObject({ kind: 'failed', outcome: { errorName: 'DestinationCopyDeleted' } });
  });

  it('records a copy missing from two polls in a row as gone (one miss is FSx catching up)', async () => {
    const w = new CopyWorld();
    const data = w.data({
      checkpoint: { destinationBackupId: 'backup-never', copyStartedAt: T0, reusedExistingCopy: false },
    });
    expect(await run(w, data)).toMatchObject({
      kind: 'failed',
      outcome: { errorName: 'DestinationCopyMissing' },
    });
    expect(w.fsx.count('DescribeCopy')).toBe(2);
  });

  it('records `expired` when a started copy outlives its completion deadline', async () => {
    const w = new CopyWorld();
    w.fsx.copyLifecycles = ['CREATING'];
    const step = await run(w, w.data({ completionDeadlineMs: 100_000 }));
    expect(step).toMatchObject({
      kind: 'failed',
      outcome: { status: 'expired', errorName: 'CompletionDeadlineExceeded' },
    });
    // Never sleeps past the deadline: 30 s, 30 s, 30 s, then the 10 s left.
    expect(w.sleeps).toEqual([30_000, 30_000, 30_000, 10_000]);
  });
});

import { DelayedError, RateLimitError, UnrecoverableError, WaitingError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import type { CopyJobData } from '../../../src/copy/copy-job.js';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import {
  createCopyProcessor,
  recordUnexpectedFailure,
  type CopyJob,
} from '../../../workers/copy-processor.js';
import { CopyWorld, SOURCE, T0, sdkError } from '../service/fake-copy-world.js';

/** A BullMQ job as the processor sees it, recording the moves it is asked for. */
/** `id: null` makes a job without an id (a default parameter cannot be skipped with undefined). */
function fakeJob(data: unknown, id: string | null = 'copy-job-1', priority = 0) {
  const moves: string[] = [];
  const job: CopyJob & { data: unknown } = {
    ...(id !== null ? { id } : {}),
    data,
    attemptsStarted: 1,
    attemptsMade: 0,
    opts: { attempts: 3, priority },
    updateData: (d: unknown) => {
      job.data = d;
      return Promise.resolve();
    },
    changePriority: (opts: { priority?: number }) => {
      moves.push(`priority:${opts.priority ?? '-'}`);
      return Promise.resolve();
    },
    moveToWait: () => {
      moves.push('wait');
      return Promise.resolve(0);
    },
    moveToDelayed: (timestamp: number) => {
      moves.push(`delayed:${timestamp}`);
      return Promise.resolve();
    },
  };
  return { job, moves };
}

function processor(w: CopyWorld, opts: { shuttingDown?: boolean } = {}) {
  const pauses: number[] = [];
  const process = createCopyProcessor({
    account: 'default',
    ports: w.ports(),
    shuttingDown: () => opts.shuttingDown === true,
    rateLimit: (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    },
    now: () => w.clock.now,
  });
  return { process, pauses };
}

describe('the copy processor', () => {
  it('completes a job whose copy succeeded', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob(w.data());
    await expect(processor(w).process(job, 'token', undefined)).resolves.toEqual({ status: 'succeeded' });
    expect((job.data as CopyJobData).checkpoint?.destinationBackupId).toBe('backup-copy1');
  });

  it('takes a job out of urgency-first admission once its copy runs in FSx, so that back in the queue it goes first', async () => {
    const w = new CopyWorld();
    const { job, moves } = fakeJob(w.data(), 'copy-job-1', 524_289);
    await expect(processor(w).process(job, 'token', undefined)).resolves.toEqual({ status: 'succeeded' });
    expect(moves).toEqual(['priority:0']);
    // A job without a priority (FSXDR_ADMISSION=fifo) is left as it is.
    const plain = fakeJob(w.data(), 'copy-job-2');
    w.store.copied.clear();
    w.fsx.copies.clear();
    await processor(w).process(plain.job, 'token', undefined);
    expect(plain.moves).toEqual([]);
  });

  it('fails a job whose copy failed, without a retry, its outcome recorded', async () => {
    const w = new CopyWorld();
    w.fsx.copyBackupScript = [sdkError('AccessDeniedException', 400)];
    const { job } = fakeJob(w.data());
    await expect(processor(w).process(job, 'token', undefined)).rejects.toThrow(UnrecoverableError);
    expect(w.store.outcomes.get('copy-job-1')?.errorName).toBe('AccessDeniedException');
  });

  it('delays a job waiting for its source, and pauses the Region when it is full', async () => {
    const w = new CopyWorld();
    w.fsx.source = { backupId: SOURCE.backupId, lifecycle: 'CREATING' };
    w.fsx.copyBackupScript = [sdkError('SourceBackupUnavailable', 400)];
    const waiting = fakeJob(w.data());
    await expect(processor(w).process(waiting.job, 'token', undefined)).rejects.toThrow(DelayedError);
    expect(waiting.moves).toEqual([`delayed:${T0 + 22_500}`]);

    w.fsx.copyBackupScript = [
      sdkError('ServiceLimitExceeded', 400, { Limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' }),
    ];
    const full = fakeJob(w.data(), 'copy-job-2');
    const p = processor(w);
    await expect(p.process(full.job, 'token', undefined)).rejects.toThrow(RateLimitError);
    // The adaptive probe (the default): the first pause is about a poll interval (30 s here, jittered to 3/4 of it).
    expect(p.pauses).toEqual([22_500]);
  });

  it('hands a job back at shutdown, with a copy.handed_back line carrying every id', async () => {
    const w = new CopyWorld();
    w.fsx.copyLifecycles = ['CREATING'];
    w.abortOnSleep = 1;
    const { job, moves } = fakeJob(w.data());
    await expect(processor(w).process(job, 'token', w.abort.signal)).rejects.toThrow(WaitingError);
    expect(moves).toEqual(['wait']);
    expect(w.events('copy.handed_back')[0]).toMatchObject({
      policy: 'gold',
      fileSystemId: SOURCE.fileSystemId,
      sourceBackupId: SOURCE.backupId,
      sourceRegion: 'us-east-1',
      destinationRegion: 'us-west-2',
      jobId: 'copy-job-1',
      attempt: 1,
    });
  });

  it('puts a job fetched during shutdown straight back, untouched', async () => {
    const w = new CopyWorld();
    const { job, moves } = fakeJob(w.data());
    await expect(processor(w, { shuttingDown: true }).process(job, 'token', undefined)).rejects.toThrow(
      WaitingError,
    );
    expect(moves).toEqual(['wait']);
    expect(w.fsx.calls).toEqual([]);
  });

  it('refuses a job without an id: its CopyBackup token would be every id-less job’s', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob(w.data(), null);
    const run = processor(w).process(job, 'token', undefined);
    await expect(run).rejects.toThrow(UnrecoverableError);
    await expect(run).rejects.toThrow(/InvalidJobData/);
    expect(w.fsx.calls).toEqual([]);
  });

  it('refuses a job of another account than its queue’s: it would run on the wrong credentials', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob({ ...w.data(), account: 'prod' });
    await expect(processor(w).process(job, 'token', undefined)).rejects.toThrow(
      /InvalidJobData: a copy job of account prod in the queue of account default/,
    );
    expect(w.fsx.calls).toEqual([]);
  });

  it('refuses a job whose data it cannot read', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob({ policy: 'gold' });
    await expect(processor(w).process(job, 'token', undefined)).rejects.toThrow(/InvalidJobData: unreadable/);
    expect(w.fsx.calls).toEqual([]);
  });
});

describe('the safety net for jobs BullMQ failed', () => {
  const store = (recorded: CopyOutcome[] = []) => ({
    recorded,
    hasOutcome: (id: string) => Promise.resolve(recorded.some((o) => o.jobId === id)),
    record: (o: CopyOutcome) => {
      recorded.push(o);
      return Promise.resolve(true);
    },
  });

  it('records one failed outcome, and logs copy.failed with every id of the job', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob(w.data());
    const outcomes = store();
    await recordUnexpectedFailure(
      { ...job, attemptsMade: 3 },
      new Error('job stalled more than allowable limit'),
      outcomes,
      w.logger,
      () => T0,
    );
    expect(outcomes.recorded).toHaveLength(1);
    expect(w.events('copy.failed')[0]).toMatchObject({
      policy: 'gold',
      fileSystemId: SOURCE.fileSystemId,
      sourceBackupId: SOURCE.backupId,
      sourceRegion: 'us-east-1',
      destinationRegion: 'us-west-2',
      jobId: 'copy-job-1',
      attempt: 1,
      errorName: 'Error',
      errorMessage: 'job stalled more than allowable limit',
    });
  });

  it('leaves a job alone that will be retried, or that has its outcome already', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob(w.data());
    const outcomes = store();
    await recordUnexpectedFailure(job, new Error('Redis blipped'), outcomes, w.logger, () => T0);
    const done = store([{ jobId: 'copy-job-1' } as CopyOutcome]);
    await recordUnexpectedFailure(job, new UnrecoverableError('x'), done, w.logger, () => T0);
    expect(outcomes.recorded).toEqual([]);
    expect(done.recorded).toHaveLength(1);
    expect(w.events('copy.failed')).toEqual([]);
  });

  it('logs an unreadable job as InvalidJobData, with the ids it still has', async () => {
    const w = new CopyWorld();
    const { job } = fakeJob({ policy: 'gold', sourceBackupId: SOURCE.backupId });
    await recordUnexpectedFailure(
      job,
      new UnrecoverableError('InvalidJobData: …'),
      store(),
      w.logger,
      () => T0,
    );
    expect(w.events('copy.failed')[0]).toMatchObject({
      policy: 'gold',
      sourceBackupId: SOURCE.backupId,
      jobId: 'copy-job-1',
      attempt: 1,
      errorName: 'InvalidJobData',
      errorMessage: expect.stringContaining('job data has no') as string,
    });
  });
});

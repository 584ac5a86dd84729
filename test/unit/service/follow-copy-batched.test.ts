import { describe, expect, it } from 'vitest';
import type { CopyJobData } from '../../../src/copy/copy-job.js';
import type { CopyPoller, PollAnswer, PollRequest } from '../../../src/copy/ports.js';
import { processCopyJob } from '../../../src/service/process-copy-job.js';
import { CopyWorld, sdkError, T0 } from './fake-copy-world.js';

const INTERVAL = 30_000;

/** A poller that answers from a script at each request's due time, moving the world's clock there. */
class ScriptedPoller implements CopyPoller {
  readonly requests: PollRequest[] = [];
  constructor(
    private readonly w: CopyWorld,
    private readonly script: (PollAnswer | 'abort')[],
  ) {}

  poll(req: PollRequest, signal: AbortSignal): Promise<PollAnswer> {
    this.requests.push(req);
    const next = this.script.shift() ?? { kind: 'missing' };
    if (next === 'abort') {
      this.w.abort.abort();
      return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    }
    if (signal.aborted) return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    this.w.clock.now = Math.max(this.w.clock.now, req.dueAt);
    return Promise.resolve(next);
  }
}

const copying = (p: number): PollAnswer => ({
  kind: 'found',
  state: { backupId: 'backup-copy1', lifecycle: 'COPYING', progressPercent: p },
});
const available: PollAnswer = {
  kind: 'found',
  state: { backupId: 'backup-copy1', lifecycle: 'AVAILABLE', sizeInBytes: 1024 },
};

async function follow(w: CopyWorld, poller: CopyPoller, data: CopyJobData = w.data()) {
  return processCopyJob(
    { jobId: 'copy-job-1', data, attempt: 1, signal: w.abort.signal, saveData: () => Promise.resolve() },
    { ...w.ports(), poller },
  );
}

describe('followCopy with the shared poller (batched)', () => {
  it('waits through the poller, not by sleeping; first a poll interval after the start, then by progress', async () => {
    const w = new CopyWorld();
    const poller = new ScriptedPoller(w, [copying(0), copying(5), copying(60), copying(95), available]);
    const step = await follow(w, poller);
    expect(step).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    expect(w.sleeps).toEqual([]);
    const delays = poller.requests.map(
      (r, i) => r.dueAt - (i === 0 ? T0 : (poller.requests[i - 1]?.dueAt ?? 0)),
    );
    // No progress yet: an interval. At 60 s up to 6 %, and 0 % at 30 s: at most 6 % in 30 s, so 94 % take at least
    // 470 s; half of it. Then closing in on the end, and an interval at the end.
    expect(delays[0]).toBe(INTERVAL);
    expect(delays[1]).toBe(INTERVAL);
    expect(delays[2]).toBe(235_000);
    expect(delays[3]).toBeLessThan(8 * INTERVAL);
    expect(delays[4]).toBe(INTERVAL);
    // Each request may be served by a round up to an interval early, never before it was made.
    for (const r of poller.requests) expect(r.dueAt - r.earliestAt).toBeLessThanOrEqual(INTERVAL);
  });

  it('polls a copy resumed from an earlier run’s checkpoint at once', async () => {
    const w = new CopyWorld();
    const id = w.fsx.addCopy('COPYING');
    const poller = new ScriptedPoller(w, [available]);
    const data = w.data({
      checkpoint: { destinationBackupId: id, copyStartedAt: T0 - 60_000, reusedExistingCopy: false },
    });
    await expect(follow(w, poller, data)).resolves.toMatchObject({ kind: 'completed' });
    expect(poller.requests[0]).toMatchObject({ backupId: id, dueAt: T0, earliestAt: T0 });
  });

  it('missing twice in a row is DestinationCopyMissing; once is not', async () => {
    const w = new CopyWorld();
    const missing: PollAnswer = { kind: 'missing' };
    const once = new ScriptedPoller(w, [missing, copying(10), missing, available]);
    await expect(follow(w, once)).resolves.toMatchObject({ outcome: { status: 'succeeded' } });
    const w2 = new CopyWorld();
    const twice = new ScriptedPoller(w2, [copying(10), missing, missing]);
    await expect(follow(w2, twice)).resolves.toMatchObject({
      kind: 'failed',
      outcome: { errorName: 'DestinationCopyMissing' },
    });
  });

  it('a transient error of the batch is a poll error for the copy; a permanent one fails it', async () => {
    const w = new CopyWorld();
    const transient = new ScriptedPoller(w, [
      { kind: 'error', error: sdkError('ThrottlingException', 400) },
      available,
    ]);
    await expect(follow(w, transient)).resolves.toMatchObject({ outcome: { status: 'succeeded' } });
    expect(w.events('copy.poll_error')[0]).toMatchObject({ errorName: 'ThrottlingException' });
    const w2 = new CopyWorld();
    const denied = new ScriptedPoller(w2, [{ kind: 'error', error: sdkError('AccessDeniedException', 400) }]);
    await expect(follow(w2, denied)).resolves.toMatchObject({
      kind: 'failed',
      outcome: { errorName: 'AccessDeniedException' },
    });
  });

  it('a job shut down while it waits for the poller is handed back', async () => {
    const w = new CopyWorld();
    const poller = new ScriptedPoller(w, [copying(10), 'abort']);
    await expect(follow(w, poller)).resolves.toEqual({ kind: 'hand-back' });
    expect(w.store.outcomes.size).toBe(0);
  });

  it('never asks past the completion deadline', async () => {
    const w = new CopyWorld();
    const poller = new ScriptedPoller(
      w,
      Array.from({ length: 100 }, () => copying(1)),
    );
    const data = w.data({ completionDeadlineMs: 100_000 });
    await expect(follow(w, poller, data)).resolves.toMatchObject({ outcome: { status: 'expired' } });
    for (const r of poller.requests) expect(r.dueAt).toBeLessThanOrEqual(T0 + 100_000);
  });
});

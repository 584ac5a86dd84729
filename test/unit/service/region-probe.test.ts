import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_LIMITS } from '../../../src/copy/retry-policy.js';
import { processCopyJob } from '../../../src/service/process-copy-job.js';
import { RegionProbe, RegionProbes, type ProbePermit } from '../../../src/service/region-probe.js';
import { CopyWorld, sdkError } from './fake-copy-world.js';

const FULL = { name: 'ServiceLimitExceeded', message: 'full', limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' };
const SETTLE = 30_000;
const signal = () => new AbortController().signal;
const full = { kind: 'full', error: FULL, delayOf: (n: number) => 1_000 * 2 ** (n - 1) } as const;

describe('RegionProbe', () => {
  it('does not gate a Region that was not full lately', async () => {
    const p = new RegionProbe();
    const [a, b] = await Promise.all([p.admit(signal(), 0, SETTLE), p.admit(signal(), 0, SETTLE)]);
    expect([a.kind, b.kind]).toEqual(['go', 'go']);
  });

  it('after a refusal: pauses jobs taken within the pause, then lets one probe go and queues the others behind it', async () => {
    const p = new RegionProbe();
    const first = (await p.admit(signal(), 0, SETTLE)) as ProbePermit;
    expect(first.release(full, 0)).toBe(1_000);
    expect(p.fullsInRow).toBe(1);
    await expect(p.admit(signal(), 400, SETTLE)).resolves.toMatchObject({ kind: 'full', delayMs: 600 });

    const probe = (await p.admit(signal(), 1_000, SETTLE)) as ProbePermit;
    expect(probe.kind).toBe('go');
    let behind = 0;
    const queued = [p.admit(signal(), 1_001, SETTLE), p.admit(signal(), 1_002, SETTLE)];
    for (const q of queued) void q.then(() => (behind += 1));
    await Promise.resolve();
    expect(behind).toBe(0);
    // Still full: everyone behind the probe pauses for the probe's (doubled) pause, without a request of their own.
    expect(probe.release(full, 1_010)).toBe(2_000);
    expect(await Promise.all(queued)).toEqual([
      { kind: 'full', delayMs: 2_000, error: FULL },
      { kind: 'full', delayMs: 2_000, error: FULL },
    ]);
    expect(p.fullsInRow).toBe(2);
  });

  it('a probe that starts a copy resets the count and hands on to the next job, one at a time', async () => {
    const p = new RegionProbe();
    ((await p.admit(signal(), 0, SETTLE)) as ProbePermit).release(full, 0);
    const probe = (await p.admit(signal(), 1_000, SETTLE)) as ProbePermit;
    const next = p.admit(signal(), 1_001, SETTLE);
    probe.release({ kind: 'started' }, 1_005);
    expect(p.fullsInRow).toBe(0);
    const second = (await next) as ProbePermit;
    expect(second.kind).toBe('go');
    // Soon after a refusal, a job that arrives now goes after the one in flight, not beside it.
    let third: unknown;
    void p.admit(signal(), 1_006, SETTLE).then((a) => (third = a));
    await Promise.resolve();
    expect(third).toBeUndefined();
    second.release({ kind: 'other' }, 1_010);
    await Promise.resolve();
    expect(third).toMatchObject({ kind: 'go' });
  });

  it('counts refusals of one moment once', async () => {
    const p = new RegionProbe();
    const permits = (await Promise.all([0, 1, 2].map(() => p.admit(signal(), 0, SETTLE)))) as ProbePermit[];
    for (const permit of permits) permit.release(full, 5);
    expect(p.fullsInRow).toBe(1);
  });

  it('a job that leaves while queued behind the probe is dropped', async () => {
    const p = new RegionProbe();
    ((await p.admit(signal(), 0, SETTLE)) as ProbePermit).release(full, 0);
    const probe = (await p.admit(signal(), 1_000, SETTLE)) as ProbePermit;
    const leaving = new AbortController();
    const waiting = p.admit(leaving.signal, 1_001, SETTLE);
    leaving.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    probe.release({ kind: 'started' }, 1_002);
    await expect(p.admit(signal(), 1_003, SETTLE)).resolves.toMatchObject({ kind: 'go' });
  });
});

describe('processCopyJob with the adaptive Region-full probe', () => {
  const refusal = () => sdkError('ServiceLimitExceeded', 400, { Limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS' });
  const job = (w: CopyWorld, probes: RegionProbes, n: number) =>
    processCopyJob(
      {
        jobId: `copy-job-${n}`,
        data: w.data(),
        attempt: 1,
        signal: w.abort.signal,
        saveData: () => Promise.resolve(),
      },
      { ...w.ports(), regionProbes: probes },
    );

  it('pauses about a poll interval first, doubling to two intervals while the Region stays full, and from the start after a copy starts', async () => {
    const w = new CopyWorld(); // poll interval 30 s, random 0.5: each pause is 3/4 of the doubled base
    w.limits = { ...DEFAULT_RETRY_LIMITS, regionFullDelayMs: 120_000 };
    const probes = new RegionProbes();
    const pauses: number[] = [];
    for (let n = 1; n <= 4; n += 1) {
      w.fsx.copyBackupScript = [refusal()];
      const step = await job(w, probes, n);
      expect(step.kind).toBe('pause-region');
      if (step.kind === 'pause-region') pauses.push(step.delayMs);
      w.clock.now += 200_000; // past the pause: the next job probes
    }
    expect(pauses).toEqual([22_500, 45_000, 45_000, 45_000]);
    expect(w.events('copy.retry').map((l) => l['delayMs'])).toEqual(pauses);
    w.fsx.copyBackupScript = [];
    expect((await job(w, probes, 5)).kind).toBe('completed');
    w.store.copied.clear(); // the next job's copy is not made yet (that copy was deleted)
    w.fsx.copies.clear();
    w.fsx.copyBackupScript = [refusal()];
    await expect(job(w, probes, 6)).resolves.toEqual({ kind: 'pause-region', delayMs: 22_500 });
  });

  it('a job taken during the pause pauses for the rest of it without a CopyBackup', async () => {
    const w = new CopyWorld();
    const probes = new RegionProbes();
    w.fsx.copyBackupScript = [refusal()];
    await job(w, probes, 1);
    w.clock.now += 10_000;
    await expect(job(w, probes, 2)).resolves.toEqual({ kind: 'pause-region', delayMs: 12_500 });
    expect(w.fsx.count('CopyBackup')).toBe(1);
    expect(w.events('copy.retry')[1]).toMatchObject({ reason: 'destination Region full', delayMs: 12_500 });
  });

  it('the fixed probe pauses FSXDR_REGION_FULL_DELAY every time', async () => {
    const w = new CopyWorld();
    w.limits = { ...DEFAULT_RETRY_LIMITS, regionFullProbe: 'fixed' };
    const probes = new RegionProbes();
    for (let n = 1; n <= 3; n += 1) {
      w.fsx.copyBackupScript = [refusal()];
      await expect(job(w, probes, n)).resolves.toEqual({
        kind: 'pause-region',
        delayMs: DEFAULT_RETRY_LIMITS.regionFullDelayMs,
      });
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../../simulator/src/index.js';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { eventually } from '../../support/service-process.js';

const REGION = 'us-west-2';

/** DescribeBackups by id in the destination: the polls of copies in flight (the look-up lists with a filter). */
function polls(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter(
    (r) => r.region === REGION && r.operation === 'DescribeBackups' && idsOf(r).length > 0,
  );
}

function idsOf(r: RecordedRequest): string[] {
  const ids = (r.params as { BackupIds?: unknown } | undefined)?.BackupIds;
  return Array.isArray(ids) ? (ids as string[]) : [];
}

describe('polling copies in flight (FSXDR_POLL), FSx simulator, real SDK', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Five copies of 2 to 3.2 s into one Region (all in flight at once), polled every `intervalMs`. */
  async function runFive(pollMode: 'batched' | 'per-copy', intervalMs: number) {
    const ends = new Map<string, number>();
    h = await PipelineHarness.start({
      copyDuration: (c) => {
        const d = 2_000 + (c.sequence % 5) * 300;
        ends.set(c.destinationBackupId, c.startedAt + d);
        return d;
      },
    });
    const ids = Array.from({ length: 5 }, (_, i) => fsId(300 + i));
    h.seed(ids);
    const config = await h.policyFile(
      [{ fileSystemIds: ids, destinations: [REGION] }],
      `pollInterval: ${intervalMs}ms`,
    );
    const svc = h.run(config, 'all', { FSXDR_POLL: pollMode });
    const outcomes = await h.waitForOutcomes(5);
    await svc.stop();
    const lateBy = outcomes.map(
      (o) => Date.parse(o.finishedAt) - (ends.get(o.destinationBackupId ?? '') ?? NaN),
    );
    const result = {
      statuses: outcomes.map((o) => o.status),
      describePerCopy: polls(h.sim.requests).length / 5,
      largestBatch: Math.max(...polls(h.sim.requests).map((r) => idsOf(r).length)),
      worstLateMs: Math.max(...lateBy),
    };
    await h.close();
    h = undefined;
    return result;
  }

  it('batched: fewer DescribeBackups per copy than per-copy polling, each end still seen within about an interval', async () => {
    const intervalMs = 250;
    const perCopy = await runFive('per-copy', intervalMs);
    const batched = await runFive('batched', intervalMs);
    console.info(
      `DescribeBackups per copy: per-copy ${perCopy.describePerCopy}, batched ${batched.describePerCopy}`,
    );
    console.info(
      `latest end seen (ms after the end): per-copy ${perCopy.worstLateMs}, batched ${batched.worstLateMs}`,
    );
    for (const run of [perCopy, batched]) expect(run.statuses).toEqual(Array(5).fill('succeeded'));
    expect(perCopy.largestBatch).toBe(1);
    expect(batched.largestBatch).toBeGreaterThan(1);
    // About one call per copy per interval (9 to 14 intervals each) against a few rounds for all five.
    expect(perCopy.describePerCopy).toBeGreaterThanOrEqual(8);
    expect(batched.describePerCopy).toBeLessThanOrEqual(perCopy.describePerCopy / 3);
    // Seen within an interval of the end, plus what a loaded machine adds (the call, the timer, the record).
    for (const run of [perCopy, batched]) {
      expect(run.worstLateMs).toBeGreaterThanOrEqual(0);
      expect(run.worstLateMs).toBeLessThanOrEqual(intervalMs + 300);
    }
  });

  it('a batch that meets BackupNotFound still follows the other copies to success, and the gone one is missing', async () => {
    // Deleted backups vanish at once: the next batch naming the copy fails whole with BackupNotFound.
    h = await PipelineHarness.start({ copyDuration: 3_000, deletedVisibleMs: 0 });
    const ids = Array.from({ length: 3 }, (_, i) => fsId(400 + i));
    const backups = h.seed(ids);
    const config = await h.policyFile([{ fileSystemIds: ids, destinations: [REGION] }]);
    const svc = h.run(config);
    await svc.waitForEvents('copy.started', 3);
    await eventually('a poll of all three copies together', () =>
      polls(h!.sim.requests).some((r) => idsOf(r).length === 3),
    );
    const victim = h.sim.copiesOf(backups[0] ?? '', REGION)[0]?.backupId ?? '';
    const deletedAt = h.sim.clock.now();
    h.sim.setLifecycle(REGION, victim, 'DELETED');

    const outcomes = await h.waitForOutcomes(3);
    const byBackup = new Map(outcomes.map((o) => [o.sourceBackupId, o]));
    expect(byBackup.get(backups[0] ?? '')).toMatchObject({
      status: 'failed',
      errorName: 'DestinationCopyMissing',
      destinationBackupId: victim,
    });
    for (const b of backups.slice(1)) {
      expect(byBackup.get(b)?.status).toBe('succeeded');
      expect(h.sim.copiesOf(b, REGION)).toHaveLength(1);
    }
    const after = polls(h.sim.requests).filter((r) => r.time >= deletedAt);
    // The batch failed whole, its halves were asked, and the lone gone copy twice in a row (missing twice).
    expect(after.some((r) => idsOf(r).length > 1 && r.errorName === 'BackupNotFound')).toBe(true);
    expect(after.filter((r) => idsOf(r).join() === victim && r.errorName === 'BackupNotFound').length).toBe(
      2,
    );
    // The others were read after the deletion, in calls that answered.
    for (const b of backups.slice(1)) {
      const copy = h.sim.copiesOf(b, REGION)[0]?.backupId ?? '';
      expect(after.some((r) => r.status === 200 && idsOf(r).includes(copy))).toBe(true);
    }
    await svc.stop();
    expect(svc.events('copy.failed')).toHaveLength(1);
  });

  it('after Region-full, the next probe goes out within about a poll interval of a slot freeing, one at a time', async () => {
    // Long enough that the worker's own work (a fetch, a CopyBackup) is small beside it on a busy machine.
    const intervalMs = 1_000;
    h = await PipelineHarness.start({ copyDuration: 6_000 });
    const ids = Array.from({ length: 4 }, (_, i) => fsId(500 + i));
    const backups = h.seed(ids);
    const foreign = h.sim.addForeignCopies(REGION, 5);
    const config = await h.policyFile(
      [{ fileSystemIds: ids, destinations: [REGION] }],
      `pollInterval: ${intervalMs}ms`,
    );
    // A fixed pause would wait 5 s each time; the adaptive probe starts at about the poll interval.
    const svc = h.run(config, 'all', { FSXDR_REGION_FULL_DELAY: '5s' });
    const refusals = () => h!.copyRequests(REGION).filter((r) => r.errorName === 'ServiceLimitExceeded');
    await eventually('the Region refused a copy', () => refusals().length > 0);

    h.sim.setLifecycle(REGION, foreign[0] ?? '', 'AVAILABLE');
    const freedAt = h.sim.clock.now();
    await eventually('a copy started in the freed slot', () => h!.sim.inFlight(REGION).service === 1);
    const probe = h.copyRequests(REGION).find((r) => r.time >= freedAt);
    expect(probe).toBeDefined();
    console.info(`first CopyBackup ${(probe?.time ?? 0) - freedAt} ms after a slot freed`);
    // The pause is at most two intervals (jittered within [d/2, d]) however long the Region was full, and a worker
    // that found its queue empty meanwhile looks again within its one-second drain delay.
    expect((probe?.time ?? Infinity) - freedAt).toBeLessThanOrEqual(2 * intervalMs + 1_000 + 500);

    // Full again (four foreign copies and the service's own): refusals come one at a time, further and further apart.
    const refusedSince = () => refusals().filter((r) => r.time >= freedAt);
    await eventually('four refusals since', () => refusedSince().length >= 4, 30_000);
    const times = refusedSince().map((r) => r.time);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    // One probe at a time: never two refusals closer than the shortest pause.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(intervalMs / 2 - 20);
    const pauses = svc
      .events('copy.retry')
      .filter((l) => l['reason'] === 'destination Region full')
      .map((l) => l['delayMs'] as number);
    // It starts near the interval, grows while the Region stays full, and stays within two intervals.
    expect(pauses.every((d) => d <= 2 * intervalMs)).toBe(true);
    expect(pauses.some((d) => d <= intervalMs)).toBe(true);
    expect(Math.max(...pauses)).toBeGreaterThan(intervalMs);

    for (const id of foreign.slice(1)) h.sim.setLifecycle(REGION, id, 'AVAILABLE');
    const outcomes = await h.waitForOutcomes(4, 60_000);
    expect(outcomes.map((o) => o.status)).toEqual(Array(4).fill('succeeded'));
    for (const b of backups) expect(h.sim.copiesOf(b, REGION)).toHaveLength(1);
    expect(h.sim.peakInFlight(REGION).total).toBeLessThanOrEqual(5);
    expect(h.overAdmissions()).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../../src/copy/outcome.js';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { runCli, writePolicyFile } from '../../support/service-process.js';

const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const H = 3_600_000;

/** A copy the pair already has in the destination, made `ageMs` ago (by recovery point). */
function previousCopy(fileSystemId: string, policy: string, ageMs: number, now: number): CopyOutcome {
  const iso = new Date(now - ageMs).toISOString();
  return {
    status: 'succeeded',
    jobId: `seeded-${fileSystemId}`,
    policy,
    fileSystemId,
    sourceRegion: SOURCE,
    sourceBackupId: `backup-0${fileSystemId.slice(3)}`,
    sourceCreatedAt: iso,
    destinationRegion: DEST,
    destinationBackupId: `backup-1${fileSystemId.slice(3)}`,
    attempts: 1,
    enqueuedAt: iso,
    finishedAt: iso,
  };
}

/**
 * Urgency-first admission through `fsx-dr run`: copies waiting for one Region's slots start by their pair's RPO
 * deadline, not in plan order. One slot (maxInFlightPerRegion 1), so the start order is the admission order.
 */
describe.each(['urgency', 'fifo'] as const)('admission %s (fsx-dr run, simulator, real SDK)', (admission) => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('starts waiting copies in the order admission says, and status lists them in that order', async () => {
    h = await PipelineHarness.start();
    const now = Date.now();
    // Plan order is fs1..fs6 (policy order, then file system order). Deadlines: fs2 has no copy yet; fs3 is due in
    // 30 min, fs1 in 1 h, fs4 in 25 h; fs5 and fs6 have no rpo, fs6's newest copy being the older.
    const pairs = [
      { fs: fsId(1), policy: 'tight', ageMs: 1 * H },
      { fs: fsId(2), policy: 'tight' },
      { fs: fsId(3), policy: 'daily', ageMs: 25.5 * H },
      { fs: fsId(4), policy: 'daily', ageMs: 1 * H },
      { fs: fsId(5), policy: 'archive', ageMs: 3 * H },
      { fs: fsId(6), policy: 'archive', ageMs: 10 * H },
    ];
    const backups = h.seed(pairs.map((p) => p.fs));
    const fileSystemOf = new Map(backups.map((b, i) => [b, pairs[i]?.fs]));
    for (const p of pairs) {
      if (p.ageMs === undefined) continue;
      const copy = previousCopy(p.fs, p.policy, p.ageMs, now);
      await h.store.record(copy, `seeded.${p.fs}`, now - p.ageMs);
    }
    const ids = (from: number, to: number) =>
      pairs
        .slice(from, to)
        .map((p) => p.fs)
        .join(', ');
    const config = await writePolicyFile(`settings:
  pollInterval: 100ms
  maxInFlightPerRegion: 1
policies:
  - name: tight
    schedule: "0 * * * *"
    rpo: 2h
    source: { region: ${SOURCE}, fileSystemIds: [${ids(0, 2)}] }
    destinations: [{ region: ${DEST} }]
  - name: daily
    schedule: "0 * * * *"
    rpo: 26h
    source: { region: ${SOURCE}, fileSystemIds: [${ids(2, 4)}] }
    destinations: [{ region: ${DEST} }]
  - name: archive
    schedule: "0 * * * *"
    source: { region: ${SOURCE}, fileSystemIds: [${ids(4, 6)}] }
    destinations: [{ region: ${DEST} }]
`);
    const env = { FSXDR_ADMISSION: admission };
    // The scheduler plans all three slots before any worker runs: every copy waits, and admission alone decides.
    const scheduler = h.run(config, 'scheduler', env);
    await scheduler.waitForEvents('schedule.planned', 3);
    const status = await runCli(['status', '--config', config, '--json'], h.env(env));
    const regions = (
      JSON.parse(status.stdout) as { regions: { region: string; next: { fileSystemId: string }[] }[] }
    ).regions;
    const shown = regions.find((r) => r.region === DEST)?.next.map((c) => c.fileSystemId) ?? [];
    const text = await runCli(['status', '--config', config], h.env(env));
    expect(text.stdout).toContain('Waiting copies, in the order they start:');

    h.run(config, 'worker', env);
    // Five seeded records (fs2 has none) and the six new copies.
    await h.waitForOutcomes(11);
    const started = h
      .copyRequests(DEST)
      .map((r) => fileSystemOf.get((r.params as { SourceBackupId: string }).SourceBackupId));
    // What status listed is the order the copies started in.
    expect(started).toEqual(shown);
    if (admission === 'urgency') {
      // By deadline, whichever of the three slots (planned two at a time) enqueued first.
      expect(started).toEqual([fsId(2), fsId(3), fsId(1), fsId(4), fsId(6), fsId(5)]);
    } else {
      // In the order planned: each policy's file systems in its order (the three slots plan two at a time, so the
      // policies' copies may interleave).
      const order = (ids: readonly (string | undefined)[]) => started.filter((id) => ids.includes(id));
      expect(started).toHaveLength(6);
      const byPolicy: readonly (readonly [number, number])[] = [
        [1, 2],
        [3, 4],
        [5, 6],
      ];
      for (const [a, b] of byPolicy) expect(order([fsId(a), fsId(b)])).toEqual([fsId(a), fsId(b)]);
    }
  });
});

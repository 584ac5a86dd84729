import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { topologiesUnderTest } from '../../support/redis-topology.js';
import { eventually, runCli } from '../../support/service-process.js';

describe.each(topologiesUnderTest())(
  'copies through fsx-dr run (%s Redis, FSx simulator, real SDK)',
  (topology) => {
    let h: PipelineHarness | undefined;
    afterEach(async () => {
      await h?.close();
      h = undefined;
    });

    it('copies 30 file systems to 2 Regions exactly once, never more than 5 in flight, with 3 worker processes', async () => {
      // On the simulator's manual clock no copy ends until the test moves time: however slowly a busy machine starts
      // the copies, all five slots of each Region fill before the first one frees.
      h = await PipelineHarness.start(
        { clock: 'manual', copyDuration: (c) => 150 + (c.sequence % 5) * 50 },
        {},
        topology,
      );
      const ids = Array.from({ length: 30 }, (_, i) => fsId(i + 1));
      const backups = h.seed(ids);
      const config = await h.policyFile([
        { name: 'prod', fileSystemIds: ids, destinations: ['us-west-2', 'eu-west-1'] },
      ]);
      const workers = [1, 2, 3].map(() => h!.run(config, 'worker'));
      await Promise.all(workers.map((w) => w.waitForEvent('worker.started')));
      const scheduler = h.run(config, 'scheduler');
      const regions = ['us-west-2', 'eu-west-1'];
      await eventually('five copies in flight in each Region', () =>
        regions.every((r) => h!.sim.inFlight(r).service === 5),
      );

      // Time moves on, 100 simulated ms per look, until every copy has ended.
      await eventually('60 outcomes', async () => {
        h!.sim.clock.advance(100);
        return (await h!.outcomes()).length >= 60;
      });
      const outcomes = await h.outcomes();
      expect(outcomes).toHaveLength(60);
      expect(outcomes.every((o) => o.status === 'succeeded')).toBe(true);
      for (const region of regions) {
        for (const b of backups) expect(h.sim.copiesOf(b, region)).toHaveLength(1);
        expect(h.sim.peakInFlight(region).total).toBeLessThanOrEqual(5);
        // The pool was used: with 30 copies waiting, five ran at once at some point.
        expect(h.sim.peakInFlight(region).service).toBe(5);
      }
      expect(h.copyRequests()).toHaveLength(60);
      expect(h.overAdmissions()).toHaveLength(0);
      // The work spread over the three worker processes, and each success was logged once with its ids: counted
      // once 60 lines are in and every process has closed its output, so that none is still on its way.
      const succeeded = () => workers.flatMap((w) => w.events('copy.succeeded'));
      await eventually('60 copy.succeeded lines', () => succeeded().length >= 60);
      await Promise.all([scheduler, ...workers].map((p) => p.stop()));
      expect(succeeded()).toHaveLength(60);
      expect(workers.filter((w) => w.events('copy.succeeded').length > 0).length).toBeGreaterThan(1);
      expect(succeeded()[0]).toMatchObject({
        policy: 'prod',
        sourceRegion: 'us-east-1',
        sourceBackupId: expect.stringMatching(/^backup-/) as string,
        destinationRegion: expect.stringMatching(/^(us-west-2|eu-west-1)$/) as string,
        destinationBackupId: expect.stringMatching(/^backup-/) as string,
        jobId: expect.stringMatching(/^copy-/) as string,
        attempt: 1,
      });

      // What the operator sees.
      const cli = await runCli(['outcomes', '--json', '--limit', '100'], h.env());
      expect(cli.code).toBe(0);
      const listed = JSON.parse(cli.stdout) as { status: string; finishedAt: string }[];
      expect(listed).toHaveLength(60);
      const times = listed.map((o) => o.finishedAt);
      expect([...times].sort().reverse()).toEqual(times);
      const table = await runCli(['outcomes', '--limit', '5', '--policy', 'prod'], h.env());
      expect(table.stdout.split('\n')[0]).toMatch(/^FINISHED\s+STATUS\s+POLICY/);
      expect(table.stdout.trim().split('\n')).toHaveLength(6);

      const cluster = h.deployment.cluster;
      if (cluster) {
        // Every key the service wrote, BullMQ's included, is under the hash tag, on one node, in one slot.
        const perNode = await cluster.keysPerNode(`*${h.deployment.prefix}*`);
        const keys = [...perNode.values()].flat();
        expect(keys.length).toBeGreaterThan(100);
        expect(keys.every((k) => k.startsWith(`${h?.deployment.keyPrefix}:`))).toBe(true);
        expect([...perNode.values()].filter((k) => k.length > 0)).toHaveLength(1);
        const sample = [...new Set([keys[0], ...keys.filter((k) => !k.includes(':copy-')).slice(0, 20)])];
        const slots = await Promise.all(sample.map((k) => cluster.keySlot(k ?? '')));
        expect(new Set(slots).size).toBe(1);
      }
    });
  },
);

describe('copies through fsx-dr run, Region full', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('retries ServiceLimitExceeded while foreign copies hold the Region, and never sends a sixth of its own', async () => {
    // On the simulator's manual clock the three foreign copies hold their slots until the test moves time, however
    // long the service takes to start: FSx must refuse some of its copies first.
    h = await PipelineHarness.start({ clock: 'manual', copyDuration: 300 });
    const ids = Array.from({ length: 8 }, (_, i) => fsId(100 + i));
    const backups = h.seed(ids);
    h.sim.addForeignCopies('us-west-2', 3, 1_500);
    const config = await h.policyFile([{ fileSystemIds: ids, destinations: ['us-west-2'] }]);
    const svc = h.run(config);
    const refused = () => h!.copyRequests('us-west-2').filter((r) => r.errorName === 'ServiceLimitExceeded');
    await eventually(
      'two copies admitted beside the three foreign ones, and one refused',
      () => refused().length > 0 && h!.sim.inFlight('us-west-2').service === 2,
    );
    expect(h.sim.inFlight('us-west-2')).toMatchObject({ total: 5, foreign: 3 });

    // Time moves on, 300 simulated ms per look: the foreign copies end, and the service's copies in turn.
    await eventually('8 outcomes', async () => {
      h!.sim.clock.advance(300);
      return (await h!.outcomes()).length >= 8;
    });
    const outcomes = await h.outcomes();
    expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('succeeded'));
    for (const b of backups) expect(h.sim.copiesOf(b, 'us-west-2')).toHaveLength(1);
    // The retries were logged before the successes: once those lines are in, theirs are.
    await svc.waitForEvents('copy.succeeded', 8);
    expect(
      svc.events('copy.retry').filter((l) => l['errorName'] === 'ServiceLimitExceeded').length,
    ).toBeGreaterThan(0);
    expect(h.sim.peakInFlight('us-west-2').total).toBeLessThanOrEqual(5);
    expect(h.overAdmissions()).toHaveLength(0);
    // Region-full retries spend no attempts: nothing failed (counted once the process has closed its output).
    await svc.stop();
    expect(svc.events('copy.failed')).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { topologiesUnderTest } from '../../support/redis-topology.js';
import { eventually } from '../../support/service-process.js';

describe.each(topologiesUnderTest())('a crash on %s Redis', (topology) => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a worker killed with SIGKILL mid-copy and restarted leaves no duplicate and no loss', async () => {
    // Copies long enough that all four are still running in FSx when the worker is killed, even on a loaded machine.
    h = await PipelineHarness.start({ copyDuration: 5_000 }, {}, topology);
    const ids = Array.from({ length: 4 }, (_, i) => fsId(10 + i));
    const backups = h.seed(ids);
    const config = await h.policyFile([{ fileSystemIds: ids, destinations: ['us-west-2'] }]);
    const first = h.run(config);
    await first.waitForEvents('copy.started', 4);
    await first.stop('SIGKILL');
    expect(h.sim.inFlight('us-west-2').service).toBe(4);

    const second = h.run(config);
    const outcomes = await h.waitForOutcomes(4, 30_000);
    expect(outcomes.map((o) => o.status)).toEqual(Array(4).fill('succeeded'));
    for (const b of backups) expect(h.sim.copiesOf(b, 'us-west-2')).toHaveLength(1);
    // The new process attached to the copies the killed one had started: it sent no CopyBackup of its own.
    expect(h.copyRequests()).toHaveLength(4);
    await second.waitForEvents('copy.succeeded', 4);
    await second.stop();
    expect(second.events('copy.started')).toHaveLength(0);
    expect(second.events('copy.succeeded')).toHaveLength(4);
    expect(outcomes.every((o) => o.attempts >= 2)).toBe(true);
  });
});

describe('crashes, deploys and restarts', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('SIGTERM exits within 10 s, hands the copy back, and a new process finishes it without a new CopyBackup', async () => {
    h = await PipelineHarness.start({ copyDuration: 4_000 });
    const [source] = h.seed([fsId(20)]);
    const config = await h.policyFile([{ fileSystemIds: [fsId(20)], destinations: ['us-west-2'] }]);
    const first = h.run(config);
    await first.waitForEvent('copy.started');
    const { code, tookMs } = await first.stop('SIGTERM');
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(first.events('copy.handed_back')).toHaveLength(1);
    expect(first.events('service.stopped')).toHaveLength(1);
    expect(await h.outcomes()).toHaveLength(0);

    const second = h.run(config);
    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'succeeded', sourceBackupId: source });
    expect(h.copyRequests()).toHaveLength(1);
    await second.waitForEvents('copy.succeeded', 1);
    await second.stop();
    expect(second.events('copy.started')).toHaveLength(0);
    expect(h.sim.copiesOf(source!, 'us-west-2')).toHaveLength(1);
  });

  it('finishes copies of a Region that a restart with a new config no longer lists', async () => {
    h = await PipelineHarness.start({ copyDuration: 3_000 });
    const [source] = h.seed([fsId(60)]);
    h.seed([fsId(61)]);
    const first = h.run(await h.policyFile([{ fileSystemIds: [fsId(60)], destinations: ['us-west-2'] }]));
    await first.waitForEvent('copy.started');
    await first.stop('SIGTERM');
    // The new config copies elsewhere; the handed-back copy to us-west-2 must still be followed to its end.
    const second = h.run(
      await h.policyFile([{ name: 'other', fileSystemIds: [fsId(61)], destinations: ['eu-west-1'] }]),
    );
    const outcomes = await h.waitForOutcomes(2, 20_000);
    expect(outcomes.find((o) => o.destinationRegion === 'us-west-2')).toMatchObject({
      status: 'succeeded',
      sourceBackupId: source,
    });
    expect((await second.waitForEvent('worker.started'))['regions']).toEqual(['eu-west-1', 'us-west-2']);
    expect(h.copyRequests('us-west-2')).toHaveLength(1);
  });

  it('two scheduler processes fire each slot once', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    const ids = [fsId(30), fsId(31)];
    h.seed(ids);
    const config = await h.policyFile([
      { name: 'every-second', schedule: '* * * * * *', fileSystemIds: ids, destinations: ['us-west-2'] },
    ]);
    const schedulers = [h.run(config, 'scheduler'), h.run(config, 'scheduler')];
    h.run(config, 'worker');
    const planned = (): string[] =>
      schedulers.flatMap((s) => s.events('schedule.planned')).map((l) => String(l['slot']));
    // Slots count from the moment both schedulers run: only those were contested.
    await Promise.all(schedulers.map((s) => s.waitForEvent('scheduler.started')));
    const before = planned().length;
    await eventually('4 slots planned while both schedulers ran', () => planned().length >= before + 4);
    await Promise.all(schedulers.map((s) => s.stop('SIGTERM')));
    // Both backups were copied at the first slot; later slots found them copied.
    await h.waitForOutcomes(2);

    expect(planned().length).toBeGreaterThanOrEqual(before + 4);
    expect(new Set(planned()).size).toBe(planned().length);
    // Each slot listed the source once: one DescribeBackups per planned slot, not one per scheduler.
    const listings = h.sim.requests.filter(
      (r) => r.operation === 'DescribeBackups' && r.region === 'us-east-1',
    );
    expect(listings).toHaveLength(planned().length);
    // Both backups copied once, though every slot asked for them.
    expect(h.copyRequests()).toHaveLength(2);
  });

  it('catches up slots missed while nothing ran: one plan at start, from the newest backup', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(40), type: 'OPENZFS' });
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(40), creationTime: Date.now() - 120_000 });
    const config = await h.policyFile([
      { name: 'every-2s', schedule: '*/2 * * * * *', fileSystemIds: [fsId(40)], destinations: ['us-west-2'] },
    ]);
    const first = h.run(config);
    await h.waitForOutcomes(1);
    await first.stop('SIGTERM');

    // Down across several fire times; meanwhile a newer backup and an even newer one appear.
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(40), creationTime: Date.now() - 60_000 });
    const newest = h.sim.addBackup({
      region: 'us-east-1',
      fileSystemId: fsId(40),
      creationTime: Date.now() - 1_000,
    });
    // Two fire times (every 2 s) past the last slot the first process fired: the restart has missed slots.
    const lastFired = Math.max(...first.events('schedule.fired').map((l) => Date.parse(String(l['slot']))));
    expect(lastFired).toBeGreaterThan(0);
    await eventually('two fire times missed', () => Date.now() > lastFired + 4_000, 10_000);

    const second = h.run(config);
    const caughtUp = await second.waitForEvent('schedule.fired');
    expect(caughtUp).toMatchObject({ catchUp: true });
    const outcomes = await h.waitForOutcomes(2);
    expect(outcomes[0]).toMatchObject({ status: 'succeeded', sourceBackupId: newest });
    await second.stop();
    // One catch-up fire for all missed slots, then the schedule goes on.
    expect(second.events('schedule.fired').filter((l) => l['catchUp'] === true)).toHaveLength(1);
    expect(h.copyRequests()).toHaveLength(2);
  });

  it('starts while Redis is down (and says so), then survives a Redis restart mid-copy', async () => {
    h = await PipelineHarness.start({ copyDuration: 2_500 }, { forcePrivate: true, appendonly: true });
    const ids = [fsId(50), fsId(51), fsId(52)];
    const backups = h.seed(ids);
    const config = await h.policyFile([{ fileSystemIds: ids, destinations: ['us-west-2'] }]);
    await h.redis.halt();
    const svc = h.run(config);
    await svc.waitForEvent('redis.unavailable', 10_000);
    await h.redis.resume();
    await svc.waitForEvents('copy.started', 3);
    await h.redis.restart(500);
    expect(h.redis.private).toBe(true);
    const outcomes = await h.waitForOutcomes(3, 30_000);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const b of backups) expect(h.sim.copiesOf(b, 'us-west-2')).toHaveLength(1);
    expect(h.copyRequests()).toHaveLength(3);
    // Both outages were seen and ridden out: at start, and the restart mid-copy.
    await svc.waitForEvents('redis.unavailable', 2);
    await svc.waitForEvents('redis.ready', 2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';

/**
 * Found by `npm run chaos -- --redis cluster`: a worker process started while the cluster node that holds the
 * service's slot was down exited with "Connection is closed" (the scan for copy queues went to a node connection
 * that does not wait). It must wait for the node, as it waits for a single Redis, then work.
 */
describe('a cluster node restart', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a worker started while the node of the slot is down waits for it, then copies', async () => {
    h = await PipelineHarness.start({ copyDuration: 200 }, { appendonly: true }, 'cluster');
    const cluster = h.deployment.cluster;
    if (!cluster) throw new Error('no cluster');
    const [first, second] = h.seed([fsId(1), fsId(2)]);
    const config = await h.policyFile([
      { schedule: '*/2 * * * * *', fileSystemIds: [fsId(1), fsId(2)], destinations: ['us-west-2'] },
    ]);
    // A first run leaves the copy queue (and its meta key) in Redis for the next start to discover.
    const once = h.run(config);
    await h.waitForOutcomes(2);
    await once.stop('SIGTERM');
    const third = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1) });

    const node = cluster.nodeForSlot(await cluster.keySlot(`${h.deployment.keyPrefix}:outcomes`));
    await node.kill('SIGKILL');
    const worker = h.run(config, 'worker');
    const scheduler = h.run(config, 'scheduler');
    await worker.waitForEvent('redis.unavailable');
    await node.launch();
    await worker.waitForEvent('worker.started', 30_000);
    const outcomes = await h.waitForOutcomes(3, 30_000);
    expect(outcomes.every((o) => o.status === 'succeeded')).toBe(true);
    expect(worker.child.exitCode).toBeNull();
    expect(scheduler.child.exitCode).toBeNull();
    expect(h.sim.copiesOf(first ?? '', 'us-west-2')).toHaveLength(1);
    expect(h.sim.copiesOf(second ?? '', 'us-west-2')).toHaveLength(1);
    expect(h.sim.copiesOf(third, 'us-west-2')).toHaveLength(1);
  });
});

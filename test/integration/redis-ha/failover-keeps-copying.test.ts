import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { eventually, type ServiceProcess } from '../../support/service-process.js';

async function get(
  p: ServiceProcess,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const port = Number((await p.waitForEvent('http.listening'))['port']);
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function status(p: ServiceProcess, path: string): Promise<number> {
  return (await get(p, path)).status;
}

/**
 * The promise of issue 12, on Sentinel: when the primary dies mid-run, the service does not just stay alive, it
 * keeps copying. Copies in flight at the kill finish, and copies of backups that appear after the promotion are
 * planned, started and finished on the new primary, each once, with one `redis.failover` line per process.
 */
describe('a Redis failover in the middle of copying (Sentinel)', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps copying: copies in flight finish, and new copies start and finish after the promotion', async () => {
    h = await PipelineHarness.start({ copyDuration: 1_500 }, {}, 'sentinel');
    const sentinel = h.deployment.sentinel;
    if (!sentinel) throw new Error('no sentinel');
    const ids = Array.from({ length: 6 }, (_, i) => fsId(i + 1));
    const before = h.seed(ids);
    const config = await h.policyFile([
      { name: 'often', schedule: '*/2 * * * * *', fileSystemIds: ids, destinations: ['us-west-2'] },
    ]);
    const services = [h.run(config), h.run(config)];
    await Promise.all(services.map((s) => s.waitForEvent('worker.started')));
    // Both processes know the first primary: a failover is a change from the node a process has written to, so
    // one that had not yet learnt where it writes (a busy machine delays that past its workers' start) would see
    // the promoted node as its first, and rightly log no failover.
    const first = await sentinel.waitUntilHealthy();
    for (const s of services) {
      await eventually(
        'each process writes to the first primary',
        async () => (await get(s, '/readyz')).body['primary'] === `127.0.0.1:${first.port}`,
      );
    }
    // Kill the primary while copies are in flight in FSx.
    await eventually('copies in flight', () => h?.sim.inFlight('us-west-2').service === 5);
    const { killed, primary } = await sentinel.killPrimary();
    expect(killed).toBe(first);
    const promotedAt = Date.now();
    expect(primary).not.toBe(killed);

    // Backups that appear after the promotion: their copies can only start on the new primary.
    const after = ids.map((fileSystemId) =>
      h!.sim.addBackup({ region: 'us-east-1', fileSystemId, creationTime: Date.now() - 1_000 }),
    );
    await eventually(
      'every copy, before and after the failover, succeeded',
      async () => {
        const succeeded = new Set(
          (await h!.outcomes()).filter((o) => o.status === 'succeeded').map((o) => o.sourceBackupId),
        );
        return [...before, ...after].every((b) => succeeded.has(b));
      },
      60_000,
    );

    const outcomes = await h.outcomes();
    for (const b of [...before, ...after]) {
      expect(h.sim.copiesOf(b, 'us-west-2'), b).toHaveLength(1);
      expect(
        outcomes.filter((o) => o.sourceBackupId === b && o.status === 'succeeded'),
        b,
      ).toHaveLength(1);
    }
    for (const s of services) {
      await s.waitForEvent('redis.failover');
      await eventually('ready again', async () => (await status(s, '/readyz')) === 200);
      expect(await status(s, '/healthz')).toBe(200);
    }
    // Stopped, a process has no line still on its way: now the lines can be counted.
    await Promise.all(services.map((s) => s.stop()));
    const started = services.flatMap((s) => s.events('copy.started'));
    for (const b of after) {
      const line = started.find((l) => l['sourceBackupId'] === b);
      expect(line, `copy.started of ${b}`).toBeDefined();
      expect(Date.parse(String(line?.['time']))).toBeGreaterThan(promotedAt);
      const outcome = outcomes.find((o) => o.sourceBackupId === b);
      expect(Date.parse(outcome?.finishedAt ?? '')).toBeGreaterThan(promotedAt);
    }
    // Each process noticed the failover, and said so once.
    for (const s of services) {
      const lines = s.events('redis.failover');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        from: `127.0.0.1:${killed.port}`,
        to: `127.0.0.1:${primary.port}`,
      });
    }
    expect(h.overAdmissions()).toHaveLength(0);
  });
});

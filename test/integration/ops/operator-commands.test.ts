import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { topologiesUnderTest } from '../../support/redis-topology.js';
import { eventually, runCli } from '../../support/service-process.js';

describe.each(topologiesUnderTest())('operator commands on %s Redis: plan, status, copy-now', (topology) => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('plan shows what the next fire would copy, from the real listings, and enqueues nothing', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 }, {}, topology);
    const [copied, fresh] = h.seed([fsId(1), fsId(2)]);
    h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(3), type: 'WINDOWS' }); // no backup at all
    const creating = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(2), lifecycle: 'CREATING' });
    const config = await h.policyFile([
      {
        name: 'prod',
        schedule: '0 3 * * *',
        fileSystemIds: [fsId(1), fsId(2), fsId(3)],
        destinations: ['us-west-2'],
      },
    ]);
    // fs 1 was copied to us-west-2 already: run the service once against a one-file-system policy.
    const once = await h.policyFile([
      { name: 'prod', fileSystemIds: [fsId(1)], destinations: ['us-west-2'] },
    ]);
    const svc = h.run(once);
    await h.waitForOutcomes(1);
    await svc.stop('SIGTERM');
    const requestsBefore = h.copyRequests().length;

    const res = await runCli(['plan', '--config', config, '--json'], h.env());
    expect(res.code, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout) as Record<string, string>[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        fileSystemId: fsId(1),
        backupId: copied,
        destinationRegion: 'us-west-2',
        action: 'already-copied',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        fileSystemId: fsId(2),
        backupId: creating,
        lifecycle: 'CREATING',
        action: 'copy',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ fileSystemId: fsId(3), action: 'no-eligible-backup' }),
    );
    expect(rows.every((r) => r['nextFire']?.endsWith('T03:00:00.000Z'))).toBe(true);
    expect(fresh).not.toBe(creating);
    expect(h.copyRequests()).toHaveLength(requestsBefore);

    const table = await runCli(['plan', '--config', config], h.env());
    expect(table.stdout).toMatch(/^POLICY\s+NEXT FIRE \(UTC\)\s+FILE SYSTEM/);
    expect(table.stdout).toContain('1 copy would be enqueued at the next fires; nothing was enqueued.');
    expect(await h.reader.llen(`${h.deployment.keyPrefix}:copy-us-west-2:wait`)).toBe(0);
  });

  it('copy-now fires a policy at once; status shows the Regions and the policy', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 }, {}, topology);
    h.seed([fsId(10)]);
    const config = await h.policyFile([
      {
        name: 'nightly',
        schedule: '0 3 * * *',
        fileSystemIds: [fsId(10)],
        destinations: ['us-west-2', 'eu-west-1'],
      },
    ]);
    const svc = h.run(config);
    await h.waitForOutcomes(2); // the catch-up fire at start
    const newer = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(10) });

    const fired = await runCli(['copy-now', '--policy', 'nightly', '--config', config, '--json'], h.env());
    expect(fired.code, fired.stderr).toBe(0);
    expect(JSON.parse(fired.stdout)).toMatchObject({
      policy: 'nightly',
      planJobId: expect.stringMatching(/^plan-nightly-\d+$/) as string,
    });
    const outcomes = await h.waitForOutcomes(4);
    expect(outcomes.slice(0, 2).map((o) => o.sourceBackupId)).toEqual([newer, newer]);
    await svc.waitForEvents('schedule.planned', 2);

    const unknown = await runCli(['copy-now', '--policy', 'nope', '--config', config], h.env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no policy named nope');

    // A copy job stays active until its processor returns, a moment after its outcome is recorded.
    type Status = { regions: Record<string, unknown>[]; policies: Record<string, unknown>[] };
    let s: Status = { regions: [], policies: [] };
    await eventually('status shows no copy in flight', async () => {
      const status = await runCli(['status', '--config', config, '--json'], h!.env());
      expect(status.code, status.stderr).toBe(0);
      s = JSON.parse(status.stdout) as Status;
      return s.regions.length > 0 && s.regions.every((r) => r['inFlight'] === 0);
    });
    expect(s.regions).toEqual([
      { account: 'default', region: 'eu-west-1', inFlight: 0, waiting: 0, delayed: 0, failed: 0, next: [] },
      { account: 'default', region: 'us-west-2', inFlight: 0, waiting: 0, delayed: 0, failed: 0, next: [] },
    ]);
    expect(s.policies[0]).toMatchObject({
      policy: 'nightly',
      lastFire: expect.any(String) as string,
      nextFire: expect.stringMatching(/T03:00:00.000Z$/) as string,
      lastOutcome: { status: 'succeeded', sourceBackupId: newer },
      withoutCopy: 0,
    });
    expect(s.policies[0]?.['worstRecoveryPointAgeSeconds']).toBeLessThan(30);

    // Without a config, status still finds the Regions from Redis.
    const bare = await runCli(['status'], h.env());
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^REGION\s+IN FLIGHT\s+WAITING\s+DELAYED\s+FAILED\neu-west-1\s+0/);
    expect(bare.stdout).toContain('nightly');
    // The fire at start and the copy-now: two plans, no other (counted once the process has closed its output).
    await svc.stop();
    expect(svc.events('schedule.planned')).toHaveLength(2);
  });
});

describe('operator commands without a reachable Redis', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('fail fast with a clear message, whatever the topology, never quoting a password', async () => {
    h = await PipelineHarness.start();
    const started = Date.now();
    const res = await runCli(['status'], { ...h.env(), REDIS_URL: 'redis://:s3cret@127.0.0.1:1' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(res.stderr).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(8_000);

    for (const [env, shown] of [
      [
        { REDIS_SENTINELS: '127.0.0.1:1,127.0.0.1:2', REDIS_SENTINEL_MASTER: 'mymaster' },
        'sentinel master mymaster via 127.0.0.1:1,127.0.0.1:2 (password)',
      ],
      [{ REDIS_CLUSTER_NODES: '127.0.0.1:1' }, 'cluster via 127.0.0.1:1 (password)'],
    ] as const) {
      const t0 = Date.now();
      const r = await runCli(['outcomes'], { ...h.env(), ...env, REDIS_PASSWORD: 's3cret' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot reach Redis at ${shown}`);
      expect(r.stderr).not.toContain('s3cret');
      expect(Date.now() - t0).toBeLessThan(8_000);
    }
    // Both a cluster and Sentinel: refused before any connection, naming the variable.
    const both = await runCli(['outcomes'], {
      ...h.env(),
      REDIS_SENTINELS: 'a:1',
      REDIS_SENTINEL_MASTER: 'm',
      REDIS_CLUSTER_NODES: 'b:2',
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set/);
  });
});

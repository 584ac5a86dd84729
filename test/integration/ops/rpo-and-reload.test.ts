import { copyFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness, policyYaml } from '../../support/pipeline-harness.js';
import { serviceKeys } from '../../../src/queue/queue-names.js';
import { RedisCommandLog } from '../../support/redis-monitor.js';
import { eventually, runCli } from '../../support/service-process.js';

describe('RPO watch', () => {
  let h: PipelineHarness | undefined;
  let stopMonitor: (() => void) | undefined;
  afterEach(async () => {
    stopMonitor?.();
    stopMonitor = undefined;
    await h?.close();
    h = undefined;
  });

  it('logs rpo.breach once when the newest copy is older than the RPO, and rpo.recovered once when it heals', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    h.sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(1), type: 'WINDOWS' });
    // The only backup is 90 s old: its copy is a recovery point older than the 1-minute RPO.
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() - 90_000 });
    const config = await h.policyFile([
      {
        name: 'gold',
        schedule: '* * * * * *',
        rpo: '1m',
        fileSystemIds: [fsId(1)],
        destinations: ['us-west-2'],
      },
    ]);
    const env = { FSXDR_RPO_CHECK_INTERVAL: '200ms' };
    // Each RPO check moves each pair's state with one EVAL on the state hash; MONITOR says who sent it.
    const monitor = await RedisCommandLog.start(h.redis.url);
    stopMonitor = () => monitor.close();
    const stateKey = serviceKeys(h.redis.prefix).rpoState;
    const transitions = (to: 'breached' | 'ok') => (args: readonly string[]) =>
      args[0]?.toLowerCase() === 'eval' && args[3] === stateKey && args[5] === to;
    /** Until two connections (the two processes) have each checked the pair, seeing it `to`, twice more. */
    const bothCheckedTwice = async (to: 'breached' | 'ok') => {
      const from = monitor.commands.length;
      await eventually(`both processes checked the ${to} pair twice`, () => {
        const counts = [...monitor.countBySource(transitions(to), from).values()];
        return counts.filter((n) => n >= 2).length >= 2;
      });
    };
    // Two processes watch the RPO; between them they log each transition once.
    const a = h.run(config, 'all', env);
    const b = h.run(config, 'scheduler', env);
    const seen = (event: string) => [...a.events(event), ...b.events(event)];
    await eventually('rpo.breach', () => seen('rpo.breach').length > 0, 15_000);
    const [breach] = seen('rpo.breach');
    expect(breach).toMatchObject({
      policy: 'gold',
      fileSystemId: fsId(1),
      destinationRegion: 'us-west-2',
      rpoSeconds: 60,
      sourceBackupId: expect.stringMatching(/^backup-/) as string,
    });
    expect(Number(breach?.['ageSeconds'])).toBeGreaterThanOrEqual(90);
    await bothCheckedTwice('breached');

    // A fresh backup is copied at the next slot: the RPO is met again.
    h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() });
    await eventually('rpo.recovered', () => seen('rpo.recovered').length > 0, 15_000);
    await bothCheckedTwice('ok');

    // Counted once both processes have closed their output: no line is still on its way.
    await Promise.all([a.stop(), b.stop()]);
    expect(seen('rpo.breach')).toHaveLength(1);
    expect(seen('rpo.recovered')).toHaveLength(1);
  });
});

describe('hot reload on SIGHUP', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('applies a valid change, and keeps the last good config when the new one is invalid, saying why', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    const [first, second] = h.seed([fsId(1), fsId(2)]);
    const config = await h.policyFile([
      { name: 'one', fileSystemIds: [fsId(1)], destinations: ['us-west-2'] },
    ]);
    const svc = h.run(config);
    await h.waitForOutcomes(1);

    // Valid change: policy `one` removed, `two` added with a new destination Region.
    await writeFile(
      config,
      policyYaml([{ name: 'two', fileSystemIds: [fsId(2)], destinations: ['eu-west-1'] }]),
    );
    svc.child.kill('SIGHUP');
    const reloaded = await svc.waitForEvent('config.reloaded');
    expect(reloaded).toMatchObject({ added: ['two'], removed: ['one'], changed: [] });
    expect(await svc.waitForEvent('worker.updated')).toMatchObject({ added: ['eu-west-1'] });
    const outcomes = await h.waitForOutcomes(2);
    expect(outcomes[0]).toMatchObject({
      status: 'succeeded',
      policy: 'two',
      sourceBackupId: second,
      destinationRegion: 'eu-west-1',
    });
    expect(outcomes[1]).toMatchObject({ policy: 'one', sourceBackupId: first });
    const good = `${config}.good.yaml`;
    await copyFile(config, good);

    // Invalid change: the service refuses it with the precise errors and keeps running the last good config.
    await writeFile(
      config,
      policyYaml([{ name: 'two', fileSystemIds: [fsId(2)], destinations: ['mars-north-1x'] }]),
    );
    svc.child.kill('SIGHUP');
    const rejected = await svc.waitForEvent('config.reload_rejected');
    const issues = rejected['issues'] as { file: string; line: number; path: string; message: string }[];
    expect(issues.length).toBeGreaterThan(0);
    // Line 10 of the generated file is `      - region: mars-north-1x`.
    expect(issues[0]).toMatchObject({ file: config, line: 10, path: 'policies[0].destinations[0].region' });
    expect(rejected['keptFiles']).toEqual([config]);

    const newer = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(2) });
    const fired = await runCli(['copy-now', '--policy', 'two', '--config', good], h.env());
    expect(fired.code, fired.stderr).toBe(0);
    const after = await h.waitForOutcomes(3);
    expect(after[0]).toMatchObject({ status: 'succeeded', policy: 'two', sourceBackupId: newer });
    expect(svc.child.exitCode).toBeNull();
  });
});

import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness, policyYaml, type PolicySpec } from '../../support/pipeline-harness.js';
import { eventually, runCli } from '../../support/service-process.js';

const settings = (maxCount: number): string =>
  `pollInterval: 100ms\n  outcomeRetention:\n    maxCount: ${maxCount}`;

describe('hot reload of the outcome retention', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('trims outcomes by the retention a SIGHUP brought, from the next outcome on', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    h.seed([fsId(1), fsId(2)]);
    const policies: PolicySpec[] = [
      { name: 'p', fileSystemIds: [fsId(1), fsId(2)], destinations: ['us-west-2'] },
    ];
    const config = await h.policyFile(policies, settings(100));
    const svc = h.run(config);
    await h.waitForOutcomes(2);

    await writeFile(config, policyYaml(policies, settings(1)));
    svc.child.kill('SIGHUP');
    expect(await svc.waitForEvent('config.reloaded')).toMatchObject({ settingsChanged: true });

    const newer = h.sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1) });
    const fired = await runCli(['copy-now', '--policy', 'p', '--config', config], h.env());
    expect(fired.code, fired.stderr).toBe(0);
    // The third outcome is written with maxCount 1: it is the only one left.
    await eventually('only the newest outcome is kept', async () => {
      const all = await h!.outcomes();
      return all.length === 1 && all[0]?.sourceBackupId === newer;
    });
    expect(svc.child.exitCode).toBeNull();
  });
});

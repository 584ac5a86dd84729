import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { eventually } from '../../support/service-process.js';
import { PrometheusServer, type PrometheusAlert } from './helpers/prometheus-server.js';

const RULES = resolve(import.meta.dirname, '../../../deploy/prometheus/rules/*.yaml');

const rpoAlert = (alerts: readonly PrometheusAlert[]): PrometheusAlert | undefined =>
  alerts.find((a) => a.labels['alertname'] === 'FsxDrRpoBreached' && a.labels['file_system'] === fsId(1));

describe('the shipped rules in a real Prometheus scraping a running fsx-dr', () => {
  let h: PipelineHarness | undefined;
  let prom: PrometheusServer | undefined;
  afterAll(async () => {
    await prom?.stop();
    await h?.close();
  });

  // It waits for a real recovery point to age past a real RPO and for Prometheus to see it, after a Prometheus and
  // a service have started: closer to the suite's default case limit than other cases by nature.
  it('the RPO alert fires when copies stop and resolves when they resume', { timeout: 90_000 }, async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    const sim = h.sim;
    sim.addFileSystem({ region: 'us-east-1', fileSystemId: fsId(1), type: 'WINDOWS' });
    const config = await h.policyFile([
      {
        name: 'gold',
        schedule: '*/2 * * * * *',
        rpo: '1m',
        fileSystemIds: [fsId(1)],
        destinations: ['us-west-2'],
      },
    ]);
    const svc = h.run(config);
    const port = Number((await svc.waitForEvent('http.listening'))['port']);
    prom = await PrometheusServer.start({
      job: 'fsx-dr',
      targets: [{ address: `127.0.0.1:${port}`, labels: { role: 'all' } }],
      ruleFiles: [RULES],
    });
    const p = prom;

    // Every shipped rule loads and evaluates without error against the real metrics.
    await eventually(
      'every rule evaluated once',
      async () => (await p.rules()).every((r) => r.health === 'ok'),
      20_000,
    );
    expect((await p.rules()).filter((r) => r.health !== 'ok')).toEqual([]);
    // Only now, with Prometheus watching, does the first backup appear, 30 s old: its copy is within the 1-minute RPO
    // for 30 s from here (time to copy it and scrape that), however long the start-up above took.
    sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() - 30_000 });
    await h.waitForOutcomes(1);
    // Within the RPO: the pair is scraped and recorded as not breached, and no RPO alert is pending or firing.
    await eventually(
      'the pair recorded as within its RPO',
      async () =>
        (await p.query(`fsxdr_pair:fsxdr_rpo_breached:max{file_system="${fsId(1)}"} == 0`)).length === 1,
      20_000,
    );
    // The alert reads the raw gauge, so it agrees with the recording at once.
    await eventually(
      'no RPO alert while within the RPO',
      async () => rpoAlert(await p.alerts()) === undefined,
      20_000,
    );

    // Copies stop: every new copy fails in FSx. The recovery point ages past the RPO.
    sim.configure({ copyFailure: () => 'Simulated: copies stopped' });
    sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() });
    let firing: PrometheusAlert | undefined;
    await eventually(
      'FsxDrRpoBreached firing',
      async () => {
        firing = rpoAlert(await p.alerts());
        return firing?.state === 'firing';
      },
      60_000,
    );
    expect(firing?.labels).toMatchObject({
      alertname: 'FsxDrRpoBreached',
      severity: 'critical',
      policy: 'gold',
      destination_region: 'us-west-2',
    });
    expect(firing?.annotations['description']).toMatch(/Recovery point age: 1m \d+s\./);
    expect(firing?.annotations['runbook_url']).toBe('README.md#runbook-fsxdrrpobreached');
    // The failed copies page too, as their own alert.
    await eventually(
      'FsxDrCopiesFailing firing',
      async () =>
        (await p.alerts()).some(
          (a) => a.labels['alertname'] === 'FsxDrCopiesFailing' && a.labels['policy'] === 'gold',
        ),
      30_000,
    );

    // Copies resume: the next slot copies a fresh backup, and the alert resolves.
    sim.configure({ copyFailure: undefined });
    sim.addBackup({ region: 'us-east-1', fileSystemId: fsId(1), creationTime: Date.now() });
    await eventually(
      'FsxDrRpoBreached resolved',
      async () => rpoAlert(await p.alerts()) === undefined,
      60_000,
    );
    const outcomes = await h.outcomes();
    expect(outcomes[0]?.status).toBe('succeeded');
  });
});

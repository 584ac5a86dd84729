import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { sample } from '../../support/prometheus-text.js';
import { eventually, type ServiceProcess } from '../../support/service-process.js';

async function httpPortOf(p: ServiceProcess): Promise<number> {
  const line = await p.waitForEvent('http.listening');
  return Number(line['port']);
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

describe('health, readiness and metrics', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('serves /healthz, /readyz and /metrics with the values the copies produced', async () => {
    // The simulator's clock stands still until the test moves it: the copies are in progress while it looks.
    h = await PipelineHarness.start({ clock: 'manual', copyDuration: (c) => 300 + c.sequence * 100 });
    const ids = [fsId(1), fsId(2), fsId(3)];
    h.seed(ids);
    h.sim.failNext({
      operation: 'CopyBackup',
      region: 'eu-west-1',
      name: 'InvalidDestinationKmsKey',
      count: 1,
    });
    const config = await h.policyFile([
      { name: 'prod', schedule: '0 0 1 1 *', fileSystemIds: ids, destinations: ['us-west-2', 'eu-west-1'] },
    ]);
    const svc = h.run(config);
    const port = await httpPortOf(svc);

    expect(await get(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', redis: 'ok', config: [config] });

    // While copies run, the in-flight gauge shows them: all three to us-west-2, the two to eu-west-1 that FSx took.
    await svc.waitForEvents('copy.started', 5);
    const during = (await get(port, '/metrics')).body;
    expect(sample(during, 'fsxdr_copies_in_flight', { destination_region: 'us-west-2' })).toBe(3);
    expect(sample(during, 'fsxdr_copies_in_flight', { destination_region: 'eu-west-1' })).toBe(2);
    h.sim.clock.advance(10_000);

    await h.waitForOutcomes(6);
    // The outcome counters move before each outcome's log line; the queue gauges once BullMQ has moved the job on,
    // after its processor returned. Wait for both, then read one scrape.
    await svc.waitForEvents('copy.succeeded', 5);
    await svc.waitForEvents('copy.failed', 1);
    let scrape = await get(port, '/metrics');
    await eventually('the six jobs left the active list', async () => {
      scrape = await get(port, '/metrics');
      const inFlight = ['us-west-2', 'eu-west-1'].map((r) =>
        sample(scrape.body, 'fsxdr_copies_in_flight', { destination_region: r }),
      );
      const failed = sample(scrape.body, 'fsxdr_queue_depth', {
        destination_region: 'eu-west-1',
        state: 'failed',
      });
      return inFlight.every((n) => n === 0) && failed === 1;
    });
    const { status, body } = scrape;
    expect(status).toBe(200);
    expect(sample(body, 'fsxdr_copy_outcomes_total', { status: 'succeeded', policy: 'prod' })).toBe(5);
    expect(
      sample(body, 'fsxdr_copy_outcomes_total', {
        status: 'failed',
        policy: 'prod',
        error_name: 'InvalidDestinationKmsKey',
      }),
    ).toBe(1);
    expect(sample(body, 'fsxdr_copies_in_flight', { destination_region: 'us-west-2' })).toBe(0);
    expect(sample(body, 'fsxdr_queue_depth', { destination_region: 'eu-west-1', state: 'failed' })).toBe(1);
    expect(sample(body, 'fsxdr_queue_depth', { destination_region: 'us-west-2', state: 'waiting' })).toBe(0);
    expect(
      sample(body, 'fsxdr_copy_duration_seconds_count', { policy: 'prod', destination_region: 'us-west-2' }),
    ).toBe(3);
    expect(
      sample(body, 'fsxdr_copy_retries_total', { error_name: 'InvalidDestinationKmsKey' }),
    ).toBeUndefined();
    // Seeded backups were taken 60 s before the test: that is the age of the recovery point in the destination.
    const age = sample(body, 'fsxdr_newest_copy_age_seconds', {
      policy: 'prod',
      file_system: fsId(1),
      destination_region: 'us-west-2',
    });
    expect(age).toBeGreaterThanOrEqual(60);
    expect(age).toBeLessThan(120);
    const next = sample(body, 'fsxdr_next_fire_timestamp_seconds', { policy: 'prod' });
    expect(new Date((next ?? 0) * 1000).toISOString()).toMatch(/-01-01T00:00:00.000Z$/);
    // The schedule `0 0 1 1 *` fired its catch-up slot at start (this year's 1 January); its period is a year.
    const last = sample(body, 'fsxdr_last_fire_timestamp_seconds', { policy: 'prod' });
    expect(new Date((last ?? 0) * 1000).toISOString()).toMatch(/-01-01T00:00:00.000Z$/);
    expect(sample(body, 'fsxdr_schedule_period_seconds', { policy: 'prod' })).toBe((next ?? 0) - (last ?? 0));
    expect(sample(body, 'fsxdr_process_resident_memory_bytes')).toBeGreaterThan(0);

    expect((await get(port, '/nope')).status).toBe(404);
  });

  it('reports not ready while Redis is down, and ready again when it is back', async () => {
    h = await PipelineHarness.start({}, { forcePrivate: true });
    h.seed([fsId(9)]);
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(9)], destinations: ['us-west-2'] }]));
    const port = await httpPortOf(svc);
    expect((await get(port, '/readyz')).status).toBe(200);
    await h.redis.halt();
    const down = await get(port, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ status: 'not ready' });
    expect((await get(port, '/healthz')).status).toBe(200);
    await h.redis.resume();
    await svc.waitForEvent('redis.ready', 15_000);
    expect((await get(port, '/readyz')).status).toBe(200);
  });

  it('counts retries by error name', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    h.seed([fsId(20)]);
    h.sim.failNext({ operation: 'CopyBackup', name: 'InternalServerError', status: 500, count: 3 });
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(20)], destinations: ['us-west-2'] }]));
    const port = await httpPortOf(svc);
    await h.waitForOutcomes(1);
    // The retry was counted before the copy that ended in the outcome was even started again.
    const body = (await get(port, '/metrics')).body;
    expect(sample(body, 'fsxdr_copy_retries_total', { error_name: 'InternalServerError' })).toBe(1);
    await svc.waitForEvents('copy.succeeded', 1);
    await svc.stop();
    expect(svc.events('copy.retry')).toHaveLength(1);
  });
});

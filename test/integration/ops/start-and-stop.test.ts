import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { freePort } from '../../support/redis-server.js';

describe('starting and stopping', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('says clearly that the health port is taken, and exits 1 without a stack trace', async () => {
    h = await PipelineHarness.start();
    h.seed([fsId(1)]);
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const svc = h.run(
        await h.policyFile([{ fileSystemIds: [fsId(1)], destinations: ['us-west-2'] }]),
        'all',
        {
          FSXDR_HTTP_PORT: String(port),
        },
      );
      const { code } = await svc.exited;
      expect(code).toBe(1);
      expect(svc.events('http.listen_failed')[0]).toMatchObject({
        port,
        errorMessage: expect.stringContaining('EADDRINUSE') as string,
      });
      expect(svc.stderr.join('\n')).not.toMatch(/\n\s+at /);
      expect(h.copyRequests()).toHaveLength(0);
    } finally {
      blocker.close();
    }
  });

  it('ends within 10 s of a SIGTERM, whenever it comes in start-up', async () => {
    h = await PipelineHarness.start();
    h.seed([fsId(3)]);
    const config = await h.policyFile([{ fileSystemIds: [fsId(3)], destinations: ['us-west-2'] }]);
    for (const afterMs of [0, 50, 100, 150, 200, 250, 300, 400, 600, 1_000]) {
      const svc = h.run(config);
      await new Promise((r) => setTimeout(r, afterMs));
      const { tookMs, code } = await svc.stop('SIGTERM');
      expect(tookMs, `SIGTERM ${afterMs} ms after spawn`).toBeLessThan(10_000);
      // Before Node runs our code the signal ends the process (code null); after, it stops cleanly.
      expect([0, null], `SIGTERM ${afterMs} ms after spawn`).toContain(code);
    }
  });

  it('stops cleanly on a SIGTERM that arrives while it is still starting (Redis down)', async () => {
    h = await PipelineHarness.start({}, { forcePrivate: true });
    h.seed([fsId(2)]);
    await h.redis.halt();
    const svc = h.run(await h.policyFile([{ fileSystemIds: [fsId(2)], destinations: ['us-west-2'] }]));
    await svc.waitForEvent('service.starting');
    const { code, tookMs } = await svc.stop('SIGTERM');
    // Start-up is stuck waiting for Redis, so the shutdown limit ends it: within 10 s, saying why.
    expect(tookMs).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(svc.events('service.stopping')).toHaveLength(1);
    expect(svc.events('service.stop_timeout')).toHaveLength(1);
    await h.redis.resume();
  });
});

import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { listeningPort, startHttpServer } from '../../../src/ops/http-server.js';
import type { WorkerHealth } from '../../../src/ops/worker-stall-watch.js';
import type { RedisFailoverState } from '../../../src/queue/redis-failover-watch.js';

/** /healthz and /readyz as the platform reads them, fed the two watches' answers. */
describe('health and readiness during a failover and a stall', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('says not ready while a failover lasts, and unhealthy while a worker is stalled', async () => {
    let failover: RedisFailoverState = { inProgress: false, primary: '10.0.0.1:6379', failovers: 0 };
    let health: WorkerHealth = { healthy: true, stalled: [] };
    server = await startHttpServer(0, '127.0.0.1', {
      pingRedis: () => Promise.resolve(),
      configFiles: () => ['/etc/fsx-dr/policies.yaml'],
      registry: new Registry(),
      redisFailover: () => failover,
      workerHealth: () => health,
    });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${listeningPort(server!)}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await get('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

    failover = {
      inProgress: true,
      since: Date.UTC(2026, 0, 1),
      reason: 'READONLY',
      primary: '10.0.0.1:6379',
      failovers: 0,
    };
    expect(await get('/readyz')).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        redis: 'failover in progress',
        failover: { since: '2026-01-01T00:00:00.000Z', reason: 'READONLY', lastPrimary: '10.0.0.1:6379' },
        config: ['/etc/fsx-dr/policies.yaml'],
      },
    });
    // A failover makes the process wait, not restart: health stays ok.
    expect((await get('/healthz')).status).toBe(200);

    failover = { inProgress: false, primary: '10.0.0.2:6379', failovers: 1 };
    health = { healthy: false, stalled: [{ queue: 'copy-us-west-2', waiting: 4, forMs: 61_000 }] };
    expect((await get('/readyz')).status).toBe(200);
    expect(await get('/healthz')).toMatchObject({
      status: 503,
      body: { status: 'stalled', stalled: [{ queue: 'copy-us-west-2', waiting: 4, forMs: 61_000 }] },
    });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedis, type TestRedis } from '../support/redis-server.js';

describe('test Redis helper', () => {
  let redis: TestRedis | undefined;
  afterAll(async () => {
    await redis?.stop();
  });

  it('starts a private server that keeps AOF data across a restart', async () => {
    redis = await startRedis({ appendonly: true, forcePrivate: true });
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null });
    await client.connect();
    await client.set(`${redis.prefix}:k`, 'v1');
    await redis.restart();
    expect(await client.get(`${redis.prefix}:k`)).toBe('v1');
    client.disconnect();
  });
});

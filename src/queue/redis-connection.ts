import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorFields, logEvent } from '../log.js';

/** Shows a Redis URL without its password, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username && u.password === '') u.username = '***';
    return u.toString();
  } catch {
    return '<unparseable REDIS_URL>';
  }
}

/**
 * A Redis connection that waits for Redis instead of failing: started while Redis is down, it retries (and says
 * so in the log, once per outage); after a Redis restart it reconnects. `maxRetriesPerRequest: null` is what
 * BullMQ workers require. `rediss://` URLs use TLS; a password in the URL is used and never logged.
 */
export function connectRedis(url: string, logger: Logger, name: string): Redis {
  let down = false;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `fsx-dr-${name}`,
    retryStrategy: (times: number) => Math.min(200 * times, 5_000),
  });
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logEvent(
      logger,
      'redis.unavailable',
      { redis: redactRedisUrl(url), connection: name, ...errorFields(err) },
      'waiting for Redis',
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logEvent(
      logger,
      'redis.ready',
      { redis: redactRedisUrl(url), connection: name },
      'Redis reachable again',
    );
  });
  return redis;
}

/**
 * A connection for a one-shot command: fails fast with a clear message instead of waiting for Redis, and never
 * prints the password.
 */
export async function connectRedisOnce(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${redactRedisUrl(url)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

import type { Redis } from 'ioredis';
import type { Environment } from '../config/environment.js';
import { connectRedisOnce } from '../queue/redis-connection.js';
import type { Output } from './output.js';

/**
 * Runs a one-shot command with a Redis connection: when Redis cannot be reached the command fails at once with a
 * clear message (exit 1), and the connection is closed however the command ends.
 */
export async function withRedis(
  env: Environment,
  out: Output,
  command: (redis: Redis) => Promise<number>,
): Promise<number> {
  let redis: Redis;
  try {
    redis = await connectRedisOnce(env.redisUrl);
  } catch (err) {
    out.stderr((err as Error).message);
    return 1;
  }
  try {
    return await command(redis);
  } finally {
    redis.disconnect();
  }
}

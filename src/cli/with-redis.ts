import { openRedisOnce, type RedisClient } from '../queue/redis-connection.js';
import type { Environment } from '../config/environment.js';
import type { Output } from './output.js';

/**
 * Runs a one-shot command with a Redis connection: when Redis cannot be reached the command fails at once with a
 * clear message (exit 1), and the connection is closed however the command ends.
 */
export async function withRedis(
  env: Environment,
  out: Output,
  command: (redis: RedisClient) => Promise<number>,
): Promise<number> {
  let redis: RedisClient;
  try {
    redis = await openRedisOnce(env.redis);
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

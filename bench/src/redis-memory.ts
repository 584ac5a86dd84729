import type { Redis } from 'ioredis';

/** `used_memory` from INFO memory: what Redis has allocated for data and overhead, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (m?.[1] === undefined) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

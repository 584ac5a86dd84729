/**
 * Records kept in a hash and indexed by time in a sorted set, trimmed as new ones are written: older than
 * `maxAgeMs`, and beyond the newest `maxCount`. Outcome records and retention's deletion records both are.
 */
export interface RecordBounds {
  readonly maxCount: number;
  readonly maxAgeMs: number;
}

/** The bounds, or a getter of the bounds in force (a config reload then applies to the next record). */
export type RecordBoundsSource = RecordBounds | (() => RecordBounds);

export function boundsGetter(source: RecordBoundsSource): () => RecordBounds {
  return typeof source === 'function' ? source : () => source;
}

/**
 * The Lua that trims the hash `KEYS[hash]` and its index `KEYS[index]`: at most 1000 records older than the score
 * in `ARGV[cutoff]` per call, then down to the count in `ARGV[max]`. Runs inside the script that wrote the record.
 */
export function trimRecordsLua(
  keys: { hash: number; index: number },
  args: { cutoff: number; max: number },
): string {
  const h = `KEYS[${keys.hash}]`;
  const z = `KEYS[${keys.index}]`;
  return `
local old = redis.call('ZRANGEBYSCORE', ${z}, '-inf', '(' .. ARGV[${args.cutoff}], 'LIMIT', 0, 1000)
for _, id in ipairs(old) do
  redis.call('HDEL', ${h}, id)
  redis.call('ZREM', ${z}, id)
end
local n = redis.call('ZCARD', ${z})
local max = tonumber(ARGV[${args.max}])
if n > max then
  local extra = redis.call('ZRANGE', ${z}, 0, n - max - 1)
  for _, id in ipairs(extra) do
    redis.call('HDEL', ${h}, id)
    redis.call('ZREM', ${z}, id)
  end
end
`;
}

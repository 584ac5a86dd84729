import { describe, expect, it } from 'vitest';
import type { RedisTarget } from '../../../src/config/redis-target.js';
import { clientRecipe, type ConnectionPurpose } from '../../../src/queue/redis-options.js';

const CLUSTER: RedisTarget = {
  topology: 'cluster',
  nodes: [{ host: '127.0.0.1', port: 7000 }],
  auth: { tls: false },
};

/**
 * How long ioredis keeps trying one command on a cluster that answers CLUSTERDOWN or TRYAGAIN, or whose node is
 * being replaced: every redirection waits its delay, and the command fails after maxRedirections of them
 * (ioredis' cluster handleError). A suite run found a worker that exited after ioredis' 100 ms CLUSTERDOWN default.
 */
function patienceMs(
  purpose: ConnectionPurpose,
  delay: 'retryDelayOnClusterDown' | 'retryDelayOnTryAgain' | 'retryDelayOnFailover',
): number {
  const recipe = clientRecipe(CLUSTER, { purpose });
  if (recipe.kind !== 'cluster') throw new Error('not a cluster recipe');
  return (recipe.options[delay] ?? 0) * (recipe.options.maxRedirections ?? 16);
}

describe('clientRecipe on a cluster: how long a command waits for the cluster to be whole again', () => {
  it.each(['retryDelayOnClusterDown', 'retryDelayOnTryAgain', 'retryDelayOnFailover'] as const)(
    'the service waits out about a minute of %s, as it waits for a single node',
    (delay) => {
      expect(patienceMs('service', delay)).toBeGreaterThanOrEqual(60_000);
    },
  );

  it.each(['retryDelayOnClusterDown', 'retryDelayOnTryAgain', 'retryDelayOnFailover'] as const)(
    'a CLI verb gives up on %s within seconds, with an error the operator sees',
    (delay) => {
      const ms = patienceMs('once', delay);
      expect(ms).toBeGreaterThanOrEqual(5_000);
      expect(ms).toBeLessThanOrEqual(15_000);
    },
  );
});

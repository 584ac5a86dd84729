import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisAuth, RedisTarget } from '../config/redis-target.js';

/**
 * A reply error that means "this node cannot take the command now, another (or this one, shortly) can":
 * `READONLY` from a primary demoted by a failover (the connection stayed open; the write did not happen),
 * `LOADING` from a node still reading its data after a restart, and `UNBLOCKED` for a blocking read (BullMQ's
 * `BZPOPMIN`) that the demotion cut short. None of them executed the command, so resending it is safe.
 */
export function isFailoverReplyError(err: Error): 'READONLY' | 'LOADING' | 'UNBLOCKED' | undefined {
  const m = /(?:^|\s|-)(READONLY|LOADING|UNBLOCKED)\b/.exec(err.message);
  return m ? (m[1] as 'READONLY' | 'LOADING' | 'UNBLOCKED') : undefined;
}

/**
 * ioredis' `reconnectOnError`: on a failover reply error, drop the connection, reconnect (through Sentinel that
 * finds the new primary) and resend the command (`2`). `seen` is told which error it was.
 */
export function reconnectOnFailover(seen?: (kind: string) => void): (err: Error) => 2 | false {
  return (err) => {
    const kind = isFailoverReplyError(err);
    if (kind === undefined) return false;
    seen?.(kind);
    return 2;
  };
}

function authOptions(auth: RedisAuth): Pick<NodeOptions, 'username' | 'password' | 'tls'> {
  return {
    ...(auth.username !== undefined ? { username: auth.username } : {}),
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    ...(auth.tls ? { tls: {} } : {}),
  };
}

/** How a connection behaves: `service` waits for Redis forever (BullMQ's need); `once` fails fast (a CLI verb). */
export type ConnectionPurpose = 'service' | 'once';

export interface ConnectionBehaviour {
  readonly purpose: ConnectionPurpose;
  /** `CLIENT SETNAME`, so an operator's `CLIENT LIST` shows which process holds which connection. */
  readonly connectionName?: string;
  /** Told of each failover reply error (`READONLY`, `LOADING`, `UNBLOCKED`) on this connection and its copies. */
  readonly onFailoverError?: (kind: string) => void;
  /** For `once`: whether the connection has been ready at least once (reconnects are allowed only after that). */
  readonly everReady?: () => boolean;
}

/**
 * Options shared by every node connection. `service`: `maxRetriesPerRequest: null` (BullMQ refuses a worker
 * connection without it; a command waits for Redis instead of failing). `once`: one retry per command.
 */
function nodeOptions(b: ConnectionBehaviour): NodeOptions {
  return {
    enableReadyCheck: true,
    reconnectOnError: reconnectOnFailover(b.onFailoverError),
    ...(b.connectionName !== undefined ? { connectionName: b.connectionName } : {}),
    ...(b.purpose === 'service'
      ? { maxRetriesPerRequest: null }
      : { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 }),
  };
}

/**
 * When to reconnect a lost connection. `service`: always, with a capped backoff. `once`: not before the first
 * success (a CLI verb fails at once when Redis is not there), and a few times after (a failover in the middle of
 * `fsx-dr status` should not fail it).
 */
function retryStrategy(b: ConnectionBehaviour): (times: number) => number | null {
  return b.purpose === 'service'
    ? (times) => Math.min(200 * times, 5_000)
    : (times) => (b.everReady?.() === true && times <= 5 ? 200 * times : null);
}

/** ioredis' options without `replyMapping`, which its constructors type more narrowly than its option types. */
export type NodeOptions = Omit<RedisOptions, 'replyMapping'>;
export type ClusterClientOptions = Omit<ClusterOptions, 'redisOptions' | 'replyMapping'> & {
  readonly redisOptions: Omit<NonNullable<ClusterOptions['redisOptions']>, 'replyMapping'>;
};

/** What to construct: a `Redis` (a node, or a primary through Sentinel) or a `Cluster`. */
export type ClientRecipe =
  | { readonly kind: 'redis'; readonly url?: string; readonly options: NodeOptions }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly { host: string; port: number }[];
      readonly options: ClusterClientOptions;
    };

/**
 * The ioredis construction for a target. Sentinel: the sentinels find the primary, `failoverDetector` listens for
 * `+switch-master` and reconnects at once, and `sentinelRetryStrategy` keeps asking when every sentinel is briefly
 * unreachable (without it a client can give up for good). TLS on a Sentinel deployment is TLS to the sentinels too.
 * Cluster: node options under `redisOptions`; with TLS, host names are not resolved before connecting, so the
 * certificate is checked against the name it was issued for (ioredis' note for ElastiCache with TLS).
 */
export function clientRecipe(target: RedisTarget, b: ConnectionBehaviour): ClientRecipe {
  const node = nodeOptions(b);
  const retry = retryStrategy(b);
  switch (target.topology) {
    case 'standalone':
      return {
        kind: 'redis',
        url: target.url,
        options: { ...node, retryStrategy: retry, ...authOptions(target.auth) },
      };
    case 'sentinel':
      return {
        kind: 'redis',
        options: {
          ...node,
          retryStrategy: retry,
          ...authOptions(target.auth),
          sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
          name: target.masterName,
          role: 'master',
          db: target.db,
          failoverDetector: true,
          sentinelRetryStrategy:
            b.purpose === 'service' ? (times: number) => Math.min(100 * times, 2_000) : () => null,
          ...(target.sentinelPassword !== undefined ? { sentinelPassword: target.sentinelPassword } : {}),
          ...(target.auth.tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        },
      };
    case 'cluster':
      return {
        kind: 'cluster',
        nodes: target.nodes.map((n) => ({ host: n.host, port: n.port })),
        options: {
          redisOptions: { ...node, ...authOptions(target.auth) },
          enableReadyCheck: true,
          slotsRefreshTimeout: 2_000,
          // A command for a node that is down, or answered CLUSTERDOWN or TRYAGAIN (a cluster that has marked a
          // node failed and not yet promoted its replica), is retried every 300 ms, up to maxRedirections times: the
          // service waits out about a minute of it, as it waits for a single node, a CLI verb about 10 s. (ioredis'
          // CLUSTERDOWN default is 100 ms, so 32 tries gave up after 3 s: a worker started under a loaded cluster
          // that had just marked its node down exited.)
          retryDelayOnFailover: 300,
          retryDelayOnClusterDown: 300,
          retryDelayOnTryAgain: 300,
          maxRedirections: b.purpose === 'service' ? 200 : 32,
          clusterRetryStrategy: retry,
          // A node whose connection dropped (restarted, say) is reconnected, not just dropped until the next
          // slots refresh.
          ...(b.purpose === 'service' ? { clusterNodeRetryStrategy: retry } : { lazyConnect: true }),
          ...(target.auth.tls
            ? {
                dnsLookup: (address: string, callback: (err: null, address: string) => void) =>
                  callback(null, address),
              }
            : {}),
        },
      };
  }
}

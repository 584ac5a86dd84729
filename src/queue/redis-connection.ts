import { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { describeRedisTarget, type RedisTarget } from '../config/redis-target.js';
import { errorFields, logEvent } from '../log.js';
import { clientRecipe, type ConnectionBehaviour } from './redis-options.js';
import type { RedisFailoverWatch } from './redis-failover-watch.js';
import { retireFailoverDetectorOnClose } from './sentinel-failover-detector.js';

/** A connection to the service's Redis: one node (standalone, or the primary found through Sentinel) or a cluster. */
export type RedisClient = Redis | Cluster;

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

function construct(target: RedisTarget, behaviour: ConnectionBehaviour): RedisClient {
  const recipe = clientRecipe(target, behaviour);
  if (recipe.kind === 'cluster') return new Cluster([...recipe.nodes], recipe.options);
  const client = recipe.url !== undefined ? new Redis(recipe.url, recipe.options) : new Redis(recipe.options);
  return target.topology === 'sentinel' ? retireFailoverDetectorOnClose(client) : client;
}

/** How often a long-lived connection checks where the service's keys are served (and that it is a primary). */
const PROBE_EVERY_MS = 5_000;

export interface OpenRedisOptions {
  readonly logger: Logger;
  /** Which connection of the process this is (`main`, ...): in logs and in `CLIENT LIST`. */
  readonly name: string;
  readonly watch?: RedisFailoverWatch;
  /** A key in the hash slot of the service's keys: on a cluster, where to look for the node that serves them. */
  readonly slotKey?: string;
}

/**
 * The `host:port` the node serving this connection sees itself at (`CLIENT INFO`'s laddr: the node's own address,
 * behind a DNS name or a NAT too; else the socket's peer), and whether it is a primary.
 */
async function probeNode(redis: Redis): Promise<{ address: string; primary: boolean }> {
  let address = `${redis.stream.remoteAddress}:${redis.stream.remotePort}`;
  try {
    address = /\bladdr=(\S+)/.exec(String(await redis.call('CLIENT', 'INFO')))?.[1] ?? address;
  } catch {
    // A managed Redis that does not offer CLIENT INFO: the socket's peer address tells the node as well.
  }
  let primary = true;
  try {
    primary = ((await redis.call('ROLE')) as unknown[])[0] === 'master';
  } catch {
    // A managed Redis that does not offer ROLE: its endpoint is the primary's.
  }
  return { address, primary };
}

/** The primary of the slot that holds `key`, from the cluster's own slot table. */
async function probeClusterSlot(cluster: Cluster, key: string): Promise<string | undefined> {
  const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as [
    number,
    number,
    [string, number, ...unknown[]],
  ][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  return range ? `${range[2][0]}:${range[2][1]}` : undefined;
}

/**
 * A long-lived connection for `fsx-dr run`: it waits for Redis instead of failing (started while Redis is down,
 * it retries, and says so in the log once per outage, `redis.unavailable`, then `redis.ready`), follows a Sentinel
 * or cluster failover to the new primary, and resends a command a demoted primary refused (`READONLY`). A password
 * is used and never logged. With a `watch`, it reports failovers to it (see RedisFailoverWatch).
 */
export function openRedis(target: RedisTarget, opts: OpenRedisOptions): RedisClient {
  const { logger, name, watch } = opts;
  const where = describeRedisTarget(target);
  const client = construct(target, {
    purpose: 'service',
    connectionName: `fsx-dr-${name}`,
    onFailoverError: (kind) => watch?.suspect(kind),
  });
  let down = false;
  const unavailable = (err: Error): void => {
    if (down) return;
    down = true;
    logEvent(
      logger,
      'redis.unavailable',
      { redis: where, connection: name, ...errorFields(err) },
      'waiting for Redis',
    );
  };
  const available = (): void => {
    if (!down) return;
    down = false;
    logEvent(logger, 'redis.ready', { redis: where, connection: name }, 'Redis reachable again');
  };
  client.on('error', unavailable);
  if (isCluster(client)) client.on('node error', unavailable);
  client.on('close', () => watch?.suspect('primary unreachable'));

  let probing = false;
  const probe = async (): Promise<void> => {
    if (probing || !(client.status === 'ready' || (isCluster(client) && client.status === 'connect'))) return;
    probing = true;
    try {
      if (isCluster(client)) {
        const address = await probeClusterSlot(client, opts.slotKey ?? 'fsx-dr');
        available();
        if (address !== undefined) watch?.reached(address, name);
        return;
      }
      const node = await probeNode(client);
      if (!node.primary) {
        // Still on a node that was demoted (the connection outlived the failover): reconnect, through Sentinel
        // to the new primary. Writes would have answered READONLY and done the same. Only while the connection
        // is up: a disconnect while a reconnect asks the sentinels would end the client for good.
        watch?.suspect('READONLY');
        if (client.status === 'ready') client.disconnect(true);
        return;
      }
      watch?.reached(node.address, name);
    } catch {
      // Unreachable again (the next probe, or the next command's error, will tell); or, reachable, a Redis that
      // will not say where its slot is: then at least no failover is shown in progress for ever.
      if (client.status === 'ready') watch?.settle();
    } finally {
      probing = false;
    }
  };
  client.on('ready', () => {
    available();
    void probe();
  });
  const timer = setInterval(() => void probe(), PROBE_EVERY_MS);
  timer.unref();
  client.on('end', () => clearInterval(timer));
  return client;
}

/**
 * A connection for a one-shot command: fails at once with a clear message when Redis cannot be reached (never
 * quoting a password), and rides out a failover that happens while it runs.
 */
export async function openRedisOnce(target: RedisTarget): Promise<RedisClient> {
  let ready = false;
  const client = construct(target, { purpose: 'once', everReady: () => ready });
  client.on('error', () => undefined);
  client.on('ready', () => (ready = true));
  try {
    await client.connect();
    ready = true;
    return client;
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach Redis at ${describeRedisTarget(target)}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

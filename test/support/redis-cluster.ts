import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { RedisNode } from './redis-node.js';
import { freePort, onFreePort, uniquePrefix } from './redis-server.js';
import { eventually } from './service-process.js';

export interface StartClusterOptions {
  /** Password of every node (`requirepass` and `masterauth`). */
  password?: string;
  /** AOF with `appendfsync always` (a restarted node keeps its data). */
  appendonly?: boolean;
}

/** Redis Cluster's 16384 slots split over the primaries in contiguous ranges, as `redis-cli --cluster create` does. */
function slotRanges(count: number): [number, number][] {
  const per = Math.floor(16384 / count);
  return Array.from({ length: count }, (_, i) => [i * per, i === count - 1 ? 16383 : (i + 1) * per - 1]);
}

/**
 * A Redis Cluster of three primaries (no replicas) on free ports of 127.0.0.1, started from `redis-server` with
 * `cluster-enabled yes` and joined from here (CLUSTER ADDSLOTSRANGE and CLUSTER MEET), each node's cluster bus on a
 * port of its own. What the service meets on ElastiCache Serverless or MemoryDB: a cluster-mode endpoint.
 */
export class RedisClusterSet {
  /** A prefix no other test uses (the service puts it in a hash tag in cluster mode). */
  readonly prefix = uniquePrefix();

  private constructor(
    readonly nodes: readonly RedisNode[],
    private readonly opts: StartClusterOptions,
    private readonly root: string,
  ) {}

  static async start(opts: StartClusterOptions = {}): Promise<RedisClusterSet> {
    const root = await mkdtemp(join(tmpdir(), 'fsxdr-cluster-'));
    const nodes: RedisNode[] = [];
    const busPorts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      // The cluster bus port is named in the config, so a node that cannot bind either port tries two new ones.
      const { node, busPort } = await onFreePort(async (port) => {
        const bus = await freePort();
        const started = await RedisNode.start({
          port,
          dir: join(root, `node-${i}`),
          lines: [
            'cluster-enabled yes',
            `cluster-port ${bus}`,
            'cluster-config-file nodes.conf',
            'cluster-node-timeout 2000',
            'save ""',
            `appendonly ${opts.appendonly ? 'yes' : 'no'}`,
            'appendfsync always',
            'maxmemory-policy noeviction',
            ...(opts.password ? [`requirepass ${opts.password}`, `masterauth ${opts.password}`] : []),
          ],
        });
        return { node: started, busPort: bus };
      });
      nodes.push(node);
      busPorts.push(busPort);
    }
    const set = new RedisClusterSet(nodes, opts, root);
    try {
      await set.join(busPorts);
    } catch (err) {
      await set.stop();
      throw err;
    }
    return set;
  }

  private direct(node: RedisNode): Redis {
    const r = new Redis({
      port: node.port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      ...(this.opts.password ? { password: this.opts.password } : {}),
    });
    r.on('error', () => undefined);
    return r;
  }

  private async ask<T>(node: RedisNode, run: (r: Redis) => Promise<T>): Promise<T> {
    const r = this.direct(node);
    try {
      await r.connect();
      return await run(r);
    } finally {
      r.disconnect();
    }
  }

  private async join(busPorts: readonly number[]): Promise<void> {
    const ranges = slotRanges(this.nodes.length);
    for (const [i, node] of this.nodes.entries()) {
      const [from, to] = ranges[i] ?? [0, 0];
      await this.ask(node, (r) => r.call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to)));
    }
    const [first] = this.nodes;
    if (!first) return;
    for (const [i, node] of this.nodes.entries()) {
      if (node === first) continue;
      // A cluster bus off the default port+10000 must be named to MEET.
      const bus = String(busPorts[i]);
      await this.ask(first, (r) => r.call('CLUSTER', 'MEET', '127.0.0.1', String(node.port), bus));
    }
    await this.waitUntilOk();
  }

  /** Waits until every running node says `cluster_state:ok` and knows every other node. */
  async waitUntilOk(timeoutMs = 30_000): Promise<void> {
    await eventually(
      'every cluster node ok and knowing every other',
      async () => {
        const states = await Promise.all(
          this.nodes.map((n) =>
            this.ask(n, async (r) => {
              const info = (await r.call('CLUSTER', 'INFO')) as string;
              return (
                info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${this.nodes.length}`)
              );
            }).catch(() => false),
          ),
        );
        return states.every(Boolean);
      },
      timeoutMs,
    );
  }

  /** `host:port,...` of every node: the value of `REDIS_CLUSTER_NODES` (one would be enough). */
  get nodeList(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** The variables a service process needs to reach this cluster. */
  env(): Record<string, string> {
    return {
      REDIS_CLUSTER_NODES: this.nodeList,
      ...(this.opts.password ? { REDIS_PASSWORD: this.opts.password } : {}),
    };
  }

  /** A cluster client for the test itself. */
  client(): Cluster {
    const cluster = new Cluster(
      this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      {
        redisOptions: {
          maxRetriesPerRequest: null,
          ...(this.opts.password ? { password: this.opts.password } : {}),
        },
      },
    );
    cluster.on('error', () => undefined);
    return cluster;
  }

  /** The hash slot of a key, as the cluster computes it. */
  async keySlot(key: string): Promise<number> {
    const [first] = this.nodes;
    if (!first) throw new Error('no nodes');
    return this.ask(first, async (r) => Number(await r.call('CLUSTER', 'KEYSLOT', key)));
  }

  /** The node serving a slot. */
  nodeForSlot(slot: number): RedisNode {
    const ranges = slotRanges(this.nodes.length);
    const i = ranges.findIndex(([from, to]) => slot >= from && slot <= to);
    const node = this.nodes[i];
    if (!node) throw new Error(`no node for slot ${slot}`);
    return node;
  }

  /** Every key on every node that matches `pattern`, per node port. */
  async keysPerNode(pattern: string): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>();
    for (const node of this.nodes) {
      const keys = await this.ask(node, async (r) => {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          found.push(...batch);
        } while (cursor !== '0');
        return found;
      });
      out.set(node.port, keys);
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill('SIGKILL')));
    await rm(this.root, { recursive: true, force: true });
  }
}

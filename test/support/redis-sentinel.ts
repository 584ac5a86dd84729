import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisNode } from './redis-node.js';
import { onFreePort, uniquePrefix } from './redis-server.js';

/** The master group name the sentinels monitor (what `REDIS_SENTINEL_MASTER` names). */
export const SENTINEL_MASTER = 'fsxdr-test';

export interface StartSentinelOptions {
  /** Password of the data nodes (`requirepass` and `masterauth`). */
  password?: string;
  /** Password of the sentinels themselves (`requirepass` in sentinel mode). */
  sentinelPassword?: string;
  /** AOF with `appendfsync always` on the data nodes. */
  appendonly?: boolean;
  /** How long a primary must be unreachable before the sentinels call it down (default 1000 ms). */
  downAfterMs?: number;
}

/**
 * A Sentinel deployment on free ports of 127.0.0.1: a primary, a replica and three sentinels (quorum 2), the way
 * a self-run Redis with automatic failover is set up, started from `redis-server` alone (`--sentinel`). Killing the
 * primary makes the sentinels promote the replica within a few seconds; a killed node started again rejoins as a
 * replica of the current primary.
 */
export class RedisSentinelSet {
  /** A prefix no other test uses. */
  readonly prefix = uniquePrefix();

  private constructor(
    readonly dataNodes: readonly RedisNode[],
    readonly sentinels: readonly RedisNode[],
    private readonly opts: StartSentinelOptions,
    private readonly root: string,
  ) {}

  static async start(opts: StartSentinelOptions = {}): Promise<RedisSentinelSet> {
    const root = await mkdtemp(join(tmpdir(), 'fsxdr-sentinel-'));
    const auth = opts.password ? [`requirepass ${opts.password}`, `masterauth ${opts.password}`] : [];
    const data = [
      'save ""',
      `appendonly ${opts.appendonly ? 'yes' : 'no'}`,
      'appendfsync always',
      'maxmemory-policy noeviction',
      ...auth,
    ];
    const primary = await onFreePort((port) =>
      RedisNode.start({ port, dir: join(root, 'node-0'), lines: data }),
    );
    const replica = await onFreePort((port) =>
      RedisNode.start({
        port,
        dir: join(root, 'node-1'),
        lines: [...data, `replicaof 127.0.0.1 ${primary.port}`],
      }),
    );
    const sentinels: RedisNode[] = [];
    for (let i = 0; i < 3; i += 1) {
      sentinels.push(
        await onFreePort((port) =>
          RedisNode.start({
            port,
            dir: join(root, `sentinel-${i}`),
            sentinel: true,
            lines: [
              `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${primary.port} 2`,
              `sentinel down-after-milliseconds ${SENTINEL_MASTER} ${opts.downAfterMs ?? 1_000}`,
              `sentinel failover-timeout ${SENTINEL_MASTER} 4000`,
              `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
              ...(opts.password ? [`sentinel auth-pass ${SENTINEL_MASTER} ${opts.password}`] : []),
              ...(opts.sentinelPassword ? [`requirepass ${opts.sentinelPassword}`] : []),
            ],
          }),
        ),
      );
    }
    const set = new RedisSentinelSet([primary, replica], sentinels, opts, root);
    // Serving: the sentinels name the primary and the replica is in sync. Whether they could already fail it over
    // (they have found each other: a few seconds of hello messages) is waited for by `killPrimary`, not here.
    await set.waitUntilHealthy(30_000, false);
    return set;
  }

  /** `host:port,host:port,host:port`: the value of `REDIS_SENTINELS`. */
  get sentinelList(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  /** The variables a service process needs to reach this deployment. */
  env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinelList,
      REDIS_SENTINEL_MASTER: SENTINEL_MASTER,
      ...(this.opts.password ? { REDIS_PASSWORD: this.opts.password } : {}),
      ...(this.opts.sentinelPassword ? { REDIS_SENTINEL_PASSWORD: this.opts.sentinelPassword } : {}),
    };
  }

  /** A client for the test itself, through the sentinels (it follows failovers like the service does). */
  client(): Redis {
    const redis = new Redis({
      sentinels: this.sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
      name: SENTINEL_MASTER,
      maxRetriesPerRequest: null,
      ...(this.opts.password ? { password: this.opts.password } : {}),
      ...(this.opts.sentinelPassword ? { sentinelPassword: this.opts.sentinelPassword } : {}),
      reconnectOnError: (err) => (/^(READONLY|LOADING)/.test(err.message) ? 2 : false),
    });
    redis.on('error', () => undefined);
    return redis;
  }

  private async ask<T>(port: number, run: (r: Redis) => Promise<T>, password?: string): Promise<T> {
    const r = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
      ...(password ? { password } : {}),
    });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return await run(r);
    } finally {
      r.disconnect();
    }
  }

  /** The primary's port as the running sentinels report it (undefined while they disagree or are unreachable). */
  async primaryPort(): Promise<number | undefined> {
    const answers = await Promise.all(
      this.sentinels
        .filter((s) => s.running)
        .map((s) =>
          this.ask(
            s.port,
            (r) => r.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER) as Promise<string[] | null>,
            this.opts.sentinelPassword,
          ).catch(() => null),
        ),
    );
    const ports = new Set(answers.map((a) => (a ? Number(a[1]) : undefined)));
    if (ports.size !== 1) return undefined;
    return [...ports][0];
  }

  /** The data node that is the primary now. */
  async primary(): Promise<RedisNode> {
    const port = await this.primaryPort();
    const node = this.dataNodes.find((n) => n.port === port);
    if (!node) throw new Error(`no agreed primary (sentinels say ${String(port)})`);
    return node;
  }

  /** The role a data node reports itself (`master`, `slave`), or undefined when it does not answer. */
  async roleOf(node: RedisNode): Promise<string | undefined> {
    if (!node.running) return undefined;
    return this.ask(
      node.port,
      async (r) => ((await r.call('ROLE')) as unknown[])[0] as string,
      this.opts.password,
    ).catch(() => undefined);
  }

  /**
   * Waits until the sentinels agree on a primary that says it is one, and every running replica is connected to
   * it with its replication caught up (`master_link_status:up`); with `failoverReady`, also until every sentinel
   * knows the replicas and the other sentinels: the state in which a kill can be failed over.
   */
  async waitUntilHealthy(timeoutMs = 30_000, failoverReady = true): Promise<RedisNode> {
    return this.waitFor('a healthy primary with its replicas in sync', timeoutMs, async () => {
      const port = await this.primaryPort();
      const primary = this.dataNodes.find((n) => n.port === port && n.running);
      if (!primary || (await this.roleOf(primary)) !== 'master') return undefined;
      for (const n of this.dataNodes) {
        if (n === primary || !n.running) continue;
        const info = await this.ask(n.port, (r) => r.info('replication'), this.opts.password).catch(() => '');
        if (!info.includes(`master_port:${primary.port}`) || !info.includes('master_link_status:up'))
          return undefined;
      }
      if (!failoverReady) return primary;
      // Every running sentinel must know the replicas (to promote one) and the other sentinels (to vote).
      const replicasKnown = this.dataNodes.filter((n) => n !== primary && n.running).length;
      const running = this.sentinels.filter((s) => s.running);
      for (const s of running) {
        const seen = await this.ask(
          s.port,
          async (r) => ({
            replicas: ((await r.call('SENTINEL', 'replicas', SENTINEL_MASTER)) as unknown[]).length,
            sentinels: ((await r.call('SENTINEL', 'sentinels', SENTINEL_MASTER)) as unknown[]).length,
          }),
          this.opts.sentinelPassword,
        ).catch(() => ({ replicas: -1, sentinels: -1 }));
        if (seen.replicas < replicasKnown || seen.sentinels < running.length - 1) return undefined;
      }
      return primary;
    });
  }

  /**
   * SIGKILLs the current primary (a crash: what the replica has not received is lost) and waits until the
   * sentinels have promoted another node and it serves writes. Returns the killed node and the new primary.
   */
  async killPrimary(timeoutMs = 30_000): Promise<{ killed: RedisNode; primary: RedisNode }> {
    const killed = await this.waitUntilHealthy();
    await killed.kill('SIGKILL');
    const primary = await this.waitForPromotion(killed, timeoutMs);
    return { killed, primary };
  }

  /** Waits until a node other than `old` is the agreed primary and says it is one. */
  async waitForPromotion(old: RedisNode, timeoutMs = 30_000): Promise<RedisNode> {
    return this.waitFor('a promoted primary', timeoutMs, async () => {
      const port = await this.primaryPort();
      const node = this.dataNodes.find((n) => n.port === port && n !== old && n.running);
      return node && (await this.roleOf(node)) === 'master' ? node : undefined;
    });
  }

  /**
   * Starts a killed data node again, as a replica of the current primary. (Started as it was, a primary, the
   * sentinels would demote it too, but only after up to 20 s of seeing it claim the role.)
   */
  async restart(node: RedisNode): Promise<void> {
    const primary = await this.primaryPort();
    await node.launch(primary === undefined ? [] : ['--replicaof', '127.0.0.1', String(primary)]);
  }

  private async waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await check();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`sentinel set: no ${what} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sentinels, ...this.dataNodes].map((n) => n.kill('SIGKILL')));
    await rm(this.root, { recursive: true, force: true });
  }
}

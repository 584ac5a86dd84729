import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceKeyPrefix } from '../../src/config/key-prefix.js';
import type { RedisTopology } from '../../src/config/redis-target.js';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import type { RedisClient } from '../../src/queue/redis-connection.js';
import { awsTestEnv } from '../../test/support/aws-env.js';
import { startRedisDeployment, type RedisDeployment } from '../../test/support/redis-topology.js';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { pause } from './chaos-log.js';
import type { ChaosProfile } from './chaos-profile.js';
import { policyYaml, type ChaosTopology } from './chaos-topology.js';
import { seedRetentionBait } from './retention-bait.js';
import { SimHooks } from './sim-hooks.js';

/** The Redis key prefix of the service under test (its own private Redis, so any fixed prefix would do). */
export const CHAOS_PREFIX = 'fsx-dr-chaos';

/** A Redis fault the run caused: a restart (standalone, a cluster node) or a primary SIGKILLed (Sentinel). */
export interface RedisFault {
  readonly kind: 'restart' | 'primary-kill';
  readonly at: number;
  /** When Redis served writes again (the promotion, or the restarted node answering). */
  readonly backAt: number;
  readonly detail: string;
}

/**
 * Everything the service processes run against: the FSx simulator (in this process, so its clock, faults and
 * ledger are at hand), a private Redis with AOF and `appendfsync always` (a restart keeps every acknowledged
 * write, as the README asks operators to run it): one redis-server, a Sentinel set (primary, replica, three
 * sentinels) or a three-primary cluster; the policy file, and the environment a process gets: compressed time
 * through the same FSXDR_* variables an operator has.
 */
export class ChaosWorld {
  readonly reader: RedisClient;
  readonly outcomes: OutcomeStore;
  /** Backups planted in the destinations that retention must leave alone (see retention-bait.ts). */
  retentionBait = 0;
  /** The prefix the service's keys carry (in a hash tag on a cluster). */
  readonly keyPrefix: string;
  readonly redisFaults: RedisFault[] = [];

  private constructor(
    readonly sim: FsxSimulator,
    readonly hooks: SimHooks,
    readonly redis: RedisDeployment,
    readonly configPath: string,
    private readonly tempDir: string,
  ) {
    this.keyPrefix = serviceKeyPrefix(CHAOS_PREFIX, redis.topology);
    this.reader = redis.client();
    this.outcomes = new OutcomeStore(this.reader, this.keyPrefix, { maxCount: 1e9, maxAgeMs: 1e12 });
  }

  get redisRestarts(): number {
    return this.redisFaults.length;
  }

  static async start(
    profile: ChaosProfile,
    topology: ChaosTopology,
    seed: number,
    redisTopology: RedisTopology = 'standalone',
  ): Promise<ChaosWorld> {
    const hooks = new SimHooks(seed, profile.copyDurationMs, profile.baseCopyFailureRate);
    const sim = await startFsxSimulator({
      seed,
      copyDuration: hooks.copyDuration,
      copyFailure: hooks.copyFailure,
      latencyMs: hooks.latencyMs,
      // Real FSx pages hold at most 50 and may be short; small pages make every listing paginate.
      pageSize: 20,
    });
    hooks.attach(sim);
    const redis = await startRedisDeployment(redisTopology, {
      appendonly: true,
      standalone: { forcePrivate: true },
    });
    const tempDir = await mkdtemp(join(tmpdir(), 'fsxdr-chaos-'));
    const configPath = join(tempDir, 'policies.yaml');
    await writeFile(configPath, policyYaml(topology));
    seedFileSystems(sim, topology);
    const world = new ChaosWorld(sim, hooks, redis, configPath, tempDir);
    world.retentionBait = seedRetentionBait(sim, topology, CHAOS_PREFIX);
    return world;
  }

  /** The environment of every `fsx-dr` process: the simulator, the private Redis, and compressed time. */
  env(): Record<string, string> {
    return {
      PATH: process.env['PATH'] ?? '',
      ...awsTestEnv(this.sim.endpoint),
      ...this.redis.env(),
      FSXDR_PREFIX: CHAOS_PREFIX,
      LOG_LEVEL: 'info',
      // Several processes share this host: each takes a free port for /healthz and /metrics.
      FSXDR_HTTP_PORT: '0',
      FSXDR_HTTP_HOST: '127.0.0.1',
      FSXDR_LOCK_DURATION: '2s',
      FSXDR_STALLED_INTERVAL: '1s',
      FSXDR_FSX_REQUEST_TIMEOUT: '1500ms',
      FSXDR_TRANSIENT_RETRY_BASE: '100ms',
      FSXDR_TRANSIENT_RETRY_CAP: '1s',
      FSXDR_SOURCE_WAIT_BASE: '250ms',
      FSXDR_SOURCE_WAIT_CAP: '2s',
      FSXDR_REGION_FULL_DELAY: '300ms',
    };
  }

  /**
   * The Redis fault of this topology. Standalone: a restart (SIGTERM, down `downMs`, AOF keeps the data).
   * Sentinel: SIGKILL of the primary (a crash: what the replica had not received is lost), the sentinels promote
   * the replica, and the killed node comes back after `downMs` as a replica of the new primary, in sync before
   * the next kill. Cluster: SIGKILL of the node that serves the service's slot, started again after `downMs`.
   */
  async redisFault(downMs: number): Promise<RedisFault> {
    const at = Date.now();
    let fault: RedisFault;
    const { standalone, sentinel, cluster } = this.redis;
    if (sentinel) {
      const { killed, primary } = await sentinel.killPrimary();
      fault = {
        kind: 'primary-kill',
        at,
        backAt: Date.now(),
        detail: `primary 127.0.0.1:${killed.port} SIGKILLed, 127.0.0.1:${primary.port} promoted`,
      };
      await pause(downMs);
      await sentinel.restart(killed);
      await sentinel.waitUntilHealthy(60_000);
    } else if (cluster) {
      const node = cluster.nodeForSlot(await cluster.keySlot(`${this.keyPrefix}:outcomes`));
      await node.kill('SIGKILL');
      await pause(downMs);
      await node.launch();
      await cluster.waitUntilOk();
      fault = {
        kind: 'restart',
        at,
        backAt: Date.now(),
        detail: `node 127.0.0.1:${node.port} SIGKILLed, restarted`,
      };
    } else if (standalone) {
      await standalone.restart(downMs);
      fault = { kind: 'restart', at, backAt: Date.now(), detail: 'redis-server restarted' };
    } else {
      throw new Error('no Redis');
    }
    this.redisFaults.push(fault);
    return fault;
  }

  async close(): Promise<void> {
    this.reader.disconnect();
    await this.sim.close();
    await this.redis.stop();
    await rm(this.tempDir, { recursive: true, force: true });
  }
}

/** Every file system, each with two AVAILABLE backups an hour old: the first slot has a full plan to make. */
function seedFileSystems(sim: FsxSimulator, topology: ChaosTopology): void {
  const now = Date.now();
  for (const fs of topology.fileSystems) {
    sim.addFileSystem({ region: fs.region, fileSystemId: fs.fileSystemId, type: fs.type });
    for (const ageMs of [7_200_000, 3_600_000]) {
      sim.addBackup({ region: fs.region, fileSystemId: fs.fileSystemId, creationTime: now - ageMs });
    }
  }
}

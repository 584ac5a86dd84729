import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import { awsTestEnv } from '../../test/support/aws-env.js';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { startRedis, type TestRedis } from '../../test/support/redis-server.js';
import type { ChaosProfile } from './chaos-profile.js';
import { policyYaml, type ChaosTopology } from './chaos-topology.js';
import { seedRetentionBait } from './retention-bait.js';
import { SimHooks } from './sim-hooks.js';

/** The Redis key prefix of the service under test (its own private Redis, so any fixed prefix would do). */
export const CHAOS_PREFIX = 'fsx-dr-chaos';

/**
 * Everything the service processes run against: the FSx simulator (in this process, so its clock, faults and
 * ledger are at hand), a private redis-server with AOF and `appendfsync always` (a restart keeps every
 * acknowledged write, as the README asks operators to run it), the policy file, and the environment a process
 * gets: compressed time through the same FSXDR_* variables an operator has.
 */
export class ChaosWorld {
  readonly reader: Redis;
  readonly outcomes: OutcomeStore;
  redisRestarts = 0;
  /** Backups planted in the destinations that retention must leave alone (see retention-bait.ts). */
  retentionBait = 0;

  private constructor(
    readonly sim: FsxSimulator,
    readonly hooks: SimHooks,
    readonly redis: TestRedis,
    readonly configPath: string,
    private readonly tempDir: string,
  ) {
    this.reader = new Redis(redis.url, { maxRetriesPerRequest: null });
    this.reader.on('error', () => undefined);
    this.outcomes = new OutcomeStore(this.reader, CHAOS_PREFIX, { maxCount: 1e9, maxAgeMs: 1e12 });
  }

  static async start(profile: ChaosProfile, topology: ChaosTopology, seed: number): Promise<ChaosWorld> {
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
    const redis = await startRedis({ appendonly: true, forcePrivate: true });
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
      REDIS_URL: this.redis.url,
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

  async restartRedis(downMs: number): Promise<void> {
    await this.redis.restart(downMs);
    this.redisRestarts += 1;
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

import type { RedisTopology } from '../../src/config/redis-target.js';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import type { RedisClient } from '../../src/queue/redis-connection.js';
import { startFsxSimulator, type FsxSimulator, type FsxSimulatorOptions } from '../../simulator/src/index.js';
import type { StartRedisOptions, TestRedis } from './redis-server.js';
import { startRedisDeployment, type RedisDeployment } from './redis-topology.js';
import { FAST_ENV, ServiceProcess, writePolicyFile } from './service-process.js';

export interface PolicySpec {
  readonly name?: string;
  /** Default: yearly, so the only fire is the catch-up of the last slot when the service starts. */
  readonly schedule?: string;
  readonly sourceRegion?: string;
  readonly fileSystemIds: readonly string[];
  readonly destinations: readonly string[];
  readonly rpo?: string;
}

/** A policy file for tests: one or more policies, fast polling. */
export function policyYaml(policies: readonly PolicySpec[], settings = 'pollInterval: 100ms'): string {
  const body = policies
    .map(
      (p, i) => `  - name: ${p.name ?? `policy-${i + 1}`}
    schedule: "${p.schedule ?? '0 0 1 1 *'}"${p.rpo ? `\n    rpo: ${p.rpo}` : ''}
    source:
      region: ${p.sourceRegion ?? 'us-east-1'}
      fileSystemIds: [${p.fileSystemIds.join(', ')}]
    destinations:
${p.destinations.map((d) => `      - region: ${d}`).join('\n')}`,
    )
    .join('\n');
  return `settings:\n  ${settings}\npolicies:\n${body}\n`;
}

/** `fs-` + 17 hex digits, numbered. */
export function fsId(n: number): string {
  return `fs-${n.toString(16).padStart(17, '0')}`;
}

/**
 * One test's world: the FSx simulator, a private Redis (standalone, or Sentinel, or a cluster), and `fsx-dr`
 * processes started as a user starts them, all pointed at each other; `close()` stops everything.
 */
export class PipelineHarness {
  readonly processes: ServiceProcess[] = [];
  /** A connection of the test's own, to the service's Redis (it follows failovers). */
  readonly reader: RedisClient;
  readonly store: OutcomeStore;

  private constructor(
    readonly sim: FsxSimulator,
    readonly deployment: RedisDeployment,
  ) {
    this.reader = deployment.client();
    this.store = new OutcomeStore(this.reader, deployment.keyPrefix, { maxCount: 1e9, maxAgeMs: 1e12 });
  }

  static async start(
    sim: FsxSimulatorOptions = {},
    redis: StartRedisOptions = {},
    topology: RedisTopology = 'standalone',
  ): Promise<PipelineHarness> {
    const deployment = await startRedisDeployment(topology, {
      standalone: redis,
      ...(redis.appendonly !== undefined ? { appendonly: redis.appendonly } : {}),
    });
    return new PipelineHarness(await startFsxSimulator(sim), deployment);
  }

  /** The standalone Redis (to stop or restart it); only tests on a standalone topology have one. */
  get redis(): TestRedis {
    const r = this.deployment.standalone;
    if (!r) throw new Error(`this test needs a standalone Redis, not ${this.deployment.topology}`);
    return r;
  }

  /** The environment of every service process of this test. */
  env(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      ...FAST_ENV,
      ...this.deployment.env(),
      FSXDR_PREFIX: this.deployment.prefix,
      AWS_ENDPOINT_URL_FSX: this.sim.endpoint,
      // The simulator answers STS too: accounts' roles are assumed there, never at AWS.
      AWS_ENDPOINT_URL_STS: this.sim.endpoint,
      ...extra,
    };
  }

  /** Seeds file systems, each with one AVAILABLE backup; returns the backup ids in order. */
  seed(
    fileSystemIds: readonly string[],
    region = 'us-east-1',
    type: 'WINDOWS' | 'LUSTRE' | 'OPENZFS' = 'WINDOWS',
  ): string[] {
    return fileSystemIds.map((id) => {
      this.sim.addFileSystem({ region, fileSystemId: id, type });
      return this.sim.addBackup({ region, fileSystemId: id, creationTime: Date.now() - 60_000 });
    });
  }

  run(configPath: string, role: 'all' | 'scheduler' | 'worker' = 'all', extraEnv = {}): ServiceProcess {
    const p = ServiceProcess.start(['run', '--config', configPath, '--role', role], this.env(extraEnv));
    this.processes.push(p);
    return p;
  }

  async policyFile(policies: readonly PolicySpec[], settings?: string): Promise<string> {
    return writePolicyFile(policyYaml(policies, settings));
  }

  async outcomes(): Promise<CopyOutcome[]> {
    return this.store.list({ limit: 100_000 });
  }

  /** Waits until `n` outcomes are recorded. */
  async waitForOutcomes(n: number, timeoutMs = 30_000): Promise<CopyOutcome[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await this.outcomes();
      if (all.length >= n) return all;
      if (Date.now() > deadline) {
        throw new Error(
          `${all.length} of ${n} outcomes after ${timeoutMs} ms: ${JSON.stringify(all.slice(0, 3))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** CopyBackup requests the simulator received, per destination Region. */
  copyRequests(region?: string) {
    return this.sim.requests.filter(
      (r) => r.operation === 'CopyBackup' && (region === undefined || r.region === region),
    );
  }

  /** CopyBackup requests that arrived while five of the service's own copies were already in progress. */
  overAdmissions(limit = 5) {
    return this.copyRequests().filter((r) => (r.inFlightAtArrival?.service ?? 0) >= limit);
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL')));
    this.reader.disconnect();
    await this.sim.close();
    await this.deployment.stop();
  }
}

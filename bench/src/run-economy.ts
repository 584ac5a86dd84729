import { randomBytes } from 'node:crypto';
import type { FsxSimulator, RecordedRequest } from '../../simulator/src/index.js';
import type { TestRedis } from '../../test/support/redis-server.js';
import { writePolicyFile } from '../../test/support/service-process.js';
import type { BenchProfile } from './bench-profile.js';
import { contendedFileSystems, contendedPoliciesYaml, type ContendedSet } from './contended-set.js';
import { durationKey, type CopyInterval, type CopyRecorder } from './copy-recorder.js';
import { policyBlockFor, policyFileYaml, seedCopySet, type CopySet } from './copy-set.js';
import { ForeignCopyDriver, type ForeignTarget } from './foreign-copy-driver.js';
import type { SlotInterval } from './free-slot-time.js';
import { seedNewestCopies } from './seed-newest-copies.js';
import { ServiceLauncher } from './service-launcher.js';

/**
 * One `fsx-dr run` process for the economy scenarios: any of (a) a contended set, (b) a set beside foreign copies,
 * (c) a polling set, each in destination Regions of its own (slots are per Region, so they do not meet at FSx), under
 * one environment (today's behaviour or the new default). The run ends when every copy has an outcome.
 */
export interface EconomyParts {
  readonly contended?: ContendedSet;
  readonly foreign?: { readonly set: CopySet; readonly targets: readonly ForeignTarget[] };
  readonly polling?: CopySet;
}

export interface EconomyRunInput {
  readonly sim: FsxSimulator;
  readonly redis: TestRedis;
  readonly recorder: CopyRecorder;
  readonly profile: BenchProfile;
  readonly pollMs: number;
  /** FSXDR_* settings of this run (on top of the bench's own). */
  readonly env: Readonly<Record<string, string>>;
  readonly parts: EconomyParts;
}

export interface EconomyRunOutput {
  readonly intervals: readonly CopyInterval[];
  readonly requests: readonly RecordedRequest[];
  /** Slots the other tool held in scenario (b)'s Region. */
  readonly foreignIntervals: readonly SlotInterval[];
  readonly failedCopies: number;
  readonly wallMs: number;
}

const TERMINAL_EVENTS = ['copy.succeeded', 'copy.failed', 'copy.expired'] as const;

function seedContended(sim: FsxSimulator, set: ContendedSet, createdAt: number): Map<string, number> {
  const durations = new Map<string, number>();
  for (const ids of contendedFileSystems(set).values()) {
    for (const fileSystemId of ids) {
      sim.addFileSystem({ region: set.spec.sourceRegion, fileSystemId, type: 'WINDOWS' });
    }
  }
  const first = set.pairs.get(set.spec.regions[0] ?? '') ?? [];
  for (const pair of first) {
    sim.addBackup({
      region: set.spec.sourceRegion,
      fileSystemId: pair.fileSystemId,
      backupId: pair.sourceBackupId,
      creationTime: createdAt,
    });
  }
  for (const pairs of set.pairs.values()) {
    for (const p of pairs) durations.set(durationKey(p.sourceBackupId, p.destinationRegion), p.durationMs);
  }
  return durations;
}

function expectedCopies(parts: EconomyParts): number {
  const contended = [...(parts.contended?.pairs.values() ?? [])].reduce((a, p) => a + p.length, 0);
  return contended + (parts.foreign?.set.targets.length ?? 0) + (parts.polling?.targets.length ?? 0);
}

export async function runEconomy(input: EconomyRunInput): Promise<EconomyRunOutput> {
  const { sim, recorder, parts, profile } = input;
  sim.reset();
  recorder.clear();
  const now = Date.now();
  const createdAt = now - 60_000;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const blocks: string[] = [];
  recorder.useDurations(parts.contended ? seedContended(sim, parts.contended, createdAt) : new Map());
  if (parts.contended) {
    await seedNewestCopies(input.redis.url, prefix, parts.contended, now);
    blocks.push(contendedPoliciesYaml(parts.contended));
  }
  for (const set of [parts.foreign?.set, parts.polling]) {
    if (!set) continue;
    seedCopySet(sim, set, createdAt);
    blocks.push(policyBlockFor(set));
  }
  const config = await writePolicyFile(policyFileYaml(input.pollMs, ...blocks));
  const started = Date.now();
  const service = ServiceLauncher.start({
    args: ['run', '--config', config],
    env: {
      REDIS_URL: input.redis.url,
      FSXDR_PREFIX: prefix,
      AWS_ENDPOINT_URL_FSX: sim.endpoint,
      LOG_LEVEL: 'info',
      FSXDR_HTTP_PORT: '0',
      FSXDR_HTTP_HOST: '127.0.0.1',
      ...input.env,
    },
  });
  const foreignRegion = parts.foreign?.set.spec.destinations[0];
  const driver =
    parts.foreign && foreignRegion !== undefined
      ? new ForeignCopyDriver(
          sim,
          foreignRegion,
          parts.foreign.targets,
          profile.slotsPerRegion,
          () => recorder.intervals().find((c) => c.destinationRegion === foreignRegion)?.start,
        )
      : undefined;
  driver?.start();
  const expected = expectedCopies(parts);
  const finished = (): number => TERMINAL_EVENTS.reduce((a, e) => a + service.count(e), 0);
  let foreignIntervals: SlotInterval[] = [];
  try {
    await service.waitUntil(
      `${expected} copy outcomes`,
      () => finished() >= expected,
      10 * expected * profile.meanCopyMs + 60_000,
    );
  } finally {
    foreignIntervals = driver?.stop() ?? [];
    await service.stop();
  }
  return {
    intervals: [...recorder.intervals()],
    requests: [...sim.requests],
    foreignIntervals,
    failedCopies: service.count('copy.failed') + service.count('copy.expired'),
    wallMs: Date.now() - started,
  };
}

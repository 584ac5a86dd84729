import { randomBytes } from 'node:crypto';
import type { FsxSimulator, RecordedRequest } from '../../simulator/src/index.js';
import type { TestRedis } from '../../test/support/redis-server.js';
import { writePolicyFile } from '../../test/support/service-process.js';
import { apiEconomy } from './api-economy.js';
import type { BenchProfile } from './bench-profile.js';
import type { CopyRecorder, CopyInterval } from './copy-recorder.js';
import { policyYamlFor, seedCopySet, type CopySet } from './copy-set.js';
import type { StrategyRun } from './strategy-run.js';
import { ServiceLauncher } from './service-launcher.js';
import { slotMetrics } from './slot-metrics.js';

export interface ServiceScenarioInput {
  readonly sim: FsxSimulator;
  readonly redis: TestRedis;
  readonly recorder: CopyRecorder;
  readonly set: CopySet;
  readonly profile: BenchProfile;
  readonly pollFraction: number;
  readonly planOrderDurations: ReadonlyMap<string, readonly number[]>;
  readonly cpuProfileDir?: string;
}

const TERMINAL_EVENTS = ['copy.succeeded', 'copy.failed', 'copy.expired'] as const;

function elapsedBetween(a: string | undefined, b: string | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return Date.parse(b) - Date.parse(a);
}

/**
 * One run of the service on one scenario, as users run it: a policy file, `fsx-dr run --config`, a Redis and
 * (what it takes for) FSx. The slot catch-up at start plans every copy at once; the run ends when every copy has
 * an outcome, and the process is stopped with SIGTERM as a container would be.
 */
export async function runServiceScenario(input: ServiceScenarioInput): Promise<StrategyRun> {
  const { sim, recorder, set, profile } = input;
  const pollMs = Math.round(profile.meanCopyMs * input.pollFraction);
  sim.reset();
  recorder.clear();
  seedCopySet(sim, set, Date.now() - 60_000);
  const config = await writePolicyFile(policyYamlFor(set, pollMs));
  const started = Date.now();
  const service = ServiceLauncher.start({
    args: ['run', '--config', config],
    env: {
      REDIS_URL: input.redis.url,
      FSXDR_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      AWS_ENDPOINT_URL_FSX: sim.endpoint,
      LOG_LEVEL: 'info',
      // The health and metrics server stays on, as in production, on a free port.
      FSXDR_HTTP_PORT: '0',
      FSXDR_HTTP_HOST: '127.0.0.1',
    },
    ...(input.cpuProfileDir !== undefined && { cpuProfileDir: input.cpuProfileDir }),
  });
  const expected = set.targets.length;
  const finished = (): number => TERMINAL_EVENTS.reduce((a, e) => a + service.count(e), 0);
  const boundMs = (set.spec.fileSystems * profile.meanCopyMs) / profile.slotsPerRegion;
  try {
    await service.waitUntil(`${expected} copy outcomes`, () => finished() >= expected, 4 * boundMs + 60_000);
  } finally {
    service.sample();
    await service.stop();
  }
  const wallMs = Date.now() - started;
  const proc = service.sample();
  const requests: RecordedRequest[] = [...sim.requests];
  const intervals: CopyInterval[] = [...recorder.intervals()];
  const firstStart = Math.min(...intervals.map((c) => c.start));
  return {
    scenario: set.spec.id,
    strategy: 'service',
    label: `fsx-dr, poll ${(input.pollFraction * 100).toFixed(0)} %`,
    clock: 'real',
    pollMs,
    pollFraction: input.pollFraction,
    slots: slotMetrics(intervals, input.planOrderDurations, profile.slotsPerRegion),
    api: apiEconomy(requests, intervals.length, profile.slotsPerRegion),
    destinationApi: apiEconomy(
      requests.filter((r) => set.spec.destinations.includes(r.region)),
      intervals.length,
      profile.slotsPerRegion,
    ),
    intervals,
    failedCopies: service.count('copy.failed') + service.count('copy.expired'),
    wallMs,
    service: {
      cpuMs: proc?.cpuMs ?? Number.NaN,
      peakRssBytes: proc?.peakRssBytes ?? Number.NaN,
      timeToFirstCopyMs: firstStart - started,
      planMs:
        elapsedBetween(
          service.first.get('schedule.fired')?.time,
          service.first.get('schedule.planned')?.time,
        ) ?? Number.NaN,
    },
  };
}

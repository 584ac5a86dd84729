import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load-config.js';
import { copyQueueName } from '../../src/queue/queue-names.js';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { startRedis, type TestRedis } from '../../test/support/redis-server.js';
import { writePolicyFile } from '../../test/support/service-process.js';
import type { BenchProfile } from './bench-profile.js';
import { buildCopySet, policyYamlFor, seedCopySet } from './copy-set.js';
import { measurePlanBreakdown, type PlanBreakdown } from './plan-breakdown.js';
import type { ProcessSample } from './process-stats.js';
import { usedMemory } from './redis-memory.js';
import { ServiceLauncher } from './service-launcher.js';

/** The scale figures: one slot of a 10,000 file system policy with three destinations, end to end. */
export interface ScaleResult {
  readonly fileSystems: number;
  readonly destinations: number;
  readonly jobs: number;
  readonly queuedJobs: number;
  readonly scheduler: {
    /** From the `schedule.fired` log line to `schedule.planned`: list, plan and enqueue every job. */
    readonly planEnqueueMs: number;
    /** The same with `fsxLatencyMs` added to every FSx call. */
    readonly planEnqueueWithLatencyMs: number;
    readonly fsxLatencyMs: number;
    /** From spawning the process to `schedule.planned` (start-up and config load included). */
    readonly spawnToPlannedMs: number;
    readonly planCpuMs: number;
    readonly planCpuMsPerJob: number;
    readonly totalCpuMs: number;
    readonly peakRssBytes: number;
  };
  readonly redis: { readonly usedMemoryDeltaBytes: number; readonly bytesPerJob: number };
  readonly breakdown: PlanBreakdown;
  readonly worker: {
    readonly sampledJobs: number;
    readonly cpuMsPerJob: number;
    readonly jobsPerSecond: number;
    readonly copyBackupPerJob: number;
    readonly describeBackupsPerJob: number;
    readonly peakRssBytes: number;
  };
  /** Scheduler CPU per job (plan and enqueue) plus worker CPU per job (run the copy): the service's overhead. */
  readonly overheadCpuMsPerJob: number;
}

interface Mark {
  readonly sample: ProcessSample | undefined;
  readonly at: number;
  readonly jobs: number;
  readonly requestIndex: number;
}

function cpuBetween(a: Mark | undefined, b: Mark | undefined): number {
  return (b?.sample?.cpuMs ?? Number.NaN) - (a?.sample?.cpuMs ?? Number.NaN);
}

/**
 * `fsx-dr run --role scheduler` until its slot is planned: the time between its own `schedule.fired` and
 * `schedule.planned` lines (what an operator sees), and its CPU between the two moments those lines arrive.
 */
async function runScheduler(
  env: Record<string, string>,
  config: string,
  timeoutMs: number,
  cpuProfileDir?: string,
) {
  const scheduler = ServiceLauncher.start({
    args: ['run', '--config', config, '--role', 'scheduler'],
    env,
    ...(cpuProfileDir !== undefined && { cpuProfileDir }),
  });
  const marks = new Map<string, Mark>();
  scheduler.onLine((line) => {
    if (line.event === 'schedule.fired' || line.event === 'schedule.planned') {
      marks.set(line.event, { sample: scheduler.sample(), at: Date.now(), jobs: 0, requestIndex: 0 });
    }
  });
  try {
    await scheduler.waitUntil('schedule.planned', () => scheduler.count('schedule.planned') > 0, timeoutMs);
  } finally {
    await scheduler.stop();
  }
  const fired = scheduler.first.get('schedule.fired')?.time;
  const planned = scheduler.first.get('schedule.planned');
  return {
    planEnqueueMs: Date.parse(planned?.time ?? '') - Date.parse(fired ?? ''),
    spawnToPlannedMs: (marks.get('schedule.planned')?.at ?? Number.NaN) - scheduler.startedAt,
    planCpuMs: cpuBetween(marks.get('schedule.fired'), marks.get('schedule.planned')),
    totalCpuMs: scheduler.sample()?.cpuMs ?? Number.NaN,
    peakRssBytes: scheduler.sample()?.peakRssBytes ?? Number.NaN,
    enqueued: Number(planned?.['enqueued'] ?? Number.NaN),
  };
}

/**
 * `fsx-dr run --role worker` on the queues the scheduler filled: CPU per job over `execSampleJobs` jobs after
 * `execWarmupJobs` (start-up and the JIT's warm-up left out), and the FSx calls the simulator saw meanwhile.
 */
async function runWorker(
  env: Record<string, string>,
  config: string,
  sim: FsxSimulator,
  spec: BenchProfile['scale'],
  timeoutMs: number,
  cpuProfileDir?: string,
): Promise<ScaleResult['worker']> {
  const worker = ServiceLauncher.start({
    args: ['run', '--config', config, '--role', 'worker'],
    env,
    ...(cpuProfileDir !== undefined && { cpuProfileDir }),
  });
  let from: Mark | undefined;
  let to: Mark | undefined;
  let done = 0;
  worker.onLine((line) => {
    if (line.event !== 'copy.succeeded') return;
    done += 1;
    const mark = (): Mark => ({
      sample: worker.sample(),
      at: Date.now(),
      jobs: done,
      requestIndex: sim.requests.length,
    });
    if (done === spec.execWarmupJobs) from = mark();
    if (done === spec.execWarmupJobs + spec.execSampleJobs) to = mark();
  });
  try {
    await worker.waitUntil('the sampled copy jobs', () => to !== undefined, timeoutMs);
  } finally {
    await worker.stop();
  }
  const jobs = (to?.jobs ?? 0) - (from?.jobs ?? 0);
  const window = sim.requests.slice(from?.requestIndex ?? 0, to?.requestIndex ?? 0);
  const count = (op: string): number => window.filter((r) => r.operation === op).length;
  return {
    sampledJobs: jobs,
    cpuMsPerJob: cpuBetween(from, to) / jobs,
    jobsPerSecond: (jobs * 1000) / ((to?.at ?? 0) - (from?.at ?? 0)),
    copyBackupPerJob: count('CopyBackup') / jobs,
    describeBackupsPerJob: count('DescribeBackups') / jobs,
    peakRssBytes: worker.sample()?.peakRssBytes ?? Number.NaN,
  };
}

/**
 * Scale, as users run it: `fsx-dr run --role scheduler` plans one slot of a policy of `fileSystems` file systems
 * to three Regions (catch-up at start), then `fsx-dr run --role worker` runs copy jobs off those queues. Copies
 * take 1 ms in the simulator, so a job's cost is the service's own work (one CopyBackup, one look for an existing
 * copy, normally one poll), not waiting. A private Redis, so its memory figure is the service's alone.
 */
export async function runScale(
  profile: BenchProfile,
  pollMs: number,
  cpuProfileDir?: string,
): Promise<ScaleResult> {
  const spec = profile.scale;
  const set = buildCopySet(
    {
      id: 'one-region',
      title: 'scale',
      sourceRegion: 'us-east-1',
      fileSystems: spec.fileSystems,
      destinations: spec.destinations,
    },
    0xfff,
  );
  const jobs = spec.fileSystems * spec.destinations.length;
  const sim = await startFsxSimulator({ seed: profile.seed, copyDuration: 1 });
  let redis: TestRedis | undefined;
  let conn: Redis | undefined;
  try {
    seedCopySet(sim, set, Date.now() - 60_000);
    redis = await startRedis({ forcePrivate: true });
    conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const config = await writePolicyFile(policyYamlFor(set, pollMs));
    const env = {
      REDIS_URL: redis.url,
      FSXDR_PREFIX: 'bench-scale',
      AWS_ENDPOINT_URL_FSX: sim.endpoint,
      LOG_LEVEL: 'info',
      FSXDR_HTTP_PORT: '0',
      FSXDR_HTTP_HOST: '127.0.0.1',
    };
    const memoryBefore = await usedMemory(conn);
    const scheduler = await runScheduler(env, config, 300_000, cpuProfileDir);
    const memoryDelta = (await usedMemory(conn)) - memoryBefore;
    sim.configure({ latencyMs: spec.fsxLatencyMs });
    const slow = await runScheduler({ ...env, FSXDR_PREFIX: 'bench-scale-latency' }, config, 300_000);
    sim.configure({ latencyMs: 0 });
    let queuedJobs = 0;
    for (const region of spec.destinations) {
      const q = new Queue(copyQueueName(region), { connection: conn, prefix: 'bench-scale' });
      const counts = await q.getJobCounts('wait', 'prioritized', 'delayed', 'active');
      queuedJobs += Object.values(counts).reduce((a, b) => a + b, 0);
      await q.close();
    }
    const loaded = await loadConfig(config);
    const policy = loaded.policies[0];
    if (!policy) throw new Error('the scale policy did not load');
    const c = conn;
    const breakdown = await measurePlanBreakdown({
      policy,
      settings: loaded.settings,
      endpoint: sim.endpoint,
      redis: c,
      prefix: 'bench-scale-inproc',
      usedMemory: () => usedMemory(c),
    });
    const worker = await runWorker(env, config, sim, spec, 300_000, cpuProfileDir);
    const { enqueued: _, ...schedulerFigures } = scheduler;
    const planCpuMsPerJob = scheduler.planCpuMs / jobs;
    return {
      fileSystems: spec.fileSystems,
      destinations: spec.destinations.length,
      jobs,
      queuedJobs,
      scheduler: {
        ...schedulerFigures,
        planCpuMsPerJob,
        planEnqueueWithLatencyMs: slow.planEnqueueMs,
        fsxLatencyMs: spec.fsxLatencyMs,
      },
      redis: { usedMemoryDeltaBytes: memoryDelta, bytesPerJob: memoryDelta / jobs },
      breakdown,
      worker,
      overheadCpuMsPerJob: planCpuMsPerJob + worker.cpuMsPerJob,
    };
  } finally {
    conn?.disconnect();
    await redis?.stop();
    await sim.close();
  }
}

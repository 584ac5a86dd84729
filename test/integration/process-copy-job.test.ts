import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopyJobData } from '../../src/copy/copy-job.js';
import { DEFAULT_RETRY_LIMITS } from '../../src/copy/retry-policy.js';
import { toFsxErrorFacts } from '../../src/fsx/error-facts.js';
import { FsxGateway } from '../../src/fsx/fsx-gateway.js';
import { OutcomeStore } from '../../src/queue/outcome-store.js';
import { processCopyJob, type CopyJobPorts } from '../../src/service/process-copy-job.js';
import { startFsxSimulator, type FsxSimulator } from '../../simulator/src/index.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

// The copy logic driven directly (no BullMQ), against the simulator through the real SDK and a real Redis, where
// a process-level test would need deadlines too long for a test run. Smoke tests only, none timed against the copy:
// every way a copy can go is unit-tested through the ports with a fake clock (test/unit/service).
describe('processCopyJob', () => {
  let sim: FsxSimulator;
  let redis: TestRedis;
  let client: Redis;
  let store: OutcomeStore;
  let fsx: FsxGateway;
  let n = 0;

  beforeAll(async () => {
    sim = await startFsxSimulator();
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    store = new OutcomeStore(client, redis.prefix, { maxCount: 1000, maxAgeMs: 86_400_000 });
    fsx = new FsxGateway({ endpoint: sim.endpoint, maxAttempts: 1, requestTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    fsx.destroy();
    client.disconnect();
    await sim.close();
    await redis.stop();
  });

  const ports = (limits = DEFAULT_RETRY_LIMITS): CopyJobPorts => ({
    fsx,
    outcomes: store,
    errorFacts: toFsxErrorFacts,
    logger: pino({ level: 'silent' }),
    limits,
    now: () => Date.now(),
    random: () => 0.5,
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  });

  function job(patch: Partial<CopyJobData> = {}): { jobId: string; data: CopyJobData } {
    n += 1;
    const fileSystemId = `fs-${String(n).padStart(17, '0')}`;
    sim.addFileSystem({ region: 'us-east-1', fileSystemId, type: 'WINDOWS' });
    const sourceBackupId = sim.addBackup({ region: 'us-east-1', fileSystemId });
    const now = Date.now();
    return {
      jobId: `copy-test-${n}`,
      data: {
        sourceRegion: 'us-east-1',
        sourceBackupId,
        destinationRegion: 'us-west-2',
        policy: 'p',
        fileSystemId,
        sourceCreatedAt: now - 1000,
        slotMs: now,
        copyTags: false,
        tags: { 'fsx-dr:source-backup-id': sourceBackupId },
        enqueuedAt: now,
        startDeadlineAt: now + 60_000,
        completionDeadlineMs: 60_000,
        pollIntervalMs: 50,
        ...patch,
      },
    };
  }

  async function run(
    j: { jobId: string; data: CopyJobData },
    signal = new AbortController().signal,
    limits = DEFAULT_RETRY_LIMITS,
  ) {
    let saved = j.data;
    const step = await processCopyJob(
      {
        ...j,
        attempt: 1,
        signal,
        saveData: (d) => {
          saved = d;
          return Promise.resolve();
        },
      },
      ports(limits),
    );
    return { step, saved };
  }

  it('records `expired` when a started copy outlives its completion deadline', async () => {
    sim.configure({ copyDuration: 60_000 });
    const j = job({ completionDeadlineMs: 300 });
    const { step } = await run(j);
    expect(step).toMatchObject({
      kind: 'failed',
      outcome: {
        status: 'expired',
        errorName: 'CompletionDeadlineExceeded',
        destinationBackupId: expect.any(String) as string,
      },
    });
    expect((await store.list({ limit: 10 })).find((o) => o.jobId === j.jobId)?.status).toBe('expired');
  });

  it('fails with StartDeadlineExceeded instead of starting a copy past its start deadline', async () => {
    const j = job({ startDeadlineAt: Date.now() - 1 });
    const { step } = await run(j);
    expect(step).toMatchObject({ kind: 'failed', outcome: { errorName: 'StartDeadlineExceeded' } });
    expect(sim.copiesOf(j.data.sourceBackupId, 'us-west-2')).toHaveLength(0);
  });

  it('attaches to a copy that already exists in the destination instead of making another', async () => {
    sim.configure({ copyDuration: 100 });
    const j = job();
    const first = await run(j);
    expect(first.step).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    const copies = sim.copiesOf(j.data.sourceBackupId, 'us-west-2');
    expect(copies).toHaveLength(1);
    // Another job for the same copy key, without its checkpoint and without the "copied" marker (as after a
    // Redis that lost data): it finds the copy by its source id and records, without a new CopyBackup.
    await client.del(`${redis.prefix}:copied:us-east-1.${j.data.sourceBackupId}.us-west-2`);
    const before = sim.requests.filter((r) => r.operation === 'CopyBackup').length;
    const again = await run({ jobId: `${j.jobId}-again`, data: j.data });
    expect(again.step).toMatchObject({
      kind: 'completed',
      outcome: { status: 'succeeded', reusedExistingCopy: true },
    });
    expect(sim.requests.filter((r) => r.operation === 'CopyBackup').length).toBe(before);
    expect(sim.copiesOf(j.data.sourceBackupId, 'us-west-2')).toHaveLength(1);
  });

  it('attaches only to its own deployment’s copy: another tool’s or deployment’s copy of the source is not its own', async () => {
    sim.configure({ copyDuration: 100 });
    const j = job({ tags: { 'fsx-dr:source-backup-id': '', 'fsx-dr:deployment': 'prod' } });
    const tags = { ...j.data.tags, 'fsx-dr:source-backup-id': j.data.sourceBackupId };
    const data = { ...j.data, tags };
    const base = { region: 'us-west-2', sourceRegion: 'us-east-1', sourceBackupId: j.data.sourceBackupId };
    sim.addCopy(base);
    sim.addCopy({ ...base, tags: { ...tags, 'fsx-dr:deployment': 'staging' } });
    const { step } = await run({ jobId: j.jobId, data });
    expect(step).toMatchObject({ kind: 'completed', outcome: { status: 'succeeded' } });
    expect(step.kind === 'completed' ? step.outcome?.reusedExistingCopy : undefined).toBeUndefined();
    const copies = sim.copiesOf(j.data.sourceBackupId, 'us-west-2');
    expect(copies.map((c) => c.origin).sort()).toEqual(['foreign-copy', 'foreign-copy', 'service-copy']);
    // A later job for the same copy (its marker lost) attaches to the service's copy, not to the others.
    await client.del(`${redis.prefix}:copied:us-east-1.${j.data.sourceBackupId}.us-west-2`);
    const again = await run({ jobId: `${j.jobId}-again`, data });
    const own = copies.find((c) => c.origin === 'service-copy');
    expect(again.step).toMatchObject({
      kind: 'completed',
      outcome: { reusedExistingCopy: true, destinationBackupId: own?.backupId },
    });
  });

  it('skips a copy already recorded as made, without calling FSx', async () => {
    sim.configure({ copyDuration: 50 });
    const j = job();
    await run(j);
    const before = sim.requests.length;
    const again = await run({ jobId: `${j.jobId}-later-slot`, data: j.data });
    expect(again.step).toEqual({ kind: 'completed' });
    expect(sim.requests.length).toBe(before);
  });
});

import { CopyBackupCommand, type FSxClient } from '@aws-sdk/client-fsx';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/types.js';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';
import { validateConfigDocuments } from '../../../src/config/validate-config-documents.js';
import { copyKeyId } from '../../../src/copy/copy-key.js';
import { DEFAULT_RETRY_LIMITS } from '../../../src/copy/retry-policy.js';
import type { FsxGateway } from '../../../src/fsx/fsx-gateway.js';
import { EstateStore } from '../../../src/queue/estate-store.js';
import { AccountGateways } from '../../../src/fsx/account-gateways.js';
import { DEFAULT_ACCOUNT } from '../../../src/copy/account-region.js';
import { CopyJobReferences } from '../../../src/queue/copy-job-references.js';
import { CopyQueues } from '../../../src/queue/copy-queues.js';
import { DeletionStore } from '../../../src/queue/deletion-store.js';
import { RetentionQueues } from '../../../src/queue/retention-queues.js';
import { RetentionSnapshotStore } from '../../../src/queue/retention-snapshot-store.js';
import { deletionJobData } from '../../../src/retention/deletion-job.js';
import type { DeletionRecord } from '../../../src/retention/deletion-record.js';
import { planSweep } from '../../../src/retention/plan-sweep.js';
import { retentionScope } from '../../../src/retention/retention-scope.js';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../../../simulator/src/index.js';
import { startRetentionWorkers, type RetentionWorkers } from '../../../workers/retention-worker.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { eventually } from '../../support/service-process.js';

// The retention workers in this process, against a real Redis and the FSx simulator through the real SDK: sweeps
// and deletions as BullMQ jobs, the guards, the records. The whole service across many slots is in
// retention-service.test.ts.
const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const scope = retentionScope(DEST);
const HOUR = 3_600_000;

let sim: FsxSimulator;
let redis: TestRedis;
let client: Redis;
let gateways: AccountGateways;
let fsx: FsxGateway;
let dest: FSxClient;
let n = 0;

beforeAll(async () => {
  sim = await startFsxSimulator({ copyDuration: 1 });
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  gateways = new AccountGateways({ endpoint: sim.endpoint, maxAttempts: 1, requestTimeoutMs: 2_000 });
  fsx = gateways.gateway(DEFAULT_ACCOUNT);
  dest = fsxClientFor(sim, DEST);
});
afterAll(async () => {
  gateways.destroy();
  dest.destroy();
  client.disconnect();
  await sim.close();
  await redis.stop();
});

interface World {
  readonly prefix: string;
  readonly fileSystemId: string;
  readonly lines: Record<string, unknown>[];
  readonly config: { current: Config };
  readonly queues: RetentionQueues;
  readonly copyQueues: CopyQueues;
  readonly records: DeletionStore;
  readonly workers: RetentionWorkers;
}
let world: World | undefined;

afterEach(async () => {
  await world?.workers.close();
  await world?.queues.close();
  await world?.copyQueues.close();
  world = undefined;
  sim.configure({ deleteRequiresTag: undefined, fileSystemFilterFindsCopies: undefined });
});

function configOf(fileSystemId: string, retention: string, settings = ''): Config {
  const text = `settings:
  retention: { sweepInterval: 1h${settings} }
policies:
  - name: prod
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, fileSystemIds: [${fileSystemId}] }
    retention: ${retention}
    destinations:
      - region: ${DEST}
`;
  const result = validateConfigDocuments([{ file: 'p.yaml', text }]);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function start(retention: string, settings = ''): World {
  n += 1;
  const prefix = `${redis.prefix}-${n}`;
  const fileSystemId = `fs-${String(n).padStart(17, '0')}`;
  sim.addFileSystem({ region: SOURCE, fileSystemId, type: 'WINDOWS' });
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const config = { current: configOf(fileSystemId, retention, settings) };
  const queues = new RetentionQueues(client, prefix);
  const copyQueues = new CopyQueues(client, prefix);
  const records = new DeletionStore(client, prefix, { maxCount: 10_000, maxAgeMs: 86_400_000 });
  const workers = startRetentionWorkers({
    connection: client,
    prefix,
    gateways,
    estate: new EstateStore(client, prefix),
    logger,
    getConfig: () => config.current,
    deployment: prefix,
    retention: queues,
    deletions: records,
    snapshots: new RetentionSnapshotStore(client, prefix),
    references: new CopyJobReferences((region) => copyQueues.queue(region)),
    limits: { ...DEFAULT_RETRY_LIMITS, transientBaseMs: 50, transientCapMs: 200 },
    lockDurationMs: 5_000,
    stalledIntervalMs: 5_000,
  });
  world = { prefix, fileSystemId, lines, config, queues, copyQueues, records, workers };
  return world;
}

/** A source backup `hours` old and this deployment's copy of it in DEST, made by CopyBackup as the service makes it. */
async function copyOf(
  w: World,
  hoursAgo: number,
  deployment = w.prefix,
): Promise<{ source: string; copy: string }> {
  const created = Date.now() - hoursAgo * HOUR;
  const source = sim.addBackup({ region: SOURCE, fileSystemId: w.fileSystemId, creationTime: created });
  const tags = {
    [SERVICE_TAG_KEYS.policy]: 'prod',
    [SERVICE_TAG_KEYS.sourceBackupId]: source,
    [SERVICE_TAG_KEYS.sourceRegion]: SOURCE,
    [SERVICE_TAG_KEYS.deployment]: deployment,
    [SERVICE_TAG_KEYS.fileSystemId]: w.fileSystemId,
    [SERVICE_TAG_KEYS.recoveryPoint]: new Date(created).toISOString(),
  };
  const { Backup } = await dest.send(
    new CopyBackupCommand({
      SourceBackupId: source,
      SourceRegion: SOURCE,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
  const copy = Backup?.BackupId ?? '';
  await eventually(
    'copy AVAILABLE',
    () => sim.backups(DEST).find((b) => b.backupId === copy)?.lifecycle === 'AVAILABLE',
  );
  return { source, copy };
}

async function recordsOf(w: World): Promise<DeletionRecord[]> {
  return w.records.list({ limit: 10_000 });
}

async function waitForRecords(w: World, count: number): Promise<DeletionRecord[]> {
  let found: DeletionRecord[] = [];
  await eventually(`${count} deletion records`, async () => (found = await recordsOf(w)).length >= count);
  return found;
}

const live = (id: string): boolean =>
  sim.backups(DEST).some((b) => b.backupId === id && b.lifecycle !== 'DELETED');
const deleteRequests = (ids: readonly string[]) =>
  sim.requests.filter(
    (r) => r.operation === 'DeleteBackup' && ids.includes((r.params as { BackupId: string }).BackupId),
  );

describe('retention workers', () => {
  it('show themselves to the /healthz stall watch: each queue, its load, and when the worker last took a job', async () => {
    const w = start('{ keepLast: 2 }');
    const [watched, ...more] = w.workers.watched();
    expect(more).toHaveLength(0);
    expect(watched?.queue).toBe('retention-us-west-2');
    expect(watched?.lastTakenAt()).toBeUndefined();
    const before = Date.now();
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    await eventually('the sweep taken', () => (watched?.lastTakenAt() ?? 0) >= before);
    await eventually('the sweep done', () => w.lines.some((l) => l['event'] === 'retention.swept'));
    expect(await watched?.load()).toEqual({ waiting: 0, active: 0, concurrency: 2, held: false });
  });

  it('keepLast 2: a sweep deletes this deployment’s older copies only, each once, with a token, logged with its ids', async () => {
    const w = start('{ keepLast: 2 }');
    sim.configure({ deleteRequiresTag: { key: SERVICE_TAG_KEYS.deployment, value: w.prefix } });
    const mine = [];
    for (const hours of [5, 4, 3, 2, 1]) mine.push(await copyOf(w, hours));
    const oldest = mine[0]!;
    // Backups of the same source in the destination that are not this deployment's copies.
    const withOurTags = sim.backups(DEST).find((b) => b.backupId === oldest.copy)!.tags;
    const foreign = [
      sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: oldest.source }),
      sim.addCopy({
        region: DEST,
        sourceRegion: SOURCE,
        sourceBackupId: oldest.source,
        type: 'AWS_BACKUP',
        tags: withOurTags,
      }),
      sim.addCopy({
        region: DEST,
        sourceRegion: SOURCE,
        sourceBackupId: oldest.source,
        type: 'AUTOMATIC',
        tags: withOurTags,
      }),
      (await copyOf(w, 6, 'another-deployment')).copy,
      // Someone's in-Region copy of our copy, tags copied along: its SourceBackupId gives it away.
      sim.addCopy({ region: DEST, sourceRegion: DEST, sourceBackupId: oldest.copy, tags: withOurTags }),
    ];

    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    const records = await waitForRecords(w, 3);
    expect(records.map((r) => r.result)).toEqual(['deleted', 'deleted', 'deleted']);
    expect(records.map((r) => r.backupId).sort()).toEqual(
      mine
        .slice(0, 3)
        .map((m) => m.copy)
        .sort(),
    );
    expect(mine.map((m) => live(m.copy))).toEqual([false, false, false, true, true]);
    expect(foreign.every(live)).toBe(true);
    const requests = deleteRequests(sim.backups(DEST).map((b) => b.backupId));
    expect(requests).toHaveLength(3);
    expect(
      new Set(requests.map((r) => (r.params as { ClientRequestToken: string }).ClientRequestToken)).size,
    ).toBe(3);
    const deleted = w.lines.filter((l) => l['event'] === 'retention.deleted');
    expect(deleted).toHaveLength(3);
    expect(deleted[0]).toMatchObject({
      backupId: expect.stringMatching(/^backup-/) as string,
      fileSystemId: w.fileSystemId,
      sourceRegion: SOURCE,
      destinationRegion: DEST,
      account: 'default',
      policy: 'prod',
      why: 'no-rule-keeps-it',
      rules: 'keepLast 2 (UTC)',
      keeperBackupId: mine[4]?.copy,
    });
    expect(w.lines.find((l) => l['event'] === 'retention.swept')).toMatchObject({
      candidates: 3,
      enqueued: 3,
    });

    // The same interval swept again (another replica) adds nothing; a later one finds nothing to delete.
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    await w.queues.addPeriodicSweep(scope, 2_000, HOUR);
    await eventually(
      'second sweep',
      () => w.lines.filter((l) => l['event'] === 'retention.swept').length >= 2,
    );
    expect(w.lines.filter((l) => l['event'] === 'retention.swept')).toHaveLength(2);
    expect(w.lines.filter((l) => l['event'] === 'retention.swept')[1]).toMatchObject({ candidates: 0 });
    expect(deleteRequests(sim.backups(DEST).map((b) => b.backupId))).toHaveLength(3);
  });

  it('a pair sweep after copies succeed: requests close together share one listing, and only their pairs are decided', async () => {
    const w = start('{ keepLast: 1 }');
    const other = `fs-${String(1000 + n).padStart(17, '0')}`;
    sim.addFileSystem({ region: SOURCE, fileSystemId: other, type: 'WINDOWS' });
    w.config.current = configOf(`${w.fileSystemId}, ${other}`, '{ keepLast: 1 }');
    const mine = [await copyOf(w, 3), await copyOf(w, 2), await copyOf(w, 1)];
    const theirs = [
      await copyOf({ ...w, fileSystemId: other }, 3),
      await copyOf({ ...w, fileSystemId: other }, 1),
    ];
    const pair = {
      account: 'default',
      sourceRegion: SOURCE,
      fileSystemId: w.fileSystemId,
      destinationRegion: DEST,
    };
    const listingsBefore = sim.requests.filter(
      (r) => r.operation === 'DescribeBackups' && r.region === DEST,
    ).length;
    await Promise.all([1, 2, 3].map(() => w.queues.requestPairSweep(pair, Date.now(), 300)));
    const records = await waitForRecords(w, 2);
    await eventually('pair sweep logged', () => w.lines.some((l) => l['event'] === 'retention.swept'));
    const swept = w.lines.filter((l) => l['event'] === 'retention.swept');
    expect(swept).toHaveLength(1);
    expect(swept[0]).toMatchObject({ kind: 'pairs', pairs: 1, candidates: 2 });
    expect(records.map((r) => r.backupId).sort()).toEqual([mine[0]?.copy, mine[1]?.copy].sort());
    // The other pair, not asked for, keeps its old copy until a full sweep.
    expect(theirs.every((c) => live(c.copy))).toBe(true);
    const listings = sim.requests.filter(
      (r) => r.operation === 'DescribeBackups' && r.region === DEST,
    ).length;
    // One listing of the Region (its pages) for the three requests, plus the re-reads of the two deletions.
    expect(listings - listingsBefore).toBeLessThanOrEqual(3);
    expect(await w.queues.pendingPairs(scope)).toEqual([]);
  });

  it('skips, right before DeleteBackup, a copy an unfinished copy job refers to', async () => {
    const w = start('{ keepLast: 1 }');
    const old = await copyOf(w, 3);
    await copyOf(w, 1);
    // Decided while no job referred to it...
    const plan = planSweep({
      scope,
      deployment: w.prefix,
      config: w.config.current,
      backups: await fsx.listUserInitiatedBackups(DEST),
      now: Date.now(),
    });
    expect(plan.deletions.map((d) => d.copy.backupId)).toEqual([old.copy]);
    // ...then a copy job of its key is handed back to its queue with that copy as its checkpoint.
    const key = { sourceRegion: SOURCE, sourceBackupId: old.source, destinationRegion: DEST };
    await w.copyQueues
      .queue(DEST)
      .add(
        'copy',
        { checkpoint: { destinationBackupId: old.copy } },
        { jobId: 'copy-ref-1', deduplication: { id: copyKeyId(key) } },
      );
    await w.queues.addDeletions(scope, [
      deletionJobData(scope, plan.deletions[0]!, 'sweep-test', Date.now()),
    ]);
    const [record] = await waitForRecords(w, 1);
    expect(record).toMatchObject({
      result: 'skipped',
      guard: 'referenced',
      referencedBy: 'copy-ref-1',
      backupId: old.copy,
    });
    expect(live(old.copy)).toBe(true);
    expect(deleteRequests([old.copy])).toHaveLength(0);
    expect(w.lines.find((l) => l['event'] === 'retention.skipped')).toMatchObject({
      guard: 'referenced',
      backupId: old.copy,
    });
    // A full sweep keeps it too, for the same reason, while the job is unfinished.
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    await eventually('sweep', () => w.lines.some((l) => l['event'] === 'retention.swept'));
    expect(w.lines.find((l) => l['event'] === 'retention.swept')).toMatchObject({
      candidates: 0,
      referenced: 1,
    });
    await new Queue(`copy-${DEST}`, { connection: client, prefix: w.prefix }).obliterate({ force: true });
  });

  it('maxDeletionsPerSweep: a rule change that would delete ten copies deletes three per sweep, oldest first', async () => {
    const w = start('{ keepLast: 12 }', ', maxDeletionsPerSweep: 3');
    const mine = [];
    for (let hours = 11; hours >= 1; hours -= 1) mine.push(await copyOf(w, hours));
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    await eventually('first sweep', () => w.lines.some((l) => l['event'] === 'retention.swept'));
    expect(await recordsOf(w)).toHaveLength(0);

    w.config.current = configOf(w.fileSystemId, '{ keepLast: 1 }', ', maxDeletionsPerSweep: 3');
    for (const [i, slot] of [2_000, 3_000, 4_000, 5_000].entries()) {
      await w.queues.addPeriodicSweep(scope, slot, HOUR);
      await waitForRecords(w, Math.min(10, 3 * (i + 1)));
    }
    const records = await recordsOf(w);
    expect(records).toHaveLength(10);
    const perSweep = new Map<string, number>();
    for (const r of records) perSweep.set(r.sweepId, (perSweep.get(r.sweepId) ?? 0) + 1);
    expect([...perSweep.values()].sort()).toEqual([1, 3, 3, 3]);
    const swept = w.lines.filter((l) => l['event'] === 'retention.swept').slice(1);
    expect(swept.map((l) => [l['candidates'], l['deletions'], l['deferred']])).toEqual([
      [10, 3, 7],
      [7, 3, 4],
      [4, 3, 1],
      [1, 1, 0],
    ]);
    // Oldest recovery points went first.
    const first = records
      .filter((r) => r.sweepId === 'sweep-2000')
      .map((r) => r.backupId)
      .sort();
    expect(first).toEqual(
      mine
        .slice(0, 3)
        .map((m) => m.copy)
        .sort(),
    );
    expect(mine.map((m) => live(m.copy))).toEqual([...Array<boolean>(10).fill(false), true]);
  });

  it('retries a copy being restored from, and deletes it once the restore is over', async () => {
    const w = start('{ keepLast: 1 }');
    const old = await copyOf(w, 2);
    await copyOf(w, 1);
    sim.startRestore(DEST, old.copy, 400);
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    const [record] = await waitForRecords(w, 1);
    expect(record).toMatchObject({ result: 'deleted', backupId: old.copy });
    expect(w.lines.filter((l) => l['event'] === 'retention.retry').length).toBeGreaterThan(0);
    expect(w.lines.find((l) => l['event'] === 'retention.retry')).toMatchObject({
      errorName: 'BackupRestoring',
      backupId: old.copy,
    });
    expect(deleteRequests([old.copy]).at(-1)?.status).toBe(200);
  });

  it('a refusal (the IAM tag condition) is recorded failed and loud, and not sent again by the next sweep', async () => {
    const w = start('{ keepLast: 1 }');
    sim.configure({ deleteRequiresTag: { key: SERVICE_TAG_KEYS.deployment, value: 'some-other-prefix' } });
    const old = await copyOf(w, 2);
    await copyOf(w, 1);
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    const [record] = await waitForRecords(w, 1);
    expect(record).toMatchObject({
      result: 'failed',
      errorName: 'AccessDeniedException',
      backupId: old.copy,
    });
    expect(w.lines.find((l) => l['event'] === 'retention.failed')).toMatchObject({
      level: 50,
      errorName: 'AccessDeniedException',
    });
    expect(live(old.copy)).toBe(true);
    await w.queues.addPeriodicSweep(scope, 2_000, HOUR);
    await eventually(
      'second sweep',
      () => w.lines.filter((l) => l['event'] === 'retention.swept').length >= 2,
    );
    expect(deleteRequests([old.copy])).toHaveLength(1);
    expect(await recordsOf(w)).toHaveLength(1);
  });

  it('a deletion job that failed on its own (not refused by FSx) does not block its backup: the next sweep replaces it', async () => {
    const w = start('{ keepLast: 1 }');
    const old = await copyOf(w, 2);
    await copyOf(w, 1);
    // A job for that backup that fails without FSx refusing anything (here: data it cannot read), kept as failed.
    const queue = w.queues.queue(scope);
    const broken = await queue.add(
      'delete',
      { nonsense: true },
      { jobId: `delete-${old.copy}`, attempts: 1 },
    );
    await eventually('the broken job failed', async () => (await broken.getState()) === 'failed');
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    const [record] = await waitForRecords(w, 1);
    expect(record).toMatchObject({ result: 'deleted', backupId: old.copy });
    expect(live(old.copy)).toBe(false);
  });

  it('dryRun: decides, records and logs every would-be deletion, and sends no DeleteBackup', async () => {
    const w = start('{ keepLast: 1 }', ', dryRun: true');
    const mine = [];
    for (const hours of [4, 3, 2, 1]) mine.push(await copyOf(w, hours));
    const before = sim.requests.filter((r) => r.operation === 'DeleteBackup').length;
    await w.queues.addPeriodicSweep(scope, 1_000, HOUR);
    const records = await waitForRecords(w, 3);
    expect(records.map((r) => r.result)).toEqual(['would-delete', 'would-delete', 'would-delete']);
    expect(
      w.lines
        .filter((l) => l['event'] === 'retention.would_delete')
        .map((l) => l['backupId'])
        .sort(),
    ).toEqual(
      mine
        .slice(0, 3)
        .map((m) => m.copy)
        .sort(),
    );
    expect(sim.requests.filter((r) => r.operation === 'DeleteBackup').length).toBe(before);
    expect(mine.every((m) => live(m.copy))).toBe(true);
  });
});

import {
  BadRequest,
  BackupNotFound,
  CopyBackupCommand,
  DescribeBackupsCommand,
  IncompatibleParameterError,
  InvalidDestinationKmsKey,
  InvalidRegion,
  InvalidSourceKmsKey,
  ServiceLimitExceeded,
  SourceBackupUnavailable,
  UnsupportedOperation,
  type CopyBackupCommandInput,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// CopyBackup as FSx does it: called in the destination Region, limited to five in flight, idempotent on its token.
const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const FS = 'fs-0123456789abcdef0';
const ONTAP_FS = 'fs-0aaaaaaaaaaaaaaaa';

let sim: FsxSimulator;
let dest: FSxClient;

beforeAll(async () => {
  sim = await startFsxSimulator({ clock: 'manual', startTime: Date.parse('2025-03-01T00:00:00Z') });
  dest = fsxClientFor(sim, DEST, { maxAttempts: 1 });
});
afterAll(async () => {
  dest.destroy();
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({
    copyDuration: undefined,
    copyFailure: undefined,
    invalidKmsKeys: undefined,
    backupQuota: undefined,
  });
  sim.addFileSystem({ region: SOURCE, fileSystemId: FS, type: 'WINDOWS' });
  sim.addFileSystem({ region: SOURCE, fileSystemId: ONTAP_FS, type: 'ONTAP' });
});

function seedSources(count: number): string[] {
  return Array.from({ length: count }, () => sim.addBackup({ region: SOURCE, fileSystemId: FS }));
}

function copy(input: Partial<CopyBackupCommandInput> & { SourceBackupId: string }, client = dest) {
  return client.send(new CopyBackupCommand({ SourceRegion: SOURCE, ...input }));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

async function lifecycleOf(
  backupId: string,
): Promise<{ lifecycle?: string; progress?: number; failure?: string }> {
  const { Backups } = await dest.send(new DescribeBackupsCommand({ BackupIds: [backupId] }));
  const backup = Backups?.[0];
  return {
    ...(backup?.Lifecycle !== undefined && { lifecycle: backup.Lifecycle }),
    ...(backup?.ProgressPercent !== undefined && { progress: backup.ProgressPercent }),
    ...(backup?.FailureDetails?.Message !== undefined && { failure: backup.FailureDetails.Message }),
  };
}

describe('the five-copy limit per destination Region', () => {
  it('refuses the sixth concurrent copy with ServiceLimitExceeded TOTAL_IN_PROGRESS_COPY_BACKUPS', async () => {
    const sources = seedSources(6);
    for (const id of sources.slice(0, 5)) await copy({ SourceBackupId: id });

    const error = await rejection(copy({ SourceBackupId: sources[5]! }));
    expect(error).toBeInstanceOf(ServiceLimitExceeded);
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_IN_PROGRESS_COPY_BACKUPS');
    expect(sim.inFlight(DEST)).toEqual({ total: 5, service: 5, foreign: 0 });

    sim.clock.advance(1_000); // default copy duration: the five finish, their slots free up
    await expect(copy({ SourceBackupId: sources[5]! })).resolves.toMatchObject({
      Backup: { Lifecycle: 'COPYING' },
    });
    expect(sim.peakInFlight(DEST)).toEqual({ total: 5, service: 5, foreign: 0 });
  });

  it('counts copies that something else in the account started', async () => {
    sim.addForeignCopies(DEST, 3);
    const sources = seedSources(3);
    await copy({ SourceBackupId: sources[0]! });
    await copy({ SourceBackupId: sources[1]! });

    const error = await rejection(copy({ SourceBackupId: sources[2]! }));
    expect(error).toBeInstanceOf(ServiceLimitExceeded);
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_IN_PROGRESS_COPY_BACKUPS');
    expect(sim.inFlight(DEST)).toEqual({ total: 5, service: 2, foreign: 3 });
  });

  it('limits each destination Region on its own', async () => {
    const [first, second] = seedSources(2);
    sim.addForeignCopies(DEST, 5);
    const euWest = fsxClientFor(sim, 'eu-west-1', { maxAttempts: 1 });
    await expect(copy({ SourceBackupId: first! }, euWest)).resolves.toBeDefined();
    await expect(rejection(copy({ SourceBackupId: second! }))).resolves.toBeInstanceOf(ServiceLimitExceeded);
    euWest.destroy();
  });
});

describe('copy lifecycle on the simulator clock', () => {
  it('moves a copy from COPYING through rising progress to AVAILABLE', async () => {
    sim.configure({ copyDuration: 10_000 });
    const [source] = seedSources(1);
    const { Backup } = await copy({ SourceBackupId: source! });
    expect(Backup).toMatchObject({
      Lifecycle: 'COPYING',
      Type: 'USER_INITIATED',
      SourceBackupId: source,
      SourceBackupRegion: SOURCE,
      ProgressPercent: 0,
    });
    sim.clock.advance(4_000);
    expect(await lifecycleOf(Backup!.BackupId!)).toEqual({ lifecycle: 'COPYING', progress: 40 });
    sim.clock.advance(5_999);
    expect(await lifecycleOf(Backup!.BackupId!)).toEqual({ lifecycle: 'COPYING', progress: 99 });
    sim.clock.advance(1);
    expect(await lifecycleOf(Backup!.BackupId!)).toEqual({ lifecycle: 'AVAILABLE', progress: 100 });
    expect(sim.inFlight(DEST).total).toBe(0);
  });

  it('reports the exact peak of overlapping copies, service and foreign apart', async () => {
    // Intervals: A [0, 1000), B [500, 3500), C [2500, 4500), foreign F [3000, 3200). Peak: B+C+F = 3 at 3000.
    const durations = [1_000, 3_000, 2_000];
    sim.configure({ copyDuration: (info) => durations[info.sequence - 1] ?? 1_000 });
    const [a, b, c] = seedSources(3);
    await copy({ SourceBackupId: a! });
    sim.clock.advance(500);
    await copy({ SourceBackupId: b! });
    sim.clock.advance(2_000);
    await copy({ SourceBackupId: c! });
    sim.clock.advance(500);
    sim.addForeignCopies(DEST, 1, 200);
    expect(sim.inFlight(DEST)).toEqual({ total: 3, service: 2, foreign: 1 });
    sim.clock.advance(2_000);
    expect(sim.inFlight(DEST)).toEqual({ total: 0, service: 0, foreign: 0 });
    expect(sim.peakInFlight(DEST)).toEqual({ total: 3, service: 2, foreign: 1 });
  });

  it('ends a copy FAILED with the FailureDetails message the test chose', async () => {
    sim.configure({ copyFailure: (info) => (info.sequence === 2 ? 'The KMS key is disabled.' : undefined) });
    const [first, second] = seedSources(2);
    const ok = await copy({ SourceBackupId: first! });
    const bad = await copy({ SourceBackupId: second! });
    sim.clock.advance(1_000);
    expect(await lifecycleOf(ok.Backup!.BackupId!)).toMatchObject({ lifecycle: 'AVAILABLE' });
    expect(await lifecycleOf(bad.Backup!.BackupId!)).toEqual({
      lifecycle: 'FAILED',
      failure: 'The KMS key is disabled.',
    });
  });
});

describe('the source backup', () => {
  it('refuses a CREATING source with SourceBackupUnavailable carrying BackupId, and copies it once AVAILABLE', async () => {
    const now = sim.clock.now();
    const source = sim.addBackup({
      region: SOURCE,
      fileSystemId: FS,
      creationTime: now,
      availableAt: now + 60_000,
    });

    const error = await rejection(copy({ SourceBackupId: source }));
    expect(error).toBeInstanceOf(SourceBackupUnavailable);
    expect((error as SourceBackupUnavailable).BackupId).toBe(source);

    sim.clock.advance(60_000);
    await expect(copy({ SourceBackupId: source })).resolves.toMatchObject({
      Backup: { Lifecycle: 'COPYING' },
    });
  });

  it('keeps a source CREATING until the test says otherwise', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS, lifecycle: 'CREATING' });
    sim.clock.advance(24 * 3600_000);
    await expect(rejection(copy({ SourceBackupId: source }))).resolves.toBeInstanceOf(
      SourceBackupUnavailable,
    );
    sim.setLifecycle(SOURCE, source, 'AVAILABLE');
    await expect(copy({ SourceBackupId: source })).resolves.toBeDefined();
  });

  it('says BackupNotFound, with the id, for a source that does not exist', async () => {
    const error = await rejection(copy({ SourceBackupId: 'backup-0123456789abcdef0' }));
    expect(error).toBeInstanceOf(BackupNotFound);
    expect(error).toMatchObject({ BackupId: 'backup-0123456789abcdef0' });
  });

  it('refuses to copy an ONTAP backup with UnsupportedOperation', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: ONTAP_FS });
    await expect(rejection(copy({ SourceBackupId: source }))).resolves.toBeInstanceOf(UnsupportedOperation);
  });
});

describe('ClientRequestToken', () => {
  it('returns the same copy for the same token and parameters, and makes only one', async () => {
    const [source] = seedSources(1);
    const first = await copy({ SourceBackupId: source!, ClientRequestToken: 'job-1' });
    sim.clock.advance(2_000);
    sim.addForeignCopies(DEST, 5); // the Region is full now, yet the retry still gets its copy back
    const again = await copy({ SourceBackupId: source!, ClientRequestToken: 'job-1' });

    expect(again.Backup?.BackupId).toBe(first.Backup?.BackupId);
    expect(again.Backup?.Lifecycle).toBe('AVAILABLE');
    expect(sim.copiesOf(source!, DEST)).toHaveLength(1);
  });

  it('refuses the same token with other parameters with IncompatibleParameterError naming the parameter', async () => {
    const [source] = seedSources(1);
    await copy({ SourceBackupId: source!, ClientRequestToken: 'job-2' });
    const error = await rejection(
      copy({ SourceBackupId: source!, ClientRequestToken: 'job-2', KmsKeyId: 'alias/other' }),
    );
    expect(error).toBeInstanceOf(IncompatibleParameterError);
    expect((error as IncompatibleParameterError).Parameter).toBe('KmsKeyId');
    expect(sim.copiesOf(source!, DEST)).toHaveLength(1);
  });
});

describe('Regions, keys, tags and quotas', () => {
  it.each([
    ['us-east-1', 'cn-north-1'],
    ['us-gov-west-1', 'us-east-1'],
    ['us-iso-east-1', 'us-isob-east-1'],
    ['mars-central-1x', 'us-west-2'],
  ])('refuses a copy from %s to %s with InvalidRegion', async (from, to) => {
    const client = fsxClientFor(sim, to, { maxAttempts: 1 });
    const [source] = seedSources(1);
    await expect(
      rejection(copy({ SourceBackupId: source!, SourceRegion: from }, client)),
    ).resolves.toBeInstanceOf(InvalidRegion);
    client.destroy();
  });

  it('copies within a Region when SourceRegion is absent', async () => {
    const local = fsxClientFor(sim, SOURCE, { maxAttempts: 1 });
    const [source] = seedSources(1);
    const { Backup } = await local.send(new CopyBackupCommand({ SourceBackupId: source! }));
    expect(Backup).toMatchObject({ SourceBackupRegion: SOURCE, SourceBackupId: source });
    expect(sim.copiesOf(source!, SOURCE)).toHaveLength(1);
    local.destroy();
  });

  it('refuses invalid destination and source KMS keys, and a key of another Region', async () => {
    sim.configure({
      invalidKmsKeys: { destination: ['alias/broken'], source: ['arn:aws:kms:us-east-1:1:key/old'] },
    });
    const [source] = seedSources(1);
    const oldKeySource = sim.addBackup({
      region: SOURCE,
      fileSystemId: FS,
      kmsKeyId: 'arn:aws:kms:us-east-1:1:key/old',
    });
    await expect(
      rejection(copy({ SourceBackupId: source!, KmsKeyId: 'alias/broken' })),
    ).resolves.toBeInstanceOf(InvalidDestinationKmsKey);
    await expect(
      rejection(copy({ SourceBackupId: source!, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abc' })),
    ).resolves.toBeInstanceOf(InvalidDestinationKmsKey);
    await expect(rejection(copy({ SourceBackupId: oldKeySource }))).resolves.toBeInstanceOf(
      InvalidSourceKmsKey,
    );
    const { Backup } = await copy({ SourceBackupId: source!, KmsKeyId: 'alias/dr-key' });
    expect(Backup?.KmsKeyId).toBe('alias/dr-key');
  });

  it('merges source tags with Tags when CopyTags is set, Tags winning', async () => {
    const source = sim.addBackup({
      region: SOURCE,
      fileSystemId: FS,
      tags: { team: 'storage', env: 'prod' },
    });
    const { Backup } = await copy({
      SourceBackupId: source,
      CopyTags: true,
      Tags: [{ Key: 'env', Value: 'dr' }],
    });
    expect(Backup?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'team', Value: 'storage' },
        { Key: 'env', Value: 'dr' },
      ]),
    );
    expect(Backup?.Tags).toHaveLength(2);
    const plain = await copy({ SourceBackupId: source });
    expect(plain.Backup?.Tags).toEqual([]);
  });

  it('refuses a merged tag set above 50 with ServiceLimitExceeded TOTAL_USER_TAGS', async () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`s${i}`, 'v']));
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS, tags: many });
    const extra = Array.from({ length: 21 }, (_, i) => ({ Key: `t${i}`, Value: 'v' }));
    const error = await rejection(copy({ SourceBackupId: source, CopyTags: true, Tags: extra }));
    expect(error).toBeInstanceOf(ServiceLimitExceeded);
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_USER_TAGS');
  });

  it('refuses a copy beyond the backup quota with ServiceLimitExceeded TOTAL_USER_INITIATED_BACKUPS', async () => {
    sim.configure({ backupQuota: 1 });
    const [first, second] = seedSources(2);
    await copy({ SourceBackupId: first! });
    const error = await rejection(copy({ SourceBackupId: second! }));
    expect((error as ServiceLimitExceeded).Limit).toBe('TOTAL_USER_INITIATED_BACKUPS');
  });
});

describe('malformed CopyBackup requests', () => {
  const longToken = 'x'.repeat(64);
  it.each<[string, Partial<CopyBackupCommandInput>]>([
    ['a backup id that is not one', { SourceBackupId: 'backup-XYZ' }],
    ['a backup id too short', { SourceBackupId: 'backup-0123' }],
    ['an empty Tags list', { Tags: [] }],
    ['a tag key over 128 characters', { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] }],
    ['a tag value over 256 characters', { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }],
    ['51 tags', { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }],
    ['a token with a space', { ClientRequestToken: 'job 1' }],
    ['a token of 64 characters', { ClientRequestToken: longToken }],
    ['a SourceRegion in capitals', { SourceRegion: 'US-EAST-1' }],
    ['an empty KmsKeyId', { KmsKeyId: '' }],
  ])('answers BadRequest to %s', async (_what, input) => {
    const [source] = seedSources(1);
    const error = await rejection(copy({ ...input, SourceBackupId: input.SourceBackupId ?? source! }));
    expect(error).toBeInstanceOf(BadRequest);
    expect(sim.copiesOf(source!, DEST)).toHaveLength(0);
  });
});

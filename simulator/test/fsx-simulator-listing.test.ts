import {
  BackupBeingCopied,
  BackupInProgress,
  BackupNotFound,
  BadRequest,
  CopyBackupCommand,
  CreateBackupCommand,
  DeleteBackupCommand,
  DescribeBackupsCommand,
  DescribeFileSystemsCommand,
  FileSystemNotFound,
  paginateDescribeBackups,
  type Backup,
  type DescribeBackupsCommandInput,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// DescribeBackups, DeleteBackup, CreateBackup and DescribeFileSystems, as FSx answers them.
const REGION = 'us-east-1';
const DEST = 'eu-west-1';
const FS = 'fs-0123456789abcdef0';
const OTHER_FS = 'fs-0fedcba9876543210';

let sim: FsxSimulator;
let fsx: FSxClient;
let dest: FSxClient;

beforeAll(async () => {
  sim = await startFsxSimulator({ clock: 'manual', startTime: Date.parse('2025-03-01T00:00:00Z') });
  fsx = fsxClientFor(sim, REGION, { maxAttempts: 1 });
  dest = fsxClientFor(sim, DEST, { maxAttempts: 1 });
});
afterAll(async () => {
  fsx.destroy();
  dest.destroy();
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({ pageSize: undefined, deleteBlockedAfterCopyMs: undefined, deletedVisibleMs: undefined });
  sim.addFileSystem({ region: REGION, fileSystemId: FS, type: 'WINDOWS' });
  sim.addFileSystem({
    region: REGION,
    fileSystemId: OTHER_FS,
    type: 'LUSTRE',
    deploymentType: 'PERSISTENT_2',
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

async function listAll(
  input: DescribeBackupsCommandInput = {},
): Promise<{ backups: Backup[]; pages: number[] }> {
  const backups: Backup[] = [];
  const pages: number[] = [];
  for await (const page of paginateDescribeBackups({ client: fsx }, input)) {
    pages.push(page.Backups?.length ?? 0);
    backups.push(...(page.Backups ?? []));
  }
  return { backups, pages };
}

describe('DescribeBackups pagination', () => {
  it('returns each of 123 backups exactly once in short pages of 7', async () => {
    sim.configure({ pageSize: 7 });
    const seeded = Array.from({ length: 123 }, () => sim.addBackup({ region: REGION, fileSystemId: FS }));
    const { backups, pages } = await listAll();
    expect(backups.map((b) => b.BackupId).sort()).toEqual([...seeded].sort());
    expect(pages).toEqual([...Array<number>(17).fill(7), 4]);
  });

  it('carries a NextToken on a short page and never gives more than MaxResults or 50', async () => {
    Array.from({ length: 60 }, () => sim.addBackup({ region: REGION, fileSystemId: FS }));
    const first = await fsx.send(new DescribeBackupsCommand({ MaxResults: 1000 }));
    expect(first.Backups).toHaveLength(50);
    expect(first.NextToken).toBeDefined();
    sim.configure({ pageSize: 7 });
    const small = await fsx.send(new DescribeBackupsCommand({ MaxResults: 3 }));
    expect(small.Backups).toHaveLength(3);
    const short = await fsx.send(new DescribeBackupsCommand({ MaxResults: 20 }));
    expect(short.Backups).toHaveLength(7);
    expect(short.NextToken).toBeDefined();
  });

  it('still returns every earlier backup exactly once when backups are added between pages', async () => {
    sim.configure({ pageSize: 7 });
    const seeded = Array.from({ length: 40 }, () => sim.addBackup({ region: REGION, fileSystemId: FS }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await fsx.send(new DescribeBackupsCommand({ ...(token && { NextToken: token }) }));
      seen.push(...(page.Backups ?? []).map((b) => b.BackupId!));
      token = page.NextToken;
      sim.addBackup({ region: REGION, fileSystemId: FS });
    } while (token);
    for (const id of seeded) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses an invalid NextToken, and a token from another listing, with BadRequest', async () => {
    sim.configure({ pageSize: 7 });
    Array.from({ length: 10 }, () => sim.addBackup({ region: REGION, fileSystemId: FS }));
    await expect(
      rejection(fsx.send(new DescribeBackupsCommand({ NextToken: 'bm90LWEtdG9rZW4=' }))),
    ).resolves.toBeInstanceOf(BadRequest);
    const { NextToken } = await fsx.send(new DescribeBackupsCommand({}));
    const filtered = { Filters: [{ Name: 'file-system-id' as const, Values: [FS] }], NextToken };
    await expect(rejection(fsx.send(new DescribeBackupsCommand(filtered)))).resolves.toBeInstanceOf(
      BadRequest,
    );
  });
});

describe('DescribeBackups selection', () => {
  it('fails the whole call with BackupNotFound when one of BackupIds is missing', async () => {
    const present = sim.addBackup({ region: REGION, fileSystemId: FS });
    const error = await rejection(
      fsx.send(new DescribeBackupsCommand({ BackupIds: [present, 'backup-0000000000000000a'] })),
    );
    expect(error).toBeInstanceOf(BackupNotFound);
    const { Backups } = await fsx.send(new DescribeBackupsCommand({ BackupIds: [present] }));
    expect(Backups?.map((b) => b.BackupId)).toEqual([present]);
  });

  it('looks only in the Region the client is for', async () => {
    const id = sim.addBackup({ region: REGION, fileSystemId: FS });
    await expect(
      rejection(dest.send(new DescribeBackupsCommand({ BackupIds: [id] }))),
    ).resolves.toBeInstanceOf(BackupNotFound);
  });

  it('filters by file system, backup type and file system type', async () => {
    const windows = sim.addBackup({ region: REGION, fileSystemId: FS, type: 'AUTOMATIC' });
    const user = sim.addBackup({ region: REGION, fileSystemId: FS, type: 'USER_INITIATED' });
    const lustre = sim.addBackup({ region: REGION, fileSystemId: OTHER_FS });
    const ids = async (input: DescribeBackupsCommandInput) =>
      (await listAll(input)).backups.map((b) => b.BackupId).sort();
    expect(await ids({ Filters: [{ Name: 'file-system-id', Values: [FS] }] })).toEqual(
      [windows, user].sort(),
    );
    expect(await ids({ Filters: [{ Name: 'backup-type', Values: ['USER_INITIATED'] }] })).toEqual([user]);
    expect(await ids({ Filters: [{ Name: 'file-system-type', Values: ['LUSTRE', 'OPENZFS'] }] })).toEqual([
      lustre,
    ]);
    expect(
      await ids({
        Filters: [
          { Name: 'file-system-id', Values: [FS] },
          { Name: 'backup-type', Values: ['AUTOMATIC'] },
        ],
      }),
    ).toEqual([windows]);
  });

  it.each<[string, DescribeBackupsCommandInput]>([
    [
      '51 BackupIds',
      { BackupIds: Array.from({ length: 51 }, (_, i) => `backup-${String(i).padStart(17, '0')}`) },
    ],
    ['a malformed backup id', { BackupIds: ['bkp-1'] }],
    [
      '11 filters',
      {
        Filters: Array.from({ length: 11 }, () => ({ Name: 'backup-type' as const, Values: ['AUTOMATIC'] })),
      },
    ],
    [
      '21 filter values',
      { Filters: [{ Name: 'file-system-id', Values: Array.from({ length: 21 }, () => FS) }] },
    ],
    ['MaxResults 0', { MaxResults: 0 }],
  ])('answers BadRequest to %s', async (_what, input) => {
    await expect(rejection(fsx.send(new DescribeBackupsCommand(input)))).resolves.toBeInstanceOf(BadRequest);
  });

  it('puts timestamps on the wire so the SDK gives back the same instant', async () => {
    const created = Date.parse('2025-02-27T10:15:30.250Z');
    const id = sim.addBackup({ region: REGION, fileSystemId: FS, creationTime: created, sizeInBytes: 42 });
    const { Backups } = await fsx.send(new DescribeBackupsCommand({ BackupIds: [id] }));
    expect(Backups?.[0]?.CreationTime?.getTime()).toBe(created);
    expect(Backups?.[0]).toMatchObject({
      SizeInBytes: 42,
      OwnerId: '123456789012',
      FileSystem: { FileSystemId: FS },
    });
  });
});

describe('DeleteBackup', () => {
  it('deletes at once, lists the backup as DELETED for a while, then forgets it', async () => {
    sim.configure({ deletedVisibleMs: 10_000 });
    const id = sim.addBackup({ region: REGION, fileSystemId: FS });
    await expect(fsx.send(new DeleteBackupCommand({ BackupId: id }))).resolves.toMatchObject({
      BackupId: id,
      Lifecycle: 'DELETED',
    });
    const { Backups } = await fsx.send(new DescribeBackupsCommand({ BackupIds: [id] }));
    expect(Backups?.[0]?.Lifecycle).toBe('DELETED');
    sim.clock.advance(10_000);
    await expect(
      rejection(fsx.send(new DescribeBackupsCommand({ BackupIds: [id] }))),
    ).resolves.toBeInstanceOf(BackupNotFound);
  });

  it('says BackupNotFound for a missing backup and BackupInProgress for one being created', async () => {
    await expect(
      rejection(fsx.send(new DeleteBackupCommand({ BackupId: 'backup-0000000000000000a' }))),
    ).resolves.toBeInstanceOf(BackupNotFound);
    const creating = sim.addBackup({ region: REGION, fileSystemId: FS, lifecycle: 'CREATING' });
    await expect(
      rejection(fsx.send(new DeleteBackupCommand({ BackupId: creating }))),
    ).resolves.toBeInstanceOf(BackupInProgress);
  });

  it('says BackupBeingCopied for a source of a copy in progress, the copy itself, and a copy just finished', async () => {
    sim.configure({ deleteBlockedAfterCopyMs: 5_000 });
    const source = sim.addBackup({ region: REGION, fileSystemId: FS });
    const { Backup } = await dest.send(
      new CopyBackupCommand({ SourceBackupId: source, SourceRegion: REGION }),
    );
    const copyId = Backup!.BackupId!;

    const sourceError = await rejection(fsx.send(new DeleteBackupCommand({ BackupId: source })));
    expect(sourceError).toBeInstanceOf(BackupBeingCopied);
    expect((sourceError as BackupBeingCopied).BackupId).toBe(source);
    await expect(rejection(dest.send(new DeleteBackupCommand({ BackupId: copyId })))).resolves.toBeInstanceOf(
      BackupBeingCopied,
    );

    sim.clock.advance(1_000); // the copy is AVAILABLE, but only just
    await expect(fsx.send(new DeleteBackupCommand({ BackupId: source }))).resolves.toBeDefined();
    await expect(rejection(dest.send(new DeleteBackupCommand({ BackupId: copyId })))).resolves.toBeInstanceOf(
      BackupBeingCopied,
    );
    sim.clock.advance(5_000);
    await expect(dest.send(new DeleteBackupCommand({ BackupId: copyId }))).resolves.toMatchObject({
      Lifecycle: 'DELETED',
    });
    expect(sim.copiesOf(source, DEST)).toHaveLength(0);
  });

  it('refuses to delete an AWS Backup backup with BadRequest', async () => {
    const id = sim.addBackup({ region: REGION, fileSystemId: FS, type: 'AWS_BACKUP' });
    await expect(rejection(fsx.send(new DeleteBackupCommand({ BackupId: id })))).resolves.toBeInstanceOf(
      BadRequest,
    );
  });
});

describe('CreateBackup and DescribeFileSystems', () => {
  it('creates a USER_INITIATED backup that is CREATING, then AVAILABLE after the creation time', async () => {
    sim.configure({ creationDuration: 30_000 });
    const { Backup } = await fsx.send(
      new CreateBackupCommand({
        FileSystemId: FS,
        Tags: [{ Key: 'k', Value: 'v' }],
        ClientRequestToken: 'c-1',
      }),
    );
    expect(Backup).toMatchObject({
      Lifecycle: 'CREATING',
      Type: 'USER_INITIATED',
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    const again = await fsx.send(
      new CreateBackupCommand({
        FileSystemId: FS,
        Tags: [{ Key: 'k', Value: 'v' }],
        ClientRequestToken: 'c-1',
      }),
    );
    expect(again.Backup?.BackupId).toBe(Backup?.BackupId);
    await expect(rejection(fsx.send(new CreateBackupCommand({ FileSystemId: FS })))).resolves.toBeInstanceOf(
      BackupInProgress,
    );
    sim.clock.advance(30_000);
    const { Backups } = await fsx.send(new DescribeBackupsCommand({ BackupIds: [Backup!.BackupId!] }));
    expect(Backups?.[0]?.Lifecycle).toBe('AVAILABLE');
    expect(sim.backups(REGION)).toHaveLength(1);
  });

  it('says FileSystemNotFound for an unknown file system', async () => {
    await expect(
      rejection(fsx.send(new CreateBackupCommand({ FileSystemId: 'fs-0000000000000000a' }))),
    ).resolves.toBeInstanceOf(FileSystemNotFound);
  });

  it('describes the file systems of the Region with their type', async () => {
    const { FileSystems } = await fsx.send(new DescribeFileSystemsCommand({}));
    expect(FileSystems?.map((f) => [f.FileSystemId, f.FileSystemType]).sort()).toEqual(
      [
        [FS, 'WINDOWS'],
        [OTHER_FS, 'LUSTRE'],
      ].sort(),
    );
    expect(FileSystems?.find((f) => f.FileSystemId === OTHER_FS)?.LustreConfiguration?.DeploymentType).toBe(
      'PERSISTENT_2',
    );
  });
});

import {
  BackupRestoring,
  BadRequest,
  CopyBackupCommand,
  DeleteBackupCommand,
  DescribeBackupsCommand,
  paginateDescribeBackups,
  type Backup,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// What retention meets in a destination Region: copies other than the service's, the filter that may not find
// copies, and DeleteBackup with its token, its IAM condition and a restore in progress.
const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const FS = 'fs-0123456789abcdef0';

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
  sim.configure({ deleteRequiresTag: undefined, fileSystemFilterFindsCopies: undefined });
  sim.addFileSystem({ region: SOURCE, fileSystemId: FS, type: 'WINDOWS' });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

async function list(
  filters: { Name: 'file-system-id' | 'backup-type'; Values: string[] }[],
): Promise<Backup[]> {
  const out: Backup[] = [];
  for await (const page of paginateDescribeBackups({ client: dest }, { Filters: filters })) {
    out.push(...(page.Backups ?? []));
  }
  return out;
}

describe('copies the service did not make', () => {
  it('addCopy: a finished copy of a source, with its source, type and tags, as DescribeBackups shows it', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const other = sim.addCopy({
      region: DEST,
      sourceRegion: SOURCE,
      sourceBackupId: source,
      tags: { 'fsx-dr:deployment': 'someone-else' },
    });
    const awsBackup = sim.addCopy({
      region: DEST,
      sourceRegion: SOURCE,
      sourceBackupId: source,
      type: 'AWS_BACKUP',
    });
    const { Backups } = await dest.send(new DescribeBackupsCommand({ BackupIds: [other, awsBackup] }));
    expect(Backups?.map((b) => [b.Type, b.Lifecycle, b.SourceBackupId, b.SourceBackupRegion])).toEqual([
      ['USER_INITIATED', 'AVAILABLE', source, SOURCE],
      ['AWS_BACKUP', 'AVAILABLE', source, SOURCE],
    ]);
    expect(Backups?.[0]?.Tags).toEqual([{ Key: 'fsx-dr:deployment', Value: 'someone-else' }]);
    expect(Backups?.[0]?.FileSystem?.FileSystemId).toBe(FS);
    expect(sim.backups(DEST).map((b) => b.origin)).toEqual(['foreign-copy', 'foreign-copy']);
    expect(() =>
      sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: 'backup-0000000000000000a' }),
    ).toThrow(/no source backup/);
  });

  it('the file-system-id filter finds copies by default, and finds none with fileSystemFilterFindsCopies: false', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const { Backup } = await dest.send(
      new CopyBackupCommand({ SourceBackupId: source, SourceRegion: SOURCE }),
    );
    const byFileSystem = [{ Name: 'file-system-id' as const, Values: [FS] }];
    expect((await list(byFileSystem)).map((b) => b.BackupId)).toEqual([Backup?.BackupId]);
    sim.configure({ fileSystemFilterFindsCopies: false });
    expect(await list(byFileSystem)).toEqual([]);
    // The listing by type still finds it, with the source it was copied from.
    const userInitiated = await list([{ Name: 'backup-type', Values: ['USER_INITIATED'] }]);
    expect(userInitiated.map((b) => [b.BackupId, b.SourceBackupId])).toEqual([[Backup?.BackupId, source]]);
  });
});

describe('DeleteBackup', () => {
  it('is idempotent on ClientRequestToken, records who deleted, and says BackupNotFound without a token', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const copy = sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: source });
    const request = { BackupId: copy, ClientRequestToken: 'fsxdr-del-1' };
    await expect(dest.send(new DeleteBackupCommand(request))).resolves.toMatchObject({
      Lifecycle: 'DELETED',
    });
    await expect(dest.send(new DeleteBackupCommand(request))).resolves.toMatchObject({
      Lifecycle: 'DELETED',
    });
    expect(await rejection(dest.send(new DeleteBackupCommand({ BackupId: copy })))).toMatchObject({
      name: 'BackupNotFound',
    });
    expect(sim.backups(DEST)[0]).toMatchObject({ lifecycle: 'DELETED', deletedVia: 'DeleteBackup' });
    const other = sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: source });
    sim.setLifecycle(DEST, other, 'DELETED');
    expect(sim.backups(DEST).find((b) => b.backupId === other)).toMatchObject({ deletedVia: 'control' });
  });

  it('with deleteRequiresTag, refuses a backup without that tag and value with AccessDeniedException', async () => {
    sim.configure({ deleteRequiresTag: { key: 'fsx-dr:deployment', value: 'prod' } });
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const untagged = sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: source });
    const otherValue = sim.addCopy({
      region: DEST,
      sourceRegion: SOURCE,
      sourceBackupId: source,
      tags: { 'fsx-dr:deployment': 'staging' },
    });
    const ours = sim.addCopy({
      region: DEST,
      sourceRegion: SOURCE,
      sourceBackupId: source,
      tags: { 'fsx-dr:deployment': 'prod' },
    });
    for (const id of [untagged, otherValue]) {
      // Not a modelled FSx error: the SDK throws a generic ServiceException with that name.
      await expect(rejection(dest.send(new DeleteBackupCommand({ BackupId: id })))).resolves.toMatchObject({
        name: 'AccessDeniedException',
      });
    }
    await expect(dest.send(new DeleteBackupCommand({ BackupId: ours }))).resolves.toMatchObject({
      Lifecycle: 'DELETED',
    });
    expect(
      sim
        .backups(DEST)
        .filter((b) => b.lifecycle === 'DELETED')
        .map((b) => b.backupId),
    ).toEqual([ours]);
  });

  it('says BackupRestoring while a restore uses the backup, and deletes it after', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const copy = sim.addCopy({ region: DEST, sourceRegion: SOURCE, sourceBackupId: source });
    sim.startRestore(DEST, copy, 10_000);
    await expect(rejection(dest.send(new DeleteBackupCommand({ BackupId: copy })))).resolves.toBeInstanceOf(
      BackupRestoring,
    );
    sim.clock.advance(10_000);
    await expect(dest.send(new DeleteBackupCommand({ BackupId: copy }))).resolves.toMatchObject({
      Lifecycle: 'DELETED',
    });
  });

  it('refuses an AWS Backup copy in the destination with BadRequest', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const copy = sim.addCopy({
      region: DEST,
      sourceRegion: SOURCE,
      sourceBackupId: source,
      type: 'AWS_BACKUP',
    });
    await expect(rejection(dest.send(new DeleteBackupCommand({ BackupId: copy })))).resolves.toBeInstanceOf(
      BadRequest,
    );
  });
});

describe('the control API', () => {
  it('adds copies, starts restores and sets the deletion condition over HTTP', async () => {
    const source = sim.addBackup({ region: SOURCE, fileSystemId: FS });
    const res = await fetch(`${sim.endpoint}/__sim/control`, {
      method: 'POST',
      body: JSON.stringify([
        { action: 'addCopy', region: DEST, sourceRegion: SOURCE, sourceBackupId: source, type: 'AWS_BACKUP' },
        { action: 'configure', options: { deleteRequiresTag: { key: 'k', value: 'v' } } },
      ]),
    });
    const { results } = (await res.json()) as { results: [{ backupId: string }, unknown] };
    const copy = results[0].backupId;
    await fetch(`${sim.endpoint}/__sim/control`, {
      method: 'POST',
      body: JSON.stringify({ action: 'startRestore', region: DEST, backupId: copy, durationMs: 1 }),
    });
    expect(sim.backups(DEST)[0]).toMatchObject({ backupId: copy, type: 'AWS_BACKUP' });
    expect(sim.behaviour().deleteRequiresTag).toEqual({ key: 'k', value: 'v' });
  });
});

import {
  BadRequest,
  CopyBackupCommand,
  CreateBackupCommand,
  paginateDescribeFileSystems,
  UnsupportedOperation,
  type FileSystem,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fsxClientFor, startFsxSimulator, type FsxSimulator } from '../src/index.js';

// File systems as a service selecting what to copy reads them: tags, Lifecycle, type and deployment, S3 links.
const REGION = 'us-east-1';
const DEST = 'us-west-2';
const WINDOWS = 'fs-0000000000000000a';
const ONTAP = 'fs-0000000000000000b';
const SCRATCH = 'fs-0000000000000000c';
const LINKED = 'fs-0000000000000000d';
const PERSISTENT = 'fs-0000000000000000e';
const ZFS = 'fs-0000000000000000f';
const LINKED_2 = 'fs-00000000000000010';
const ROOT_VOLUME = 'fsvol-0123456789abcdef0';

let sim: FsxSimulator;
let fsx: FSxClient;

beforeAll(async () => {
  sim = await startFsxSimulator({ clock: 'manual', startTime: Date.parse('2025-03-01T00:00:00Z') });
  fsx = fsxClientFor(sim, REGION, { maxAttempts: 1 });
});
afterAll(async () => {
  fsx.destroy();
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.configure({ pageSize: undefined });
  sim.addFileSystem({
    region: REGION,
    fileSystemId: WINDOWS,
    type: 'WINDOWS',
    deploymentType: 'MULTI_AZ_1',
    tags: { 'fsx-dr:copy': 'true', team: 'finance' },
  });
  sim.addFileSystem({ region: REGION, fileSystemId: ONTAP, type: 'ONTAP', lifecycle: 'MISCONFIGURED' });
  sim.addFileSystem({ region: REGION, fileSystemId: SCRATCH, type: 'LUSTRE', deploymentType: 'SCRATCH_2' });
  sim.addFileSystem({
    region: REGION,
    fileSystemId: LINKED,
    type: 'LUSTRE',
    deploymentType: 'PERSISTENT_1',
    dataRepositoryPath: 's3://hpc-input/run-7',
  });
  sim.addFileSystem({
    region: REGION,
    fileSystemId: PERSISTENT,
    type: 'LUSTRE',
    deploymentType: 'PERSISTENT_2',
    tags: [{ Key: 'fsx-dr:copy', Value: 'true' }],
  });
  sim.addFileSystem({
    region: REGION,
    fileSystemId: ZFS,
    type: 'OPENZFS',
    deploymentType: 'SINGLE_AZ_1',
    volumeIds: [ROOT_VOLUME],
    lifecycle: 'CREATING',
  });
});

async function describeAll(): Promise<{ fileSystems: Map<string, FileSystem>; pages: number[] }> {
  const fileSystems = new Map<string, FileSystem>();
  const pages: number[] = [];
  for await (const page of paginateDescribeFileSystems({ client: fsx }, {})) {
    pages.push(page.FileSystems?.length ?? 0);
    for (const fs of page.FileSystems ?? []) fileSystems.set(fs.FileSystemId!, fs);
  }
  return { fileSystems, pages };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('DescribeFileSystems', () => {
  it('returns every file system once over short pages, with tags, Lifecycle, type and configuration', async () => {
    sim.configure({ pageSize: 2 });
    const { fileSystems, pages } = await describeAll();
    expect(pages).toEqual([2, 2, 2]);
    expect(fileSystems.size).toBe(6);
    expect(fileSystems.get(WINDOWS)).toMatchObject({
      FileSystemType: 'WINDOWS',
      Lifecycle: 'AVAILABLE',
      Tags: [
        { Key: 'fsx-dr:copy', Value: 'true' },
        { Key: 'team', Value: 'finance' },
      ],
      WindowsConfiguration: { DeploymentType: 'MULTI_AZ_1' },
    });
    expect(fileSystems.get(ONTAP)).toMatchObject({
      FileSystemType: 'ONTAP',
      Lifecycle: 'MISCONFIGURED',
      Tags: [],
    });
    expect(fileSystems.get(SCRATCH)?.LustreConfiguration).toEqual({ DeploymentType: 'SCRATCH_2' });
    expect(fileSystems.get(LINKED)?.LustreConfiguration).toEqual({
      DeploymentType: 'PERSISTENT_1',
      DataRepositoryConfiguration: {
        Lifecycle: 'AVAILABLE',
        ImportPath: 's3://hpc-input/run-7',
        ExportPath: 's3://hpc-input/run-7',
        ImportedFileChunkSize: 1024,
        AutoImportPolicy: 'NONE',
      },
    });
    expect(fileSystems.get(PERSISTENT)?.LustreConfiguration).toEqual({ DeploymentType: 'PERSISTENT_2' });
    expect(fileSystems.get(ZFS)).toMatchObject({
      Lifecycle: 'CREATING',
      OpenZFSConfiguration: { DeploymentType: 'SINGLE_AZ_1', RootVolumeId: ROOT_VOLUME },
    });
  });

  it('shows a Lifecycle the test changes, and refuses one FSx does not have', async () => {
    sim.setFileSystemLifecycle(REGION, WINDOWS, 'MISCONFIGURED_UNAVAILABLE');
    expect((await describeAll()).fileSystems.get(WINDOWS)?.Lifecycle).toBe('MISCONFIGURED_UNAVAILABLE');
    expect(() => sim.setFileSystemLifecycle(REGION, WINDOWS, 'ASLEEP')).toThrow(/not one of/);
    expect(() => sim.setFileSystemLifecycle(REGION, 'fs-0000000000000fff0', 'FAILED')).toThrow(
      /no file system/,
    );
  });

  it('keeps a PERSISTENT_2 link out of DataRepositoryConfiguration, where FSx does not show it', async () => {
    sim.addFileSystem({
      region: REGION,
      fileSystemId: LINKED_2,
      type: 'LUSTRE',
      deploymentType: 'PERSISTENT_2',
      dataRepositoryPath: 's3://hpc-input',
    });
    expect((await describeAll()).fileSystems.get(LINKED_2)?.LustreConfiguration).toEqual({
      DeploymentType: 'PERSISTENT_2',
    });
  });

  it('refuses to seed what FSx could not hold', () => {
    const seed = (input: Partial<Parameters<FsxSimulator['addFileSystem']>[0]>) => () =>
      sim.addFileSystem({ region: REGION, fileSystemId: LINKED_2, type: 'LUSTRE', ...input });
    expect(seed({ type: 'WINDOWS', dataRepositoryPath: 's3://bucket' })).toThrow(/only Lustre/);
    expect(seed({ dataRepositoryPath: 'https://bucket' })).toThrow(/s3:\/\/bucket/);
    expect(seed({ lifecycle: 'ASLEEP' as 'AVAILABLE' })).toThrow(/not one of/);
  });
});

describe('backups of file systems FSx does not back up', () => {
  it.each([
    ['a scratch Lustre file system', SCRATCH, /scratch/],
    ['an S3-linked Lustre file system', LINKED, /data repository/],
  ])('refuses CreateBackup of %s with UnsupportedOperation', async (_what, fileSystemId, message) => {
    const error = await rejection(fsx.send(new CreateBackupCommand({ FileSystemId: fileSystemId })));
    expect(error).toBeInstanceOf(UnsupportedOperation);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses CreateBackup of a file system that is not AVAILABLE, and takes it once it is', async () => {
    sim.setFileSystemLifecycle(REGION, PERSISTENT, 'DELETING');
    await expect(
      rejection(fsx.send(new CreateBackupCommand({ FileSystemId: PERSISTENT }))),
    ).resolves.toBeInstanceOf(BadRequest);
    sim.setFileSystemLifecycle(REGION, PERSISTENT, 'UPDATING');
    await expect(fsx.send(new CreateBackupCommand({ FileSystemId: PERSISTENT }))).resolves.toMatchObject({
      Backup: { Lifecycle: 'CREATING', FileSystem: { Lifecycle: 'UPDATING' } },
    });
  });

  it('refuses to copy a backup a test seeded of a scratch file system', async () => {
    const seeded = sim.addBackup({ region: REGION, fileSystemId: SCRATCH });
    const dest = fsxClientFor(sim, DEST, { maxAttempts: 1 });
    await expect(
      rejection(dest.send(new CopyBackupCommand({ SourceBackupId: seeded, SourceRegion: REGION }))),
    ).resolves.toBeInstanceOf(UnsupportedOperation);
    expect(sim.copiesOf(seeded, DEST)).toHaveLength(0);
    dest.destroy();
  });
});

import { arnPartitionOf } from './partitions.js';
import { lifecycleAt, type BackupRecord, type FileSystemRecord } from './backup-record.js';
import type { WireTag } from './request-validation.js';

/**
 * Turns records into what FSx would send (the JSON 1.1 `Backup` and `FileSystem` shapes, timestamps as epoch
 * seconds) and into the plain view tests read through `sim.backups()`. Field-dropping and unknown-lifecycle faults
 * are applied here, at the wire, so the simulator's own state never lies.
 */

/** Members of the wire `Backup` a fault may leave out. */
export type BackupField =
  | 'BackupId'
  | 'Lifecycle'
  | 'FailureDetails'
  | 'Type'
  | 'ProgressPercent'
  | 'CreationTime'
  | 'KmsKeyId'
  | 'ResourceARN'
  | 'Tags'
  | 'FileSystem'
  | 'OwnerId'
  | 'SourceBackupId'
  | 'SourceBackupRegion'
  | 'ResourceType'
  | 'Volume'
  | 'SizeInBytes';

export interface RenderContext {
  readonly now: number;
  readonly dropFields: readonly BackupField[];
  readonly unknownLifecycle?: string | undefined;
}

/** Epoch seconds, fractional, as FSx puts timestamps on the wire. */
export function epochSeconds(epochMs: number): number {
  return epochMs / 1000;
}

function arn(region: string, accountId: string, resource: string): string {
  return `arn:${arnPartitionOf(region)}:fsx:${region}:${accountId}:${resource}`;
}

const CONFIGURATION_MEMBER = {
  WINDOWS: 'WindowsConfiguration',
  LUSTRE: 'LustreConfiguration',
  OPENZFS: 'OpenZFSConfiguration',
  ONTAP: 'OntapConfiguration',
} as const;

/**
 * The legacy S3 link of a Lustre file system. FSx shows it for SCRATCH_1, SCRATCH_2 and PERSISTENT_1 only; a
 * PERSISTENT_2 file system links through data repository associations (DescribeDataRepositoryAssociations, not
 * simulated), so its link does not show here. Export path equals import path: the common set-up (FSx's default
 * export path, `s3://bucket/FSxLustre<timestamp>`, is not simulated).
 */
function dataRepositoryConfiguration(fs: FileSystemRecord): Record<string, unknown> | undefined {
  if (fs.dataRepositoryPath === undefined || fs.deploymentType === 'PERSISTENT_2') return undefined;
  return {
    Lifecycle: 'AVAILABLE',
    ImportPath: fs.dataRepositoryPath,
    ExportPath: fs.dataRepositoryPath,
    ImportedFileChunkSize: 1024,
    AutoImportPolicy: 'NONE',
  };
}

/** The per-type configuration member, with only what the record says; undefined when it says nothing. */
function typeConfiguration(fs: FileSystemRecord): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = {};
  if (fs.deploymentType !== undefined) config['DeploymentType'] = fs.deploymentType;
  if (fs.type === 'LUSTRE') {
    const link = dataRepositoryConfiguration(fs);
    if (link) config['DataRepositoryConfiguration'] = link;
  }
  const rootVolumeId = fs.volumeIds[0];
  if (fs.type === 'OPENZFS' && rootVolumeId !== undefined) config['RootVolumeId'] = rootVolumeId;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** The wire `FileSystem`, as DescribeFileSystems and a backup's `FileSystem` member carry it. */
export function renderFileSystem(fs: FileSystemRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    OwnerId: fs.accountId,
    CreationTime: epochSeconds(fs.creationTime),
    FileSystemId: fs.fileSystemId,
    FileSystemType: fs.type,
    Lifecycle: fs.lifecycle,
    KmsKeyId: fs.kmsKeyId,
    ResourceARN: arn(fs.region, fs.accountId, `file-system/${fs.fileSystemId}`),
    Tags: fs.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
  };
  if (fs.storageType !== undefined) wire['StorageType'] = fs.storageType;
  const config = typeConfiguration(fs);
  if (config) wire[CONFIGURATION_MEMBER[fs.type]] = config;
  return wire;
}

/** The wire `Backup` at `ctx.now`. */
export function renderBackup(record: BackupRecord, ctx: RenderContext): Record<string, unknown> {
  const state = lifecycleAt(record, ctx.now);
  const inProgress = state.lifecycle === 'COPYING' || state.lifecycle === 'CREATING';
  const wire: Record<string, unknown> = {
    BackupId: record.backupId,
    Lifecycle: inProgress && ctx.unknownLifecycle !== undefined ? ctx.unknownLifecycle : state.lifecycle,
    Type: record.type,
    CreationTime: epochSeconds(record.creationTime),
    KmsKeyId: record.kmsKeyId,
    ResourceARN: arn(record.region, record.accountId, `backup/${record.backupId}`),
    Tags: record.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    FileSystem: renderFileSystem(record.fileSystem),
    OwnerId: record.accountId,
    ResourceType: record.volumeId === undefined ? 'FILE_SYSTEM' : 'VOLUME',
    SizeInBytes: record.sizeInBytes,
  };
  if (state.progressPercent !== undefined) wire['ProgressPercent'] = state.progressPercent;
  if (state.failureMessage !== undefined) wire['FailureDetails'] = { Message: state.failureMessage };
  if (record.source) {
    wire['SourceBackupId'] = record.source.backupId;
    wire['SourceBackupRegion'] = record.source.region;
  }
  if (record.volumeId !== undefined) {
    wire['Volume'] = {
      VolumeId: record.volumeId,
      FileSystemId: record.fileSystem.fileSystemId,
      VolumeType: record.fileSystem.type,
    };
  }
  for (const field of ctx.dropFields) delete wire[field];
  return wire;
}

/** A backup as a test sees it through `sim.backups()`: the truth, with no fault applied. */
export interface SimulatedBackup {
  readonly accountId: string;
  readonly backupId: string;
  readonly region: string;
  readonly lifecycle: string;
  readonly progressPercent?: number;
  readonly failureMessage?: string;
  readonly type: string;
  /** `service-copy` for copies made by CopyBackup requests, `foreign-copy` for `addForeignCopies`. */
  readonly origin: BackupRecord['origin'];
  readonly fileSystemId: string;
  readonly fileSystemType: string;
  readonly volumeId?: string;
  readonly creationTime: Date;
  readonly sizeInBytes: number;
  readonly kmsKeyId: string;
  readonly tags: readonly WireTag[];
  readonly sourceBackupId?: string;
  readonly sourceRegion?: string;
  readonly deletedAt?: Date;
  /** `DeleteBackup` when a request deleted it, `control` when the test did. */
  readonly deletedVia?: 'DeleteBackup' | 'control';
}

export function viewBackup(record: BackupRecord, now: number): SimulatedBackup {
  const state = lifecycleAt(record, now);
  return {
    accountId: record.accountId,
    backupId: record.backupId,
    region: record.region,
    lifecycle: state.lifecycle,
    ...(state.progressPercent !== undefined && { progressPercent: state.progressPercent }),
    ...(state.failureMessage !== undefined && { failureMessage: state.failureMessage }),
    type: record.type,
    origin: record.origin,
    fileSystemId: record.fileSystem.fileSystemId,
    fileSystemType: record.fileSystem.type,
    ...(record.volumeId !== undefined && { volumeId: record.volumeId }),
    creationTime: new Date(record.creationTime),
    sizeInBytes: record.sizeInBytes,
    kmsKeyId: record.kmsKeyId,
    tags: record.tags,
    ...(record.source && { sourceBackupId: record.source.backupId, sourceRegion: record.source.region }),
    ...(record.deletedAt !== undefined && { deletedAt: new Date(record.deletedAt) }),
    ...(record.deletedVia !== undefined && { deletedVia: record.deletedVia }),
  };
}

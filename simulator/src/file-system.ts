import type { FileSystemLifecycle, FileSystemType } from '@aws-sdk/client-fsx';
import type { FileSystemRecord } from './backup-record.js';
import { RULES } from './request-validation.js';
import { toWireTags, type TagInput } from './tag-input.js';

/**
 * File systems as a test seeds them, and the FSx rules about which of them can be backed up at all
 * (docs/fsx-notes.md, "DescribeFileSystems" and "CreateBackup").
 */
export interface AddFileSystemInput {
  readonly region: string;
  readonly fileSystemId: string;
  readonly type: FileSystemType;
  /** Default: the simulator's default account. */
  readonly accountId?: string | undefined;
  /** E.g. `MULTI_AZ_1` (Windows), `SCRATCH_2` or `PERSISTENT_2` (Lustre), `SINGLE_AZ_1` (OpenZFS). */
  readonly deploymentType?: string | undefined;
  readonly storageType?: string | undefined;
  /** ONTAP and OpenZFS volumes; for OpenZFS the first is the root volume (`OpenZFSConfiguration.RootVolumeId`). */
  readonly volumeIds?: readonly string[] | undefined;
  readonly kmsKeyId?: string | undefined;
  readonly backupSizeInBytes?: number | undefined;
  readonly tags?: TagInput | undefined;
  /** Default AVAILABLE; change it later with `setFileSystemLifecycle`. */
  readonly lifecycle?: FileSystemLifecycle | undefined;
  /** Lustre only: the linked S3 data repository, `s3://bucket[/prefix]`. */
  readonly dataRepositoryPath?: string | undefined;
}

/** What FSx says a file system's Lifecycle can be (the SDK's `FileSystemLifecycle`). */
export const FILE_SYSTEM_LIFECYCLES = [
  'AVAILABLE',
  'CREATING',
  'FAILED',
  'DELETING',
  'MISCONFIGURED',
  'UPDATING',
  'MISCONFIGURED_UNAVAILABLE',
] as const satisfies readonly FileSystemLifecycle[];

const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** Refuses at seeding time what FSx could never hold, so a test cannot build on a file system that cannot exist. */
function checkInput(input: AddFileSystemInput): void {
  if (!RULES.fileSystemId.pattern.test(input.fileSystemId)) {
    throw new Error(
      `file system id ${input.fileSystemId} does not match ${RULES.fileSystemId.pattern.source}`,
    );
  }
  if (
    input.lifecycle !== undefined &&
    !(FILE_SYSTEM_LIFECYCLES as readonly string[]).includes(input.lifecycle)
  ) {
    throw new Error(
      `file system Lifecycle ${input.lifecycle} is not one of ${FILE_SYSTEM_LIFECYCLES.join(', ')}`,
    );
  }
  if (input.dataRepositoryPath === undefined) return;
  if (input.type !== 'LUSTRE') throw new Error('only Lustre file systems link to an S3 data repository');
  if (!S3_PATH.test(input.dataRepositoryPath)) {
    throw new Error(`data repository path ${input.dataRepositoryPath} is not s3://bucket[/prefix]`);
  }
}

export interface FileSystemDefaults {
  readonly accountId: string;
  readonly kmsKeyId: string;
  readonly creationTime: number;
  readonly backupSizeInBytes: number;
}

export function buildFileSystem(input: AddFileSystemInput, defaults: FileSystemDefaults): FileSystemRecord {
  checkInput(input);
  return {
    accountId: defaults.accountId,
    region: input.region,
    fileSystemId: input.fileSystemId,
    type: input.type,
    lifecycle: input.lifecycle ?? 'AVAILABLE',
    tags: toWireTags(input.tags),
    ...(input.deploymentType !== undefined && { deploymentType: input.deploymentType }),
    ...(input.storageType !== undefined && { storageType: input.storageType }),
    ...(input.dataRepositoryPath !== undefined && { dataRepositoryPath: input.dataRepositoryPath }),
    volumeIds: [...(input.volumeIds ?? [])],
    kmsKeyId: input.kmsKeyId ?? defaults.kmsKeyId,
    creationTime: defaults.creationTime,
    backupSizeInBytes: input.backupSizeInBytes ?? defaults.backupSizeInBytes,
  };
}

/** Sets a Lifecycle the test chose, refusing a value FSx does not have. */
export function setFileSystemLifecycle(fs: FileSystemRecord, lifecycle: string): void {
  const known = FILE_SYSTEM_LIFECYCLES.find((l) => l === lifecycle);
  if (known === undefined) {
    throw new Error(`file system Lifecycle ${lifecycle} is not one of ${FILE_SYSTEM_LIFECYCLES.join(', ')}`);
  }
  fs.lifecycle = known;
}

/**
 * Why FSx makes no backups of this file system, or undefined when it does. Lustre: only persistent deployments not
 * linked to an S3 data repository (the CreateBackup reference). A Lustre file system seeded without a deployment
 * type is taken as persistent, as the simulator always has.
 */
export function whyNoBackups(fs: FileSystemRecord): string | undefined {
  if (fs.type !== 'LUSTRE') return undefined;
  if (fs.deploymentType?.startsWith('SCRATCH_') === true) {
    return `Backups are not supported on scratch file systems (${fs.fileSystemId} is ${fs.deploymentType}).`;
  }
  if (fs.dataRepositoryPath !== undefined) {
    return `Backups are not supported on file systems linked to a data repository (${fs.fileSystemId}).`;
  }
  return undefined;
}

import { z } from 'zod';
import { FILE_SYSTEM_LIFECYCLES } from './file-system.js';

/**
 * The shapes `/__sim/control` accepts (control-api.ts says what each action does), checked before anything runs,
 * so a seed file with a typo fails whole instead of half-applied.
 */
const time = z.union([
  z.number(),
  z
    .string()
    .transform((s) => Date.parse(s))
    .pipe(z.number()),
]);
const tags = z.union([
  z.record(z.string(), z.string()),
  z.array(z.object({ Key: z.string(), Value: z.string() })),
]);
const fileSystemType = z.enum(['WINDOWS', 'LUSTRE', 'OPENZFS', 'ONTAP']);
const fileSystemLifecycle = z.enum(FILE_SYSTEM_LIFECYCLES);
const accountId = z.string().regex(/^\d{12}$/);
const rate = z.number().min(0).max(1);

export const behaviourSchema = z.object({
  pageSize: z.number().int().optional(),
  copyLimit: z.number().int().optional(),
  copyDuration: z.number().optional(),
  copyFailureRate: rate.optional(),
  creationDuration: z.number().optional(),
  backupQuota: z.number().optional(),
  invalidKmsKeys: z
    .object({ destination: z.array(z.string()).optional(), source: z.array(z.string()).optional() })
    .optional(),
  regionsWithoutMultiAz: z.array(z.string()).optional(),
  deleteBlockedAfterCopyMs: z.number().optional(),
  deleteRequiresTag: z.object({ key: z.string(), value: z.string() }).optional(),
  fileSystemFilterFindsCopies: z.boolean().optional(),
  deletedVisibleMs: z.number().optional(),
  latencyMs: z.number().optional(),
  serverErrorRate: rate.optional(),
  throttleRate: rate.optional(),
  hangRate: rate.optional(),
  malformedRate: rate.optional(),
  faultOperations: z.array(z.string()).optional(),
  dropFields: z
    .array(
      z.enum([
        'BackupId',
        'Lifecycle',
        'FailureDetails',
        'Type',
        'ProgressPercent',
        'CreationTime',
        'KmsKeyId',
        'ResourceARN',
        'Tags',
        'FileSystem',
        'OwnerId',
        'SourceBackupId',
        'SourceBackupRegion',
        'ResourceType',
        'Volume',
        'SizeInBytes',
      ]),
    )
    .optional(),
  unknownLifecycle: z.string().optional(),
});

export const controlActionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('addFileSystem'),
    region: z.string(),
    fileSystemId: z.string(),
    type: fileSystemType,
    deploymentType: z.string().optional(),
    storageType: z.string().optional(),
    volumeIds: z.array(z.string()).optional(),
    kmsKeyId: z.string().optional(),
    backupSizeInBytes: z.number().optional(),
    accountId: accountId.optional(),
    tags: tags.optional(),
    lifecycle: fileSystemLifecycle.optional(),
    dataRepositoryPath: z.string().optional(),
  }),
  z.object({
    action: z.literal('setFileSystemLifecycle'),
    region: z.string(),
    fileSystemId: z.string(),
    lifecycle: fileSystemLifecycle,
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('addRole'),
    roleArn: z.string(),
    externalId: z.string().optional(),
    maxSessionDurationSeconds: z.number().int().optional(),
  }),
  z.object({
    action: z.literal('addBackup'),
    region: z.string(),
    fileSystemId: z.string(),
    backupId: z.string().optional(),
    lifecycle: z.string().optional(),
    failureMessage: z.string().optional(),
    creationTime: time.optional(),
    availableAt: time.optional(),
    type: z.enum(['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP']).optional(),
    tags: tags.optional(),
    sizeInBytes: z.number().optional(),
    kmsKeyId: z.string().optional(),
    volumeId: z.string().optional(),
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('addCopy'),
    region: z.string(),
    sourceRegion: z.string(),
    sourceBackupId: z.string(),
    backupId: z.string().optional(),
    type: z.enum(['AUTOMATIC', 'USER_INITIATED', 'AWS_BACKUP']).optional(),
    lifecycle: z.string().optional(),
    creationTime: time.optional(),
    tags: tags.optional(),
    kmsKeyId: z.string().optional(),
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('startRestore'),
    region: z.string(),
    backupId: z.string(),
    durationMs: z.number().min(0),
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('setLifecycle'),
    region: z.string(),
    backupId: z.string(),
    lifecycle: z.string(),
    failureMessage: z.string().optional(),
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('addForeignCopies'),
    region: z.string(),
    count: z.number().int().min(1),
    durationMs: z.number().optional(),
    accountId: accountId.optional(),
  }),
  z.object({
    action: z.literal('failNext'),
    operation: z.string(),
    name: z.string(),
    region: z.string().optional(),
    accountId: accountId.optional(),
    message: z.string().optional(),
    members: z.record(z.string(), z.unknown()).optional(),
    status: z.number().int().optional(),
    count: z.number().int().optional(),
    afterEffect: z.boolean().optional(),
  }),
  z.object({
    action: z.literal('hangNext'),
    operation: z.string().optional(),
    region: z.string().optional(),
    accountId: accountId.optional(),
    count: z.number().int().optional(),
    afterEffect: z.boolean().optional(),
  }),
  z.object({ action: z.literal('configure'), options: z.record(z.string(), z.unknown()) }),
  z.object({ action: z.literal('advanceClock'), ms: z.number() }),
  z.object({ action: z.literal('setClock'), time }),
  z.object({ action: z.literal('reset') }),
]);

/** One `/__sim/control` action (also the shape of a launcher seed file's `actions`). */
export type ControlAction = z.input<typeof controlActionSchema>;

import { lifecycleAt, type BackupRecord } from './backup-record.js';
import { rememberToken, replayedBackupId } from './client-request-tokens.js';
import { whyNoBackups } from './file-system.js';
import type { OperationContext, OperationHandler } from './operation-context.js';
import { partitionOf } from './partitions.js';
import {
  RULES,
  optionalBoolean,
  optionalString,
  optionalTags,
  requiredString,
  type WireTag,
} from './request-validation.js';
import type { CopyInfo } from './simulator-options.js';
import { SimulatedFsxError, backupNotFound, serviceLimitExceeded } from './simulated-fsx-error.js';

/**
 * CopyBackup, called in the destination Region (docs/fsx-notes.md, "CopyBackup"). The checks run in this order:
 * request shape, ClientRequestToken replay (so a retry of a copy that was made returns it even when the Region is
 * now full), Regions, keys, the source, tags, the backup quota, and last the five-in-flight limit.
 */
interface CopyRequest {
  readonly SourceBackupId: string;
  readonly SourceRegion: string | undefined;
  readonly KmsKeyId: string | undefined;
  readonly CopyTags: boolean;
  readonly Tags: WireTag[] | undefined;
  readonly ClientRequestToken: string | undefined;
}

function parseCopyRequest(body: Record<string, unknown>): CopyRequest {
  return {
    SourceBackupId: requiredString(body, 'SourceBackupId', RULES.backupId),
    SourceRegion: optionalString(body, 'SourceRegion', RULES.region),
    KmsKeyId: optionalString(body, 'KmsKeyId', RULES.kmsKeyId),
    CopyTags: optionalBoolean(body, 'CopyTags') ?? false,
    Tags: optionalTags(body),
    ClientRequestToken: optionalString(body, 'ClientRequestToken', RULES.clientRequestToken),
  };
}

function error(name: string, message: string, members: Record<string, unknown> = {}): SimulatedFsxError {
  return new SimulatedFsxError(name, message, members);
}

function checkRegions(destination: string, source: string): void {
  const sourcePartition = partitionOf(source);
  if (sourcePartition === undefined) throw error('InvalidRegion', `Source Region ${source} is not valid.`);
  const destinationPartition = partitionOf(destination);
  if (destinationPartition !== sourcePartition) {
    throw error(
      'InvalidRegion',
      `Cannot copy a backup from ${source} (${sourcePartition}) to ${destination} (${destinationPartition ?? 'unknown partition'}): Regions are in different partitions.`,
    );
  }
}

function checkDestinationKey(ctx: OperationContext, kmsKeyId: string | undefined): void {
  if (kmsKeyId === undefined) return;
  const invalid = ctx.behaviour.invalidKmsKeys.destination ?? [];
  const arnRegion = /^arn:[a-z-]+:kms:([a-z0-9-]+):/.exec(kmsKeyId)?.[1];
  if (invalid.includes(kmsKeyId) || (arnRegion !== undefined && arnRegion !== ctx.region)) {
    throw error('InvalidDestinationKmsKey', `The KMS key ${kmsKeyId} is not valid in ${ctx.region}.`);
  }
}

function checkSource(ctx: OperationContext, source: BackupRecord): void {
  const fs = source.fileSystem;
  if (fs.type === 'ONTAP') {
    throw error('UnsupportedOperation', 'Backups of Amazon FSx for NetApp ONTAP cannot be copied.');
  }
  if (fs.type === 'OPENZFS' && fs.storageType === 'INTELLIGENT_TIERING') {
    throw error(
      'UnsupportedOperation',
      'Backups of OpenZFS file systems on Intelligent-Tiering cannot be copied.',
    );
  }
  // FSx holds no backups of these; one a test seeded anyway is refused as unsupported (*inferred*).
  const noBackups = whyNoBackups(fs);
  if (noBackups !== undefined) throw error('UnsupportedOperation', noBackups);
  const { lifecycle } = lifecycleAt(source, ctx.now);
  if (lifecycle !== 'AVAILABLE') {
    throw error(
      'SourceBackupUnavailable',
      `The source backup ${source.backupId} is ${lifecycle}, not AVAILABLE.`,
      { BackupId: source.backupId },
    );
  }
  if ((ctx.behaviour.invalidKmsKeys.source ?? []).includes(source.kmsKeyId)) {
    throw error('InvalidSourceKmsKey', `The KMS key ${source.kmsKeyId} of the source backup is not valid.`);
  }
  if (
    fs.type === 'WINDOWS' &&
    fs.deploymentType === 'MULTI_AZ_1' &&
    ctx.behaviour.regionsWithoutMultiAz.includes(ctx.region)
  ) {
    throw error(
      'IncompatibleRegionForMultiAZ',
      `${ctx.region} does not support Multi-AZ Windows file systems.`,
    );
  }
}

/** Source tags then request tags, the request winning on a key; more than 50 is TOTAL_USER_TAGS. */
function copyTags(request: CopyRequest, source: BackupRecord): WireTag[] {
  const merged = new Map<string, string>();
  if (request.CopyTags) for (const t of source.tags) merged.set(t.Key, t.Value);
  for (const t of request.Tags ?? []) merged.set(t.Key, t.Value);
  if (merged.size > 50) {
    throw serviceLimitExceeded(
      'TOTAL_USER_TAGS',
      `The copy would have ${merged.size} tags; at most 50 are allowed.`,
    );
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

function checkLimits(ctx: OperationContext): void {
  const region = ctx.state.region(ctx.region);
  const quota = ctx.behaviour.backupQuota;
  if (quota !== undefined) {
    const userBackups = [...region.backups.values()].filter(
      (r) => r.type === 'USER_INITIATED' && lifecycleAt(r, ctx.now).lifecycle !== 'DELETED',
    ).length;
    if (userBackups >= quota) {
      throw serviceLimitExceeded(
        'TOTAL_USER_INITIATED_BACKUPS',
        `The backup quota of ${quota} is reached in ${ctx.region}.`,
      );
    }
  }
  const inFlight = region.ledger.countAt(ctx.now).total;
  if (inFlight >= ctx.behaviour.copyLimit) {
    throw serviceLimitExceeded(
      'TOTAL_IN_PROGRESS_COPY_BACKUPS',
      `You have reached the limit of ${ctx.behaviour.copyLimit} in-progress copy backups to ${ctx.region}.`,
    );
  }
}

function decideCopy(ctx: OperationContext, info: CopyInfo): { durationMs: number; failureMessage?: string } {
  const { copyDuration, copyFailure, copyFailureRate } = ctx.behaviour;
  const durationMs = typeof copyDuration === 'number' ? copyDuration : copyDuration(info);
  let failureMessage = copyFailure?.(info);
  if (failureMessage === undefined && copyFailureRate > 0 && ctx.copyFailureRandom.next() < copyFailureRate) {
    failureMessage = 'The copy failed (simulated).';
  }
  // At least 1 ms, so the CopyBackup response itself always says COPYING, as FSx's does.
  return { durationMs: Math.max(1, durationMs), ...(failureMessage !== undefined && { failureMessage }) };
}

export const copyBackup: OperationHandler = (ctx, body) => {
  const request = parseCopyRequest(body);
  const region = ctx.state.region(ctx.region);
  const { ClientRequestToken: token, ...params } = request;
  const replayed = replayedBackupId(region, token, 'CopyBackup', params);
  const existing = replayed === undefined ? undefined : region.backups.get(replayed);
  if (existing) return { Backup: ctx.renderBackup(existing) };

  const sourceRegion = request.SourceRegion ?? ctx.region;
  checkRegions(ctx.region, sourceRegion);
  checkDestinationKey(ctx, request.KmsKeyId);
  const source = ctx.state.find(sourceRegion, request.SourceBackupId);
  if (!source || !ctx.state.isListed(source, ctx.now, ctx.behaviour.deletedVisibleMs)) {
    throw backupNotFound(request.SourceBackupId);
  }
  checkSource(ctx, source);
  const tags = copyTags(request, source);
  checkLimits(ctx);

  const backupId = ctx.state.newBackupId();
  const info: CopyInfo = {
    destinationBackupId: backupId,
    destinationRegion: ctx.region,
    sourceBackupId: source.backupId,
    sourceRegion,
    fileSystemId: source.fileSystem.fileSystemId,
    fileSystemType: source.fileSystem.type,
    sizeInBytes: source.sizeInBytes,
    startedAt: ctx.now,
    sequence: ctx.state.nextCopySequence(),
    accountId: ctx.state.accountId,
  };
  const decision = decideCopy(ctx, info);
  const slot = region.ledger.open(backupId, 'service', ctx.now, ctx.now + decision.durationMs);
  const copy: BackupRecord = {
    accountId: ctx.state.accountId,
    backupId,
    region: ctx.region,
    fileSystem: source.fileSystem,
    ...(source.volumeId !== undefined && { volumeId: source.volumeId }),
    type: 'USER_INITIATED',
    creationTime: ctx.now,
    tags,
    kmsKeyId: request.KmsKeyId ?? ctx.state.defaultKmsKeyId(ctx.region),
    sizeInBytes: source.sizeInBytes,
    origin: 'service-copy',
    source: { backupId: source.backupId, region: sourceRegion },
    copy: { slot, ...(decision.failureMessage !== undefined && { failureMessage: decision.failureMessage }) },
  };
  region.backups.set(backupId, copy);
  rememberToken(region, token, 'CopyBackup', params, backupId);
  return { Backup: ctx.renderBackup(copy) };
};

import { createHash } from 'node:crypto';
import { DEFAULT_ACCOUNT, accountOf } from './account-region.js';

/**
 * What "exactly once" is keyed on: one copy per source backup and destination Region, in one account. `account` is
 * absent for the service's own account (`default`), so keys, job ids and tokens of such copies are as they always were.
 */
export interface CopyKey {
  readonly account?: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A stable, readable identity for a copy key; used for deduplication and Redis keys (no ':' in it). */
export function copyKeyId(key: CopyKey): string {
  const account = accountOf(key);
  const id = `${key.sourceRegion}.${key.sourceBackupId}.${key.destinationRegion}`;
  return account === DEFAULT_ACCOUNT ? id : `${account}.${id}`;
}

/**
 * The BullMQ job id of the copy job a schedule slot asks for. Deterministic in (copy key, slot), so two
 * schedulers planning the same slot add one job; BullMQ refuses ':' in custom ids, so none appears here.
 */
export function copyJobId(key: CopyKey, slotMs: number): string {
  return `copy-${digest(copyKeyId(key), 24)}-${slotMs}`;
}

/**
 * The CopyBackup `ClientRequestToken` of a job: derived from the job id, so every retry and every resume of that
 * job after a crash sends the same token and FSx returns the copy it already started instead of a second one.
 * A later job for the same key (after a FAILED copy) gets a new token, which is what lets it make a new copy.
 * FSx allows 1..63 characters of [A-Za-z0-9_.-].
 */
export function clientRequestToken(jobId: string): string {
  return `fsxdr-${digest(jobId, 40)}`;
}

/** One (account, source Region, file system, destination Region): what newest copies, RPO and metrics go by. */
export interface PairKey {
  readonly account: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
}

/**
 * The field of the newest-copy record of a pair. Keyed by file system, not by source backup: a newer backup's copy
 * replaces an older one's. `sourceRegion|fileSystemId|destinationRegion` in the default account (as it always was),
 * `account|sourceRegion|fileSystemId|destinationRegion` in any other.
 */
export function latestCopyField(pair: PairKey): string {
  const field = `${pair.sourceRegion}|${pair.fileSystemId}|${pair.destinationRegion}`;
  return pair.account === DEFAULT_ACCOUNT ? field : `${pair.account}|${field}`;
}

/** The pair of a `latestCopyField`, or undefined for a field in another format. */
export function parseLatestCopyField(field: string): PairKey | undefined {
  const parts = field.split('|');
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 3) {
    const [sourceRegion = '', fileSystemId = '', destinationRegion = ''] = parts;
    return { account: DEFAULT_ACCOUNT, sourceRegion, fileSystemId, destinationRegion };
  }
  if (parts.length === 4) {
    const [account = '', sourceRegion = '', fileSystemId = '', destinationRegion = ''] = parts;
    return { account, sourceRegion, fileSystemId, destinationRegion };
  }
  return undefined;
}

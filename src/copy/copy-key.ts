import { createHash } from 'node:crypto';

/** What "exactly once" is keyed on: one copy per source backup and destination Region. */
export interface CopyKey {
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A stable, readable identity for a copy key; used for deduplication and Redis keys (no ':' in it). */
export function copyKeyId(key: CopyKey): string {
  return `${key.sourceRegion}.${key.sourceBackupId}.${key.destinationRegion}`;
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

/**
 * The field of the newest-copy record of a (source Region, file system, destination Region). Keyed by file system,
 * not by source backup: a newer backup's copy replaces an older one's.
 */
export function latestCopyField(
  sourceRegion: string,
  fileSystemId: string,
  destinationRegion: string,
): string {
  return `${sourceRegion}|${fileSystemId}|${destinationRegion}`;
}

import { latestCopyField } from './copy-key.js';

/**
 * The newest successful copy of a file system into a Region: what planning skips on ("already copied") and what
 * RPO is measured from. The outcome store keeps one per (source Region, file system, destination Region).
 */
export interface LatestCopyRecord {
  readonly sourceBackupId: string;
  /** Creation time of the source backup that copy was made from: its recovery point (epoch ms). */
  readonly sourceCreatedAt: number;
  readonly policy: string;
  readonly destinationBackupId: string;
  readonly finishedAt: string;
}

/** The newest copies, looked up by what they are keyed on, so no caller spells the key format itself. */
export class LatestCopies {
  constructor(private readonly records: ReadonlyMap<string, LatestCopyRecord> = new Map()) {}

  of(sourceRegion: string, fileSystemId: string, destinationRegion: string): LatestCopyRecord | undefined {
    return this.records.get(latestCopyField(sourceRegion, fileSystemId, destinationRegion));
  }
}

import { latestCopyField, parseLatestCopyField, type PairKey } from './copy-key.js';

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

  of(pair: PairKey): LatestCopyRecord | undefined {
    return this.records.get(latestCopyField(pair));
  }

  /** Every newest copy with the pair it belongs to (fields in another format are left out). */
  pairs(): (PairKey & { record: LatestCopyRecord })[] {
    return [...this.records].flatMap(([field, record]) => {
      const pair = parseLatestCopyField(field);
      return pair === undefined ? [] : [{ ...pair, record }];
    });
  }
}

import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import type { Policy } from '../config/types.js';
import type { PairKey } from '../copy/copy-key.js';
import type { LatestCopyRecord } from '../copy/latest-copy.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';

/** What RPO needs of the newest successful copy of a file system into a Region. */
export type NewestCopy = Pick<LatestCopyRecord, 'sourceBackupId' | 'sourceCreatedAt' | 'destinationBackupId'>;

export interface RpoState {
  readonly policy: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly rpoMs: number;
  /** Age of the recovery point in the destination (now − source backup time); undefined with no copy yet. */
  readonly ageMs?: number;
  readonly newestCopy?: NewestCopy;
  readonly breached: boolean;
}

/**
 * RPO of every (policy, file system, destination) whose policy sets `rpo`. A pair with no copy yet is breached once
 * the RPO has passed since the service first saw it (`firstSeen`), so a new deployment does not page at once but a
 * pair that never gets a copy does. Pure.
 */
export function evaluateRpo(input: {
  readonly policies: readonly Policy[];
  readonly newestCopy: (pair: PairKey) => NewestCopy | undefined;
  /** What each selector matched at its last slot (none: only the listed file systems are watched). */
  readonly selections?: PolicySelections;
  readonly firstSeen: (policy: string, fileSystemId: string, destinationRegion: string) => number | undefined;
  readonly now: number;
}): RpoState[] {
  const out: RpoState[] = [];
  for (const pair of copyPairs(input, input.selections)) {
    const { policy, fileSystemId, destination } = pair;
    const rpoMs = policy.rpoMs;
    if (rpoMs === undefined) continue;
    const copy = input.newestCopy(pairKeyOf(pair));
    const base = { policy: policy.name, fileSystemId, destinationRegion: destination.region, rpoMs };
    if (copy) {
      const ageMs = Math.max(0, input.now - copy.sourceCreatedAt);
      out.push({ ...base, ageMs, newestCopy: copy, breached: ageMs > rpoMs });
    } else {
      const seen = input.firstSeen(policy.name, fileSystemId, destination.region) ?? input.now;
      out.push({ ...base, breached: input.now - seen > rpoMs });
    }
  }
  return out;
}

/** The Redis field naming one watched pair. */
export function rpoKey(s: { policy: string; fileSystemId: string; destinationRegion: string }): string {
  return `${s.policy}|${s.fileSystemId}|${s.destinationRegion}`;
}

/** The watched pairs of a config: those whose policy sets `rpo`, as `rpoKey`s. */
export function watchedRpoKeys(policies: readonly Policy[], selections?: PolicySelections): string[] {
  return copyPairs({ policies }, selections)
    .filter((p) => p.policy.rpoMs !== undefined)
    .map((p) =>
      rpoKey({
        policy: p.policy.name,
        fileSystemId: p.fileSystemId,
        destinationRegion: p.destination.region,
      }),
    );
}

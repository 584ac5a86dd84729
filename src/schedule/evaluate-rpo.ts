import type { Policy } from '../config/types.js';

/** What the service knows of the newest successful copy of a file system into a Region. */
export interface NewestCopy {
  readonly sourceBackupId: string;
  /** Creation time of the source backup that copy was made from: the recovery point it provides (epoch ms). */
  readonly sourceCreatedAt: number;
  readonly destinationBackupId: string;
}

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
  readonly newestCopy: (
    sourceRegion: string,
    fileSystemId: string,
    destinationRegion: string,
  ) => NewestCopy | undefined;
  readonly firstSeen: (policy: string, fileSystemId: string, destinationRegion: string) => number | undefined;
  readonly now: number;
}): RpoState[] {
  const out: RpoState[] = [];
  for (const policy of input.policies) {
    const rpoMs = policy.rpoMs;
    if (rpoMs === undefined) continue;
    for (const fileSystemId of policy.source.fileSystemIds) {
      for (const dest of policy.destinations) {
        const copy = input.newestCopy(policy.source.region, fileSystemId, dest.region);
        const base = { policy: policy.name, fileSystemId, destinationRegion: dest.region, rpoMs };
        if (copy) {
          const ageMs = Math.max(0, input.now - copy.sourceCreatedAt);
          out.push({ ...base, ageMs, newestCopy: copy, breached: ageMs > rpoMs });
        } else {
          const seen = input.firstSeen(policy.name, fileSystemId, dest.region) ?? input.now;
          out.push({ ...base, breached: input.now - seen > rpoMs });
        }
      }
    }
  }
  return out;
}

/** The Redis field naming one watched pair. */
export function rpoKey(s: { policy: string; fileSystemId: string; destinationRegion: string }): string {
  return `${s.policy}|${s.fileSystemId}|${s.destinationRegion}`;
}

import type { ChaosPolicy, ChaosFileSystem } from './chaos-topology.js';
import { isCopyable } from './chaos-topology.js';

/** A source backup as FSx holds it at the end of the run (the simulator's truth, no fault applied). */
export interface SourceBackupFact {
  readonly region: string;
  readonly backupId: string;
  readonly fileSystemId: string;
  readonly lifecycle: string;
  readonly creationTime: number;
  /** Only `seeded` backups are sources; copies never are. */
  readonly origin: string;
}

/** "Exactly once" is keyed on (source Region, source backup, destination Region). */
export function copyKey(sourceRegion: string, sourceBackupId: string, destinationRegion: string): string {
  return `${sourceRegion}|${sourceBackupId}|${destinationRegion}`;
}

export function splitCopyKey(key: string): {
  sourceRegion: string;
  sourceBackupId: string;
  destination: string;
} {
  const [sourceRegion = '', sourceBackupId = '', destination = ''] = key.split('|');
  return { sourceRegion, sourceBackupId, destination };
}

/**
 * The copies that must exist after the drain: for every copyable file system of every policy, its newest
 * AVAILABLE backup (ties broken by id, as the planner breaks them), in every destination of the policy. Called
 * once every source has settled (nothing CREATING, no odd Lifecycle), so "newest AVAILABLE" and the planner's
 * "newest eligible" are the same backup.
 */
export function requiredCopies(
  policies: readonly ChaosPolicy[],
  fileSystems: readonly ChaosFileSystem[],
  sources: readonly SourceBackupFact[],
): Set<string> {
  const copyable = new Set(fileSystems.filter((f) => isCopyable(f.type)).map((f) => f.fileSystemId));
  const required = new Set<string>();
  for (const policy of policies) {
    for (const fileSystemId of policy.fileSystemIds) {
      if (!copyable.has(fileSystemId)) continue;
      const newest = newestAvailable(sources, policy.sourceRegion, fileSystemId);
      if (!newest) continue;
      for (const destination of policy.destinations) {
        required.add(copyKey(policy.sourceRegion, newest.backupId, destination));
      }
    }
  }
  return required;
}

function newestAvailable(
  sources: readonly SourceBackupFact[],
  region: string,
  fileSystemId: string,
): SourceBackupFact | undefined {
  let best: SourceBackupFact | undefined;
  for (const b of sources) {
    if (b.region !== region || b.fileSystemId !== fileSystemId) continue;
    if (b.origin !== 'seeded' || b.lifecycle !== 'AVAILABLE') continue;
    if (
      !best ||
      b.creationTime > best.creationTime ||
      (b.creationTime === best.creationTime && b.backupId > best.backupId)
    ) {
      best = b;
    }
  }
  return best;
}

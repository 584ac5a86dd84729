import type { FsxSimulator } from '../../simulator/src/index.js';
import { DESTINATION_REGIONS, isCopyable, type ChaosTopology } from './chaos-topology.js';

/**
 * Backups in every destination Region that retention must never touch, made to look as tempting as possible: copies of
 * the chaos file systems' oldest sources (older than any copy the service makes, so a sweep that wrongly took them for
 * candidates would delete them first): another tool's untagged copy, an AWS Backup copy and an AUTOMATIC backup that
 * carry this deployment's tags, and another deployment's copy. The oldest source is never the newest, so no copy job
 * attaches to them. Returns how many were made.
 */
export function seedRetentionBait(sim: FsxSimulator, topology: ChaosTopology, deployment: string): number {
  let made = 0;
  const perSource = new Map<string, number>();
  for (const fs of topology.fileSystems.filter((f) => isCopyable(f.type))) {
    // Two file systems per source Region are enough to tempt every sweep of every destination.
    const seen = perSource.get(fs.region) ?? 0;
    if (seen >= 2) continue;
    perSource.set(fs.region, seen + 1);
    const oldest = sim
      .backups(fs.region)
      .filter((b) => b.fileSystemId === fs.fileSystemId)
      .sort((a, b) => a.creationTime.getTime() - b.creationTime.getTime())[0];
    if (!oldest) continue;
    const tags = (value: string): Record<string, string> => ({
      'fsx-dr:policy': 'chaos-east',
      'fsx-dr:source-backup-id': oldest.backupId,
      'fsx-dr:source-region': fs.region,
      'fsx-dr:file-system-id': fs.fileSystemId,
      'fsx-dr:recovery-point': oldest.creationTime.toISOString(),
      'fsx-dr:deployment': value,
    });
    const base = { sourceRegion: fs.region, sourceBackupId: oldest.backupId };
    for (const region of DESTINATION_REGIONS) {
      sim.addCopy({ ...base, region });
      sim.addCopy({ ...base, region, type: 'AWS_BACKUP', tags: tags(deployment) });
      sim.addCopy({ ...base, region, type: 'AUTOMATIC', tags: tags(deployment) });
      sim.addCopy({ ...base, region, tags: tags(`${deployment}-other`) });
      made += 4;
    }
  }
  return made;
}

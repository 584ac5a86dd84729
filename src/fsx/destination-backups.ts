import {
  DeleteBackupCommand,
  DescribeBackupsCommand,
  paginateDescribeBackups,
  type Backup,
  type FSxClient,
} from '@aws-sdk/client-fsx';
import type { DestinationBackup } from '../retention/destination-backup.js';

/** DescribeBackups takes at most 50 ids, and fails the whole call when one of them does not exist. */
const IDS_PER_CALL = 50;

export function toDestinationBackup(b: Backup & { BackupId: string }): DestinationBackup {
  const tags: Record<string, string> = {};
  for (const t of b.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  return {
    backupId: b.BackupId,
    ...(b.Type !== undefined ? { type: b.Type } : {}),
    ...(b.Lifecycle !== undefined ? { lifecycle: b.Lifecycle } : {}),
    ...(b.CreationTime instanceof Date ? { creationTime: b.CreationTime.getTime() } : {}),
    tags,
    ...(b.SourceBackupId !== undefined ? { sourceBackupId: b.SourceBackupId } : {}),
    ...(b.SourceBackupRegion !== undefined ? { sourceRegion: b.SourceBackupRegion } : {}),
    ...(b.FileSystem?.FileSystemId !== undefined ? { fileSystemId: b.FileSystem.FileSystemId } : {}),
    ...(b.FileSystem?.FileSystemType !== undefined ? { fileSystemType: b.FileSystem.FileSystemType } : {}),
  };
}

function hasId(b: Backup): b is Backup & { BackupId: string } {
  return typeof b.BackupId === 'string' && b.BackupId !== '';
}

/**
 * Every USER_INITIATED backup of a Region, every page: copies are user-initiated in their destination, and FSx has
 * no filter on source or tag, so this listing and a look at each backup's own fields is how copies are found
 * (docs/fsx-notes.md, "Finding copies in the destination"); the `file-system-id` filter is not relied on. Entries
 * without an id cannot be acted on and are left out.
 */
export async function listUserInitiatedBackups(client: FSxClient): Promise<DestinationBackup[]> {
  const out: DestinationBackup[] = [];
  const input = { Filters: [{ Name: 'backup-type' as const, Values: ['USER_INITIATED'] }] };
  for await (const page of paginateDescribeBackups({ client }, input)) {
    for (const b of page.Backups ?? []) if (hasId(b)) out.push(toDestinationBackup(b));
  }
  return out;
}

/** The backups FSx still knows, by id (a missing one is simply absent from the map). */
export async function describeBackupsById(
  client: FSxClient,
  backupIds: readonly string[],
): Promise<Map<string, DestinationBackup>> {
  const found = new Map<string, DestinationBackup>();
  const unique = [...new Set(backupIds)];
  for (let i = 0; i < unique.length; i += IDS_PER_CALL) {
    const ids = unique.slice(i, i + IDS_PER_CALL);
    try {
      const res = await client.send(new DescribeBackupsCommand({ BackupIds: ids }));
      for (const b of res.Backups ?? [])
        if (hasId(b) && ids.includes(b.BackupId)) found.set(b.BackupId, toDestinationBackup(b));
    } catch (err) {
      if ((err as { name?: unknown }).name !== 'BackupNotFound') throw err;
      if (ids.length === 1) continue;
      // One of them is gone: ask for each on its own, so the others are still seen.
      for (const id of ids) for (const [k, v] of await describeBackupsById(client, [id])) found.set(k, v);
    }
  }
  return found;
}

/** DeleteBackup with the caller's idempotency token: a repeat of a request that took effect answers the same. */
export async function deleteBackup(
  client: FSxClient,
  backupId: string,
  clientRequestToken: string,
): Promise<void> {
  await client.send(new DeleteBackupCommand({ BackupId: backupId, ClientRequestToken: clientRequestToken }));
}

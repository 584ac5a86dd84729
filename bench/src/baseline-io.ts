import { CopyBackupCommand, DescribeBackupsCommand, type Backup, type FSxClient } from '@aws-sdk/client-fsx';
import type { CopyTarget } from './copy-set.js';

/**
 * What a baseline script needs from the world: an FSx client per Region and a way to wait. Waiting is injected
 * so the same script runs on the real clock or on the simulator's virtual clock (where waiting moves time on).
 */
export interface BaselineIo {
  client(region: string): FSxClient;
  sleep(ms: number): Promise<void>;
}

/** What a baseline client says about its own run (the simulator's records are what the bench trusts). */
export interface BaselineReport {
  readonly strategy: string;
  readonly copies: number;
  readonly refusals: number;
  readonly failed: number;
  readonly wallMs: number;
}

export type StartResult = { readonly backupId: string } | 'refused';

/** CopyBackup as a simple script sends it (no idempotency token, SDK defaults); a full Region is 'refused'. */
export async function startCopy(io: BaselineIo, c: CopyTarget): Promise<StartResult> {
  try {
    const res = await io
      .client(c.destinationRegion)
      .send(new CopyBackupCommand({ SourceBackupId: c.sourceBackupId, SourceRegion: c.sourceRegion }));
    const backupId = res.Backup?.BackupId;
    if (backupId === undefined) throw new Error('CopyBackup returned no backup id');
    return { backupId };
  } catch (err) {
    if ((err as { name?: unknown }).name === 'ServiceLimitExceeded') return 'refused';
    throw err;
  }
}

const TERMINAL = new Set(['AVAILABLE', 'FAILED', 'DELETED']);

/** The Lifecycle of up to 50 backups of one Region, one DescribeBackups call. */
export async function lifecycles(
  io: BaselineIo,
  region: string,
  backupIds: readonly string[],
): Promise<Map<string, string>> {
  const res = await io.client(region).send(new DescribeBackupsCommand({ BackupIds: [...backupIds] }));
  return new Map((res.Backups ?? []).map((b: Backup) => [b.BackupId ?? '', b.Lifecycle ?? '']));
}

export function isTerminal(lifecycle: string | undefined): boolean {
  return lifecycle !== undefined && TERMINAL.has(lifecycle);
}

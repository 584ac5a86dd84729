import type { RedisClient } from '../queue/redis-connection.js';
import type { Config } from '../config/types.js';
import { RetentionSnapshotStore } from '../queue/retention-snapshot-store.js';
import { USER_INITIATED_BACKUP_QUOTA } from '../retention/backup-quotas.js';
import { parseRetentionPairKey, retentionPairKey } from '../retention/retention-pair.js';
import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import { EstateStore } from '../queue/estate-store.js';
import { accountColumn, formatTable } from './output.js';

export interface PairHeld {
  readonly account: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly policies: readonly string[];
  /** AVAILABLE copies of this deployment; undefined until the pair's first sweep. */
  readonly copiesHeld?: number;
  /** Copies in any Lifecycle but DELETED. */
  readonly copiesTotal?: number;
  readonly sweptAt?: string;
}

export interface RegionHeld {
  readonly account: string;
  readonly region: string;
  /** Every user-initiated backup in the Region (anyone's), by file system type, against FSx's default quota. */
  readonly userInitiatedBackups: Readonly<Record<string, { readonly held: number; readonly quota?: number }>>;
  readonly serviceCopies: number;
  readonly sweptAt: string;
}

export interface RetentionStatus {
  readonly pairs: readonly PairHeld[];
  readonly regions: readonly RegionHeld[];
}

/**
 * Copies held per pair and, per Region, the user-initiated backups against the quota of each file system type: what
 * the last sweeps saw (RedisClient only; `fsx-dr retention` lists FSx live). With a config, every configured pair is shown
 * (swept or not); without one, every pair a sweep has seen.
 */
export async function retentionStatus(
  redis: RedisClient,
  prefix: string,
  config: Config | undefined,
): Promise<RetentionStatus> {
  const store = new RetentionSnapshotStore(redis, prefix);
  const [held, regions, selections] = await Promise.all([
    store.held(),
    store.regions(),
    new EstateStore(redis, prefix).selections(),
  ]);
  const pairs = new Map<string, PairHeld>();
  for (const copyPair of copyPairs({ policies: config?.policies ?? [] }, selections)) {
    const pair = pairKeyOf(copyPair);
    const key = retentionPairKey(pair);
    pairs.set(key, { ...pair, policies: [...(pairs.get(key)?.policies ?? []), copyPair.policy.name] });
  }
  if (config === undefined) {
    for (const key of held.keys()) {
      const pair = parseRetentionPairKey(key);
      if (pair) pairs.set(key, { ...pair, policies: [] });
    }
  }
  return {
    pairs: [...pairs].map(([key, p]) => {
      const h = held.get(key);
      return h ? { ...p, copiesHeld: h.available, copiesTotal: h.total, sweptAt: h.sweptAt } : p;
    }),
    regions: regions.map((r) => ({
      account: r.account,
      region: r.region,
      userInitiatedBackups: Object.fromEntries(
        Object.entries(r.userInitiatedByType).map(([type, n]) => {
          const quota = USER_INITIATED_BACKUP_QUOTA[type];
          return [type, quota === undefined ? { held: n } : { held: n, quota }];
        }),
      ),
      serviceCopies: r.serviceCopies,
      sweptAt: r.sweptAt,
    })),
  };
}

const short = (iso: string | undefined): string => iso?.replace(/\.\d+Z$/, 'Z') ?? '-';

export function formatRetentionStatus(status: RetentionStatus): string {
  const account = accountColumn([...status.pairs, ...status.regions].map((x) => x.account));
  const pairs = formatTable(
    [...account('ACCOUNT'), 'DESTINATION', 'FILE SYSTEM', 'SOURCE', 'POLICIES', 'COPIES HELD', 'SWEPT'],
    status.pairs.map((p) => [
      ...account(p.account),
      p.destinationRegion,
      p.fileSystemId,
      p.sourceRegion,
      p.policies.join(',') || '-',
      p.copiesHeld === undefined
        ? '-'
        : `${p.copiesHeld}${p.copiesTotal !== p.copiesHeld ? ` (${p.copiesTotal} in all)` : ''}`,
      short(p.sweptAt),
    ]),
  );
  const regions = formatTable(
    [
      ...account('ACCOUNT'),
      'REGION',
      'USER-INITIATED BACKUPS (HELD/QUOTA)',
      'THIS DEPLOYMENT’S COPIES',
      'SWEPT',
    ],
    status.regions.map((r) => [
      ...account(r.account),
      r.region,
      Object.entries(r.userInitiatedBackups)
        .map(([type, c]) => `${type} ${c.held}${c.quota !== undefined ? `/${c.quota}` : ''}`)
        .join(', ') || 'none',
      String(r.serviceCopies),
      short(r.sweptAt),
    ]),
  );
  return `${pairs}\n\n${regions}`;
}

import type { RedisClient } from './redis-connection.js';
import { retentionScopeKey, type RetentionScope } from '../retention/retention-scope.js';
import { retentionKeys } from './retention-names.js';

/** What the last sweep saw of one pair. */
export interface HeldCopies {
  readonly pairKey: string;
  /** AVAILABLE copies this deployment holds of the pair. */
  readonly available: number;
  /** Copies of the pair in any Lifecycle (FAILED and in progress included, DELETED not). */
  readonly total: number;
  readonly sweptAt: string;
}

/** What the last full sweep saw of one Region: every user-initiated backup there, anyone's, by file system type. */
export interface RegionBackups {
  readonly account: string;
  readonly region: string;
  readonly userInitiatedByType: Readonly<Record<string, number>>;
  readonly serviceCopies: number;
  readonly sweptAt: string;
}

/**
 * The counts sweeps saw, for `status` and the metrics: both read RedisClient, never FSx, so a scrape or a status call
 * costs no listing. They are as fresh as the last sweep (`sweptAt`).
 */
export class RetentionSnapshotStore {
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = retentionKeys(prefix);
  }

  async saveHeld(held: readonly HeldCopies[]): Promise<void> {
    if (held.length === 0) return;
    await this.redis.hset(
      this.keys.heldCopies,
      Object.fromEntries(held.map((h) => [h.pairKey, JSON.stringify(h)])),
    );
  }

  async saveRegion(scope: RetentionScope, backups: RegionBackups): Promise<void> {
    await this.redis.hset(this.keys.regionBackups, retentionScopeKey(scope), JSON.stringify(backups));
  }

  async held(): Promise<Map<string, HeldCopies>> {
    const all = await this.redis.hgetall(this.keys.heldCopies);
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as HeldCopies]));
  }

  async regions(): Promise<RegionBackups[]> {
    const all = await this.redis.hgetall(this.keys.regionBackups);
    return Object.values(all)
      .map((v) => JSON.parse(v) as RegionBackups)
      .sort((a, b) => a.region.localeCompare(b.region) || a.account.localeCompare(b.account));
  }
}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { HeldCopies, RegionBackups } from '../queue/retention-snapshot-store.js';
import type { DeletionRecord } from '../retention/deletion-record.js';
import { retentionPairKey } from '../retention/retention-pair.js';
import { DEFAULT_ACCOUNT } from '../retention/retention-scope.js';

/** Where retention's gauges come from: the counts the last sweeps left in Redis, and the current config. */
export interface RetentionMetricsSources {
  readonly getConfig: () => Config;
  readonly heldCopies: () => Promise<Map<string, HeldCopies>>;
  readonly regionBackups: () => Promise<RegionBackups[]>;
}

export interface RetentionMetrics {
  /** Counts a deletion record this process wrote. */
  onRecord(record: DeletionRecord): void;
}

/**
 * Retention's Prometheus metrics, on the service's registry. The gauges are read from Redis at scrape time (what the
 * last sweep of each pair and Region saw), so every process reports the same values; the counter counts what this
 * process decided (sum it across processes).
 */
export function registerRetentionMetrics(
  registry: Registry,
  sources: RetentionMetricsSources,
): RetentionMetrics {
  const registers = [registry];
  const deletions = new Counter({
    name: 'fsxdr_retention_deletions_total',
    help: 'Retention decisions this process recorded, by destination Region and result (deleted, would_delete, skipped, failed).',
    labelNames: ['destination_region', 'result'],
    registers,
  });
  new Gauge({
    name: 'fsxdr_copies_held',
    help: 'AVAILABLE copies this deployment holds per policy, file system and destination Region, as the last sweep of the pair saw them.',
    labelNames: ['policy', 'file_system_id', 'destination_region'],
    registers,
    async collect() {
      this.reset();
      const held = await sources.heldCopies();
      for (const p of sources.getConfig().policies) {
        for (const fileSystemId of p.source.fileSystemIds) {
          for (const d of p.destinations) {
            const key = retentionPairKey({
              account: DEFAULT_ACCOUNT,
              sourceRegion: p.source.region,
              fileSystemId,
              destinationRegion: d.region,
            });
            const h = held.get(key);
            if (h)
              this.set(
                { policy: p.name, file_system_id: fileSystemId, destination_region: d.region },
                h.available,
              );
          }
        }
      }
    },
  });
  new Gauge({
    name: 'fsxdr_backups_held',
    help: 'User-initiated backups (anyone’s) per Region and file system type, against FSx’s quota (500 Windows, 500 Lustre, 10,000 OpenZFS), as the last full sweep saw them.',
    labelNames: ['region', 'file_system_type'],
    registers,
    async collect() {
      this.reset();
      for (const r of await sources.regionBackups()) {
        for (const [type, n] of Object.entries(r.userInitiatedByType)) {
          this.inc({ region: r.region, file_system_type: type }, n);
        }
      }
    },
  });
  return {
    onRecord: (record) =>
      deletions.inc({
        destination_region: record.destinationRegion,
        result: record.result.replace('-', '_'),
      }),
  };
}

import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/types.js';
import type { HeldCopies, RegionBackups } from '../queue/retention-snapshot-store.js';
import type { DeletionRecord } from '../retention/deletion-record.js';
import { retentionPairKey } from '../retention/retention-pair.js';
import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';

/** Where retention's gauges come from: the counts the last sweeps left in Redis, and the current config. */
export interface RetentionMetricsSources {
  readonly getConfig: () => Config;
  readonly heldCopies: () => Promise<Map<string, HeldCopies>>;
  readonly regionBackups: () => Promise<RegionBackups[]>;
  /** What each selector matched at its last slot. */
  readonly selections: () => Promise<PolicySelections>;
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
    help: 'Retention decisions this process recorded, by account, destination Region and result (deleted, would_delete, skipped, failed).',
    labelNames: ['account', 'destination_region', 'result'],
    registers,
  });
  new Gauge({
    name: 'fsxdr_copies_held',
    help: 'AVAILABLE copies this deployment holds per policy, file system and destination Region, as the last sweep of the pair saw them.',
    labelNames: ['policy', 'file_system_id', 'destination_region'],
    registers,
    async collect() {
      this.reset();
      const [held, selections] = await Promise.all([sources.heldCopies(), sources.selections()]);
      for (const pair of copyPairs(sources.getConfig(), selections)) {
        const h = held.get(retentionPairKey(pairKeyOf(pair)));
        const labels = {
          policy: pair.policy.name,
          file_system_id: pair.fileSystemId,
          destination_region: pair.destination.region,
        };
        if (h) this.set(labels, h.available);
      }
    },
  });
  new Gauge({
    name: 'fsxdr_backups_held',
    help: 'User-initiated backups (anyone’s) per account, Region and file system type, against FSx’s quota (per account: 500 Windows, 500 Lustre, 10,000 OpenZFS), as the last full sweep saw them.',
    labelNames: ['account', 'region', 'file_system_type'],
    registers,
    async collect() {
      this.reset();
      for (const r of await sources.regionBackups()) {
        for (const [type, n] of Object.entries(r.userInitiatedByType)) {
          this.set({ account: r.account, region: r.region, file_system_type: type }, n);
        }
      }
    },
  });
  return {
    onRecord: (record) =>
      deletions.inc({
        account: record.account,
        destination_region: record.destinationRegion,
        result: record.result.replace('-', '_'),
      }),
  };
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import type { Config } from '../config/types.js';
import { copyScopesOf, type AccountReach, type AccountRegion } from '../copy/account-region.js';
import { selectionKey, type PolicySelections } from '../copy/policy-file-systems.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import type { CopyOutcome } from '../copy/outcome.js';
import type { QueueCounts } from '../queue/copy-queues.js';
import { evaluateRpo, rpoKey } from '../schedule/evaluate-rpo.js';
import { nextFireTime, previousFireTime } from '../schedule/next-fire-times.js';

/** Where the scrape-time metrics come from: Redis (shared by every process) and the current config. */
export interface MetricsSources {
  readonly getConfig: () => Config;
  readonly queueCounts: (scope: AccountRegion) => Promise<QueueCounts>;
  readonly latestCopies: () => Promise<LatestCopies>;
  /** What each selector matched at its last slot. */
  readonly selections: () => Promise<PolicySelections>;
  /** Whether each account's role could be assumed, last time it was tried. */
  readonly accountReach: () => Promise<ReadonlyMap<string, AccountReach>>;
  readonly rpoFirstSeen: () => Promise<Map<string, number>>;
  /** The last slot (epoch ms) each policy fired, shared by every scheduler process. */
  readonly lastSlots: () => Promise<ReadonlyMap<string, number>>;
  readonly now: () => number;
}

/**
 * The service's Prometheus metrics. Queue, RPO and schedule gauges are read from Redis and the config at scrape
 * time, so every process reports the same cluster-wide values; outcome, retry and duration metrics count what this
 * process did (sum them across processes).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly outcomes: Counter<'status' | 'policy' | 'error_name'>;
  private readonly retries: Counter<'error_name'>;
  private readonly duration: Histogram<'policy' | 'destination_region'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'fsxdr_' });
    this.outcomes = new Counter({
      name: 'fsxdr_copy_outcomes_total',
      help: 'Copies that ended, by status (succeeded, failed, expired), policy and, for failed and expired ones, the error name (the reason), recorded by this process.',
      labelNames: ['status', 'policy', 'error_name'],
      registers,
    });
    this.retries = new Counter({
      name: 'fsxdr_copy_retries_total',
      help: 'Copy retries scheduled by this process, by the FSx error that caused them.',
      labelNames: ['error_name'],
      registers,
    });
    this.duration = new Histogram({
      name: 'fsxdr_copy_duration_seconds',
      help: 'Duration of successful copies, from CopyBackup to AVAILABLE.',
      labelNames: ['policy', 'destination_region'],
      buckets: [1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 57600, 86400, 172800],
      registers,
    });
    const queueGauge = (name: string, help: string, pick: (c: QueueCounts) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['account', 'destination_region'],
        registers,
        async collect() {
          this.reset();
          for (const scope of copyScopesOf(sources.getConfig())) {
            const labels = { account: scope.account, destination_region: scope.region };
            this.set(labels, pick(await sources.queueCounts(scope)));
          }
        },
      });
    queueGauge(
      'fsxdr_copies_in_flight',
      'Copies in flight (active copy jobs) per account and destination Region, all processes.',
      (c) => c.active,
    );
    new Gauge({
      name: 'fsxdr_queue_depth',
      help: 'Copy jobs per account, destination Region and state (waiting, delayed, failed), all processes.',
      labelNames: ['account', 'destination_region', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const scope of copyScopesOf(sources.getConfig())) {
          const c = await sources.queueCounts(scope);
          for (const state of ['waiting', 'delayed', 'failed'] as const) {
            this.set({ account: scope.account, destination_region: scope.region, state }, c[state]);
          }
        }
      },
    });
    new Gauge({
      name: 'fsxdr_account_unreachable',
      help: '1 while the last attempt to assume an account’s role failed (error_name: STS’s error, e.g. AccessDenied), else 0. Only accounts that were tried.',
      labelNames: ['account', 'error_name'],
      registers,
      async collect() {
        this.reset();
        const reach = await sources.accountReach();
        for (const account of sources.getConfig().accounts) {
          const r = reach.get(account.name);
          if (r === undefined) continue;
          this.set({ account: account.name, error_name: r.ok ? '' : r.errorName }, r.ok ? 0 : 1);
        }
      },
    });
    new Gauge({
      name: 'fsxdr_selected_file_systems',
      help: 'File systems each selector policy matched (and can copy) at its last slot.',
      labelNames: ['policy'],
      registers,
      async collect() {
        this.reset();
        const selections = await sources.selections();
        for (const p of sources.getConfig().policies) {
          const selected = p.source.selector === undefined ? undefined : selections.get(selectionKey(p));
          if (selected !== undefined) this.set({ policy: p.name }, selected.length);
        }
      },
    });
    new Gauge({
      name: 'fsxdr_newest_copy_age_seconds',
      help: 'Age of the recovery point of the newest successful copy (now minus the source backup time), per policy, file system and destination. Absent until a first copy.',
      labelNames: ['policy', 'file_system', 'destination_region'],
      registers,
      async collect() {
        this.reset();
        const [latest, selections] = await Promise.all([sources.latestCopies(), sources.selections()]);
        const now = sources.now();
        for (const pair of copyPairs(sources.getConfig(), selections)) {
          const { policy, fileSystemId, destination } = pair;
          const copy = latest.of(pairKeyOf(pair));
          if (copy) {
            this.set(
              { policy: policy.name, file_system: fileSystemId, destination_region: destination.region },
              (now - copy.sourceCreatedAt) / 1000,
            );
          }
        }
      },
    });
    new Gauge({
      name: 'fsxdr_rpo_breached',
      help: '1 while the newest copy of a file system in a destination is older than the policy’s rpo (or there is none past it), else 0.',
      labelNames: ['policy', 'file_system', 'destination_region'],
      registers,
      async collect() {
        this.reset();
        const [latest, firstSeen, selections] = await Promise.all([
          sources.latestCopies(),
          sources.rpoFirstSeen(),
          sources.selections(),
        ]);
        const states = evaluateRpo({
          policies: sources.getConfig().policies,
          selections,
          newestCopy: (pair) => latest.of(pair),
          firstSeen: (p, fs, d) =>
            firstSeen.get(rpoKey({ policy: p, fileSystemId: fs, destinationRegion: d })),
          now: sources.now(),
        });
        for (const s of states) {
          this.set(
            { policy: s.policy, file_system: s.fileSystemId, destination_region: s.destinationRegion },
            s.breached ? 1 : 0,
          );
        }
      },
    });
    new Gauge({
      name: 'fsxdr_next_fire_timestamp_seconds',
      help: 'When each policy’s schedule fires next (Unix time).',
      labelNames: ['policy'],
      registers,
      collect() {
        this.reset();
        const now = new Date(sources.now());
        for (const p of sources.getConfig().policies) {
          this.set({ policy: p.name }, nextFireTime(p.schedule, p.timezone, now).getTime() / 1000);
        }
      },
    });
    new Gauge({
      name: 'fsxdr_last_fire_timestamp_seconds',
      help: 'The last slot each configured policy fired (Unix time), all scheduler processes. Absent until its first fire.',
      labelNames: ['policy'],
      registers,
      async collect() {
        this.reset();
        const slots = await sources.lastSlots();
        for (const p of sources.getConfig().policies) {
          const slot = slots.get(p.name);
          if (slot !== undefined) this.set({ policy: p.name }, slot / 1000);
        }
      },
    });
    new Gauge({
      name: 'fsxdr_schedule_period_seconds',
      help: 'The period of each policy’s schedule now: from its most recent fire time to its next one.',
      labelNames: ['policy'],
      registers,
      collect() {
        this.reset();
        const now = new Date(sources.now());
        for (const p of sources.getConfig().policies) {
          const prev = previousFireTime(p.schedule, p.timezone, now);
          if (prev === undefined) continue;
          const next = nextFireTime(p.schedule, p.timezone, now);
          this.set({ policy: p.name }, (next.getTime() - prev.getTime()) / 1000);
        }
      },
    });
  }

  /** Counts an outcome this process recorded. */
  onOutcome(o: CopyOutcome): void {
    this.outcomes.inc({
      status: o.status,
      policy: o.policy,
      ...(o.errorName !== undefined ? { error_name: o.errorName } : {}),
    });
    if (o.status === 'succeeded' && o.durationMs !== undefined) {
      this.duration.observe(
        { policy: o.policy, destination_region: o.destinationRegion },
        o.durationMs / 1000,
      );
    }
  }

  onRetry(errorName: string): void {
    this.retries.inc({ error_name: errorName });
  }
}

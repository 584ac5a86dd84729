import type { RedisClient } from '../queue/redis-connection.js';
import { copyPairs } from '../config/copy-pairs.js';
import { destinationRegions } from '../config/destination-regions.js';
import type { Environment } from '../config/environment.js';
import type { Config, Policy } from '../config/types.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import type { CopyOutcome } from '../copy/outcome.js';
import { CopyQueues } from '../queue/copy-queues.js';
import { discoverCopyRegions } from '../queue/discover-regions.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { RpoStore } from '../queue/rpo-store.js';
import { ScheduleStore } from '../queue/schedule-store.js';
import { evaluateRpo, rpoKey } from '../schedule/evaluate-rpo.js';
import { nextFireTime } from '../schedule/next-fire-times.js';
import { formatTable, type Output } from './output.js';
import { formatRetentionStatus, retentionStatus } from './retention-status.js';
import { withRedis } from './with-redis.js';

export interface RegionStatus {
  readonly region: string;
  readonly inFlight: number;
  readonly waiting: number;
  readonly delayed: number;
  readonly failed: number;
}

export interface PolicyStatus {
  readonly policy: string;
  readonly lastFire?: string;
  readonly nextFire?: string;
  readonly lastOutcome?: Pick<
    CopyOutcome,
    'status' | 'finishedAt' | 'sourceBackupId' | 'destinationRegion' | 'errorName'
  >;
  /** Age of the oldest "newest copy" among the policy's file systems and destinations: its worst recovery point. */
  readonly worstRecoveryPointAgeSeconds?: number;
  readonly rpoSeconds?: number;
  readonly rpoBreaches?: number;
  /** (file system, destination) pairs with no copy yet. */
  readonly withoutCopy: number;
}

/** What `status` reads from Redis, once, before it decides anything. */
interface StatusFacts {
  readonly lastSlots: ReadonlyMap<string, number>;
  readonly recent: readonly CopyOutcome[];
  readonly latest: LatestCopies;
  readonly firstSeen: ReadonlyMap<string, number>;
  readonly now: number;
}

async function readFacts(
  redis: RedisClient,
  prefix: string,
  config: Config | undefined,
): Promise<StatusFacts> {
  const outcomes = new OutcomeReader(redis, prefix);
  const [lastSlots, recent, latest, firstSeen] = await Promise.all([
    new ScheduleStore(redis, prefix).lastSlots(),
    outcomes.list({ limit: 5_000 }),
    outcomes.latestCopies(),
    config ? new RpoStore(redis, prefix).firstSeen() : Promise.resolve(new Map<string, number>()),
  ]);
  return { lastSlots, recent, latest, firstSeen, now: Date.now() };
}

/** The recovery point age of the policy's worst pair, and how many pairs have no copy yet. */
function recoveryPoints(policy: Policy, facts: StatusFacts): { worst?: number; withoutCopy: number } {
  let worst: number | undefined;
  let withoutCopy = 0;
  for (const { fileSystemId, destination } of copyPairs({ policies: [policy] })) {
    const copy = facts.latest.of(policy.source.region, fileSystemId, destination.region);
    if (!copy) withoutCopy += 1;
    else worst = Math.max(worst ?? 0, (facts.now - copy.sourceCreatedAt) / 1000);
  }
  return worst === undefined ? { withoutCopy } : { worst, withoutCopy };
}

function rpoBreaches(policy: Policy, facts: StatusFacts): number {
  return evaluateRpo({
    policies: [policy],
    newestCopy: (r, fs, d) => facts.latest.of(r, fs, d),
    firstSeen: (p, fs, d) =>
      facts.firstSeen.get(rpoKey({ policy: p, fileSystemId: fs, destinationRegion: d })),
    now: facts.now,
  }).filter((s) => s.breached).length;
}

/** One policy's line of `status`; a policy only Redis knows (no config given) shows its last fire and outcome. */
function policyStatus(name: string, policy: Policy | undefined, facts: StatusFacts): PolicyStatus {
  const last = facts.recent.find((o) => o.policy === name);
  const slot = facts.lastSlots.get(name);
  const points = policy ? recoveryPoints(policy, facts) : { withoutCopy: 0 };
  return {
    policy: name,
    ...(slot !== undefined ? { lastFire: new Date(slot).toISOString() } : {}),
    ...(policy
      ? { nextFire: nextFireTime(policy.schedule, policy.timezone, new Date(facts.now)).toISOString() }
      : {}),
    ...(last
      ? {
          lastOutcome: {
            status: last.status,
            finishedAt: last.finishedAt,
            sourceBackupId: last.sourceBackupId,
            destinationRegion: last.destinationRegion,
            ...(last.errorName !== undefined ? { errorName: last.errorName } : {}),
          },
        }
      : {}),
    ...(points.worst !== undefined ? { worstRecoveryPointAgeSeconds: Math.round(points.worst) } : {}),
    ...(policy?.rpoMs !== undefined
      ? { rpoSeconds: policy.rpoMs / 1000, rpoBreaches: rpoBreaches(policy, facts) }
      : {}),
    withoutCopy: points.withoutCopy,
  };
}

function policyStatuses(config: Config | undefined, facts: StatusFacts): PolicyStatus[] {
  const names = config ? config.policies.map((p) => p.name) : [...facts.lastSlots.keys()].sort();
  return names.map((name) =>
    policyStatus(
      name,
      config?.policies.find((p) => p.name === name),
      facts,
    ),
  );
}

async function regionStatuses(
  redis: RedisClient,
  prefix: string,
  config: Config | undefined,
  queues: CopyQueues,
): Promise<RegionStatus[]> {
  const configured = config ? destinationRegions(config) : [];
  const names = [...new Set([...configured, ...(await discoverCopyRegions(redis, prefix, 10_000))])].sort();
  const regions: RegionStatus[] = [];
  for (const region of names) {
    const { active, waiting, delayed, failed } = await queues.counts(region);
    regions.push({ region, inFlight: active, waiting, delayed, failed });
  }
  return regions;
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

const short = (iso: string | undefined): string => iso?.replace(/\.\d+Z$/, 'Z') ?? '-';

function formatStatus(regions: readonly RegionStatus[], policies: readonly PolicyStatus[]): string {
  const regionTable = formatTable(
    ['REGION', 'IN FLIGHT', 'WAITING', 'DELAYED', 'FAILED'],
    regions.map((r) => [
      r.region,
      String(r.inFlight),
      String(r.waiting),
      String(r.delayed),
      String(r.failed),
    ]),
  );
  const policyTable = formatTable(
    ['POLICY', 'LAST FIRE', 'NEXT FIRE', 'LAST OUTCOME', 'RECOVERY POINT AGE', 'RPO'],
    policies.map((p) => [
      p.policy,
      short(p.lastFire),
      short(p.nextFire),
      p.lastOutcome
        ? `${p.lastOutcome.status} ${short(p.lastOutcome.finishedAt)} ${p.lastOutcome.destinationRegion}${p.lastOutcome.errorName ? ` ${p.lastOutcome.errorName}` : ''}`
        : '-',
      `${age(p.worstRecoveryPointAgeSeconds)}${p.withoutCopy > 0 ? ` (${p.withoutCopy} without a copy)` : ''}`,
      p.rpoSeconds === undefined
        ? '-'
        : `${age(p.rpoSeconds)}: ${p.rpoBreaches === 0 ? 'met' : `${p.rpoBreaches} breached`}`,
    ]),
  );
  return `${regionTable}\n\n${policyTable}`;
}

/** `fsx-dr status`: per Region the copy queues, per policy the schedule, the last outcome and the RPO. */
export async function runStatus(
  args: { json: boolean },
  config: Config | undefined,
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const queues = new CopyQueues(redis, env.prefix);
    try {
      const regions = await regionStatuses(redis, env.prefix, config, queues);
      const policies = policyStatuses(config, await readFacts(redis, env.prefix, config));
      const retention = await retentionStatus(redis, env.prefix, config);
      out.stdout(
        args.json
          ? JSON.stringify({ regions, policies, retention }, null, 2)
          : `${formatStatus(regions, policies)}\n\n${formatRetentionStatus(retention)}`,
      );
      return 0;
    } finally {
      await queues.close();
    }
  });
}

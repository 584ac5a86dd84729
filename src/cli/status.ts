import type { RedisClient } from '../queue/redis-connection.js';
import type { Config } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import type { CopyOutcome } from '../copy/outcome.js';
import { rpoFirstSeen } from '../ops/rpo-watch.js';
import { CopyQueues } from '../queue/copy-queues.js';
import { discoverCopyRegions } from '../queue/discover-regions.js';
import { latestCopyField, OutcomeStore } from '../queue/outcome-store.js';
import { serviceKeys } from '../queue/queue-names.js';
import { withRedis } from './with-redis.js';
import { evaluateRpo } from '../schedule/evaluate-rpo.js';
import { nextFireTime } from '../schedule/next-fire-times.js';
import { formatTable, type Output } from './output.js';

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

async function policyStatuses(
  redis: RedisClient,
  prefix: string,
  config: Config | undefined,
  store: OutcomeStore,
): Promise<PolicyStatus[]> {
  const lastSlots = await redis.hgetall(serviceKeys(prefix).scheduleLastSlot);
  const recent = await store.list({ limit: 5_000 });
  const latest = await store.latestCopies();
  const names = config ? config.policies.map((p) => p.name) : Object.keys(lastSlots).sort();
  const now = Date.now();
  const firstSeen = config ? await rpoFirstSeen(redis, prefix) : new Map<string, number>();
  return names.map((name) => {
    const policy = config?.policies.find((p) => p.name === name);
    const last = recent.find((o) => o.policy === name);
    const slot = lastSlots[name];
    let worst: number | undefined;
    let withoutCopy = 0;
    for (const fs of policy?.source.fileSystemIds ?? []) {
      for (const d of policy?.destinations ?? []) {
        const copy = latest.get(latestCopyField(policy?.source.region ?? '', fs, d.region));
        if (!copy) withoutCopy += 1;
        else worst = Math.max(worst ?? 0, (now - copy.sourceCreatedAt) / 1000);
      }
    }
    const rpo = policy
      ? evaluateRpo({
          policies: [policy],
          newestCopy: (r, fs, d) => latest.get(latestCopyField(r, fs, d)),
          firstSeen: (p, fs, d) => firstSeen.get(`${p}|${fs}|${d}`),
          now,
        })
      : [];
    return {
      policy: name,
      ...(slot !== undefined ? { lastFire: new Date(Number(slot)).toISOString() } : {}),
      ...(policy
        ? { nextFire: nextFireTime(policy.schedule, policy.timezone, new Date(now)).toISOString() }
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
      ...(worst !== undefined ? { worstRecoveryPointAgeSeconds: Math.round(worst) } : {}),
      ...(policy?.rpoMs !== undefined
        ? { rpoSeconds: policy.rpoMs / 1000, rpoBreaches: rpo.filter((s) => s.breached).length }
        : {}),
      withoutCopy,
    };
  });
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

const short = (iso: string | undefined): string => iso?.replace(/\.\d+Z$/, 'Z') ?? '-';

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
      const store = new OutcomeStore(redis, env.prefix, { maxCount: 1, maxAgeMs: 1 });
      const configured = config ? config.policies.flatMap((p) => p.destinations.map((d) => d.region)) : [];
      const regionNames = [
        ...new Set([...configured, ...(await discoverCopyRegions(redis, env.prefix, 10_000))]),
      ].sort();
      const regions: RegionStatus[] = [];
      for (const region of regionNames) {
        const c = await queues
          .queue(region)
          .getJobCounts('active', 'waiting', 'prioritized', 'delayed', 'failed');
        regions.push({
          region,
          inFlight: c['active'] ?? 0,
          waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
          delayed: c['delayed'] ?? 0,
          failed: c['failed'] ?? 0,
        });
      }
      const policies = await policyStatuses(redis, env.prefix, config, store);
      if (args.json) {
        out.stdout(JSON.stringify({ regions, policies }, null, 2));
        return 0;
      }
      out.stdout(
        formatTable(
          ['REGION', 'IN FLIGHT', 'WAITING', 'DELAYED', 'FAILED'],
          regions.map((r) => [
            r.region,
            String(r.inFlight),
            String(r.waiting),
            String(r.delayed),
            String(r.failed),
          ]),
        ),
      );
      out.stdout('');
      out.stdout(
        formatTable(
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
        ),
      );
      return 0;
    } finally {
      await queues.close();
    }
  });
}

import type { RedisClient } from '../queue/redis-connection.js';
import { copyPairs, pairKeyOf } from '../config/copy-pairs.js';
import { DEFAULT_ACCOUNT, copyScopesOf, type AccountReach } from '../copy/account-region.js';
import { policyFileSystems, selectionKey, type PolicySelections } from '../copy/policy-file-systems.js';
import { EstateStore, coveredBy, type StoredSelection } from '../queue/estate-store.js';
import type { Environment } from '../config/environment.js';
import type { Config, Policy } from '../config/types.js';
import type { CopyJobData } from '../copy/copy-job.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import type { CopyOutcome } from '../copy/outcome.js';
import { CopyQueues } from '../queue/copy-queues.js';
import { discoverCopyScopes } from '../queue/discover-regions.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { RpoStore } from '../queue/rpo-store.js';
import { ScheduleStore } from '../queue/schedule-store.js';
import { evaluateRpo, rpoKey } from '../schedule/evaluate-rpo.js';
import { nextFireTime } from '../schedule/next-fire-times.js';
import { accountColumn, formatTable, type Output } from './output.js';
import { formatRetentionStatus, retentionStatus } from './retention-status.js';
import { withRedis } from './with-redis.js';

export interface RegionStatus {
  /** `default`: the service's own account. */
  readonly account: string;
  readonly region: string;
  readonly inFlight: number;
  readonly waiting: number;
  readonly delayed: number;
  readonly failed: number;
  /** The first waiting copies, in the order they will start (RPO deadline first; see `FSXDR_ADMISSION`). */
  readonly next: readonly WaitingCopy[];
}

export interface WaitingCopy {
  readonly policy: string;
  readonly fileSystemId: string;
  readonly sourceBackupId: string;
  /** The pair's RPO deadline (ISO); absent for a pair with no copy yet (first) or a policy without `rpo` (last). */
  readonly deadline?: string;
  /** True when the pair has no copy in the destination yet. */
  readonly firstCopy: boolean;
}

/** How many waiting copies per (account, Region) `status` lists. */
const NEXT_SHOWN = 10;

function waitingCopy(d: CopyJobData): WaitingCopy {
  const rp = d.newestRecoveryPointAt;
  return {
    policy: d.policy,
    fileSystemId: d.fileSystemId,
    sourceBackupId: d.sourceBackupId,
    ...(rp !== undefined && d.rpoMs !== undefined ? { deadline: new Date(rp + d.rpoMs).toISOString() } : {}),
    firstCopy: rp === undefined,
  };
}

export interface PolicyStatus {
  readonly policy: string;
  readonly account: string;
  /** The file systems the policy covers now: its listed ones and what its selector matched at its last slot. */
  readonly fileSystems?: number;
  /** For a selector: when it was last resolved, and how many file systems its tags matched but were left out. */
  readonly selection?: { readonly at: string; readonly selected: number; readonly leftOut: number };
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

/** One configured account: its role, and whether it could be assumed the last time a slot tried. */
export interface AccountStatus {
  readonly account: string;
  readonly roleArn: string;
  /** Absent until a slot of one of its policies has tried. */
  readonly reachable?: boolean;
  readonly errorName?: string;
  readonly checkedAt?: string;
}

/** What `status` reads from Redis, once, before it decides anything. */
interface StatusFacts {
  readonly lastSlots: ReadonlyMap<string, number>;
  readonly storedSelections: ReadonlyMap<string, StoredSelection>;
  readonly selections: PolicySelections;
  readonly accountReach: ReadonlyMap<string, AccountReach>;
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
  const estate = new EstateStore(redis, prefix);
  const [storedSelections, accountReach] = await Promise.all([
    estate.storedSelections(),
    estate.accountReach(),
  ]);
  const selections = coveredBy(storedSelections);
  const [lastSlots, recent, latest, firstSeen] = await Promise.all([
    new ScheduleStore(redis, prefix).lastSlots(),
    outcomes.list({ limit: 5_000 }),
    outcomes.latestCopies(),
    config ? new RpoStore(redis, prefix).firstSeen() : Promise.resolve(new Map<string, number>()),
  ]);
  return {
    lastSlots,
    storedSelections,
    selections,
    accountReach,
    recent,
    latest,
    firstSeen,
    now: Date.now(),
  };
}

/** The recovery point age of the policy's worst pair, and how many pairs have no copy yet. */
function recoveryPoints(policy: Policy, facts: StatusFacts): { worst?: number; withoutCopy: number } {
  let worst: number | undefined;
  let withoutCopy = 0;
  for (const pair of copyPairs({ policies: [policy] }, facts.selections)) {
    const copy = facts.latest.of(pairKeyOf(pair));
    if (!copy) withoutCopy += 1;
    else worst = Math.max(worst ?? 0, (facts.now - copy.sourceCreatedAt) / 1000);
  }
  return worst === undefined ? { withoutCopy } : { worst, withoutCopy };
}

function rpoBreaches(policy: Policy, facts: StatusFacts): number {
  return evaluateRpo({
    policies: [policy],
    newestCopy: (pair) => facts.latest.of(pair),
    selections: facts.selections,
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
  const stored =
    policy?.source.selector !== undefined ? facts.storedSelections.get(selectionKey(policy)) : undefined;
  return {
    policy: name,
    account: policy?.account ?? last?.account ?? DEFAULT_ACCOUNT,
    ...(policy ? { fileSystems: policyFileSystems(policy, facts.selections).length } : {}),
    ...(stored
      ? {
          selection: {
            at: new Date(stored.at).toISOString(),
            selected: stored.selected.length,
            leftOut: stored.leftOut.length,
          },
        }
      : {}),
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
  const configured = config ? copyScopesOf(config) : [];
  const scopes = new Map(
    [...configured, ...(await discoverCopyScopes(redis, prefix, 10_000))].map((s) => [
      `${s.account}|${s.region}`,
      s,
    ]),
  );
  const regions: RegionStatus[] = [];
  for (const { account, region } of scopes.values()) {
    const { active, waiting, delayed, failed } = await queues.counts(region, account);
    const next = waiting === 0 ? [] : await queues.waitingInOrder(region, account, NEXT_SHOWN);
    regions.push({
      account,
      region,
      inFlight: active,
      waiting,
      delayed,
      failed,
      next: next.map(waitingCopy),
    });
  }
  return regions.sort((a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
}

function accountStatuses(config: Config | undefined, facts: StatusFacts): AccountStatus[] {
  return (config?.accounts ?? []).map((a) => {
    const reach = facts.accountReach.get(a.name);
    return {
      account: a.name,
      roleArn: a.roleArn,
      ...(reach
        ? {
            reachable: reach.ok,
            ...(reach.ok ? {} : { errorName: reach.errorName }),
            checkedAt: new Date(reach.at).toISOString(),
          }
        : {}),
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

function formatAccounts(accounts: readonly AccountStatus[]): string {
  return formatTable(
    ['ACCOUNT', 'ROLE', 'REACHABLE', 'CHECKED'],
    accounts.map((a) => [
      a.account,
      a.roleArn,
      a.reachable === undefined ? 'not tried yet' : a.reachable ? 'yes' : `no: ${a.errorName ?? 'error'}`,
      short(a.checkedAt),
    ]),
  );
}

function formatStatus(
  regions: readonly RegionStatus[],
  policies: readonly PolicyStatus[],
  accounts: readonly AccountStatus[],
): string {
  const account = accountColumn([
    ...accounts.map((a) => a.account),
    ...regions.map((r) => r.account),
    ...policies.map((p) => p.account),
  ]);
  const regionTable = formatTable(
    [...account('ACCOUNT'), 'REGION', 'IN FLIGHT', 'WAITING', 'DELAYED', 'FAILED'],
    regions.map((r) => [
      ...account(r.account),
      r.region,
      String(r.inFlight),
      String(r.waiting),
      String(r.delayed),
      String(r.failed),
    ]),
  );
  const policyTable = formatTable(
    [
      'POLICY',
      ...account('ACCOUNT'),
      'FILE SYSTEMS',
      'LAST FIRE',
      'NEXT FIRE',
      'LAST OUTCOME',
      'RECOVERY POINT AGE',
      'RPO',
    ],
    policies.map((p) => [
      p.policy,
      ...account(p.account),
      p.fileSystems === undefined
        ? '-'
        : `${p.fileSystems}${p.selection ? ` (selector ${short(p.selection.at)}${p.selection.leftOut > 0 ? `, ${p.selection.leftOut} left out` : ''})` : ''}`,
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
  const waiting = regions.flatMap((r) =>
    r.next.map((c, i) => [
      ...account(r.account),
      r.region,
      String(i + 1),
      c.policy,
      c.fileSystemId,
      c.firstCopy ? 'first copy' : c.deadline === undefined ? 'no rpo' : short(c.deadline),
    ]),
  );
  const nextTable =
    waiting.length === 0
      ? []
      : [
          'Waiting copies, in the order they start:\n' +
            formatTable(
              [...account('ACCOUNT'), 'REGION', '#', 'POLICY', 'FILE SYSTEM', 'RPO DEADLINE'],
              waiting,
            ),
        ];
  const tables = [
    regionTable,
    ...nextTable,
    policyTable,
    ...(accounts.length > 0 ? [formatAccounts(accounts)] : []),
  ];
  return tables.join('\n\n');
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
      const facts = await readFacts(redis, env.prefix, config);
      const policies = policyStatuses(config, facts);
      const accounts = accountStatuses(config, facts);
      const retention = await retentionStatus(redis, env.prefix, config);
      out.stdout(
        args.json
          ? JSON.stringify({ regions, policies, accounts, retention }, null, 2)
          : `${formatStatus(regions, policies, accounts)}\n\n${formatRetentionStatus(retention)}`,
      );
      return 0;
    } finally {
      await queues.close();
    }
  });
}

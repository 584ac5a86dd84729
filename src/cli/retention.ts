import type { Environment } from '../config/environment.js';
import type { Config } from '../config/types.js';
import { toFsxErrorFacts } from '../fsx/error-facts.js';
import { AccountGateways } from '../fsx/account-gateways.js';
import { EstateStore } from '../queue/estate-store.js';
import type { PolicySelections } from '../copy/policy-file-systems.js';
import { CopyJobReferences } from '../queue/copy-job-references.js';
import { CopyQueues } from '../queue/copy-queues.js';
import { USER_INITIATED_BACKUP_QUOTA } from '../retention/backup-quotas.js';
import type { NotACandidate } from '../retention/identify-service-copy.js';
import type { CopyVerdict, PairSweep, SweepPlan } from '../retention/plan-sweep.js';
import { describeRules } from '../retention/describe-rules.js';
import { retentionScopesOf, type RetentionScope } from '../retention/retention-scope.js';
import { decideSweep } from '../service/sweep-retention.js';
import { accountColumn, formatTable, type Output } from './output.js';
import { withRedis } from './with-redis.js';

export interface RetentionCopyRow {
  readonly backupId: string;
  readonly sourceBackupId: string;
  readonly recoveryPoint: string;
  readonly lifecycle: string;
  readonly action: 'keep' | 'delete';
  /** Why it is kept: the rules that keep it and the guards that hold. */
  readonly reasons?: readonly string[];
  /** Why it goes. */
  readonly why?: string;
  /** Past this sweep's `maxDeletionsPerSweep`: a later sweep deletes it. */
  readonly deferred?: boolean;
  readonly referencedBy?: string;
}

export interface RetentionPairRow {
  readonly account: string;
  readonly sourceRegion: string;
  readonly fileSystemId: string;
  readonly destinationRegion: string;
  readonly policies: readonly string[];
  /** `rules`, `kept-forever`, `source-region` or `no-policy`. */
  readonly retention: string;
  readonly rules?: string;
  readonly copies: readonly RetentionCopyRow[];
}

export interface RetentionRegionRow {
  readonly account: string;
  readonly region: string;
  readonly userInitiatedBackups?: Readonly<Record<string, number>>;
  readonly quota?: Readonly<Record<string, number>>;
  readonly serviceCopies?: number;
  readonly ignored?: Readonly<Record<NotACandidate, number>>;
  readonly deleteNextSweep?: number;
  readonly deferred?: number;
  readonly error?: string;
}

function copyRows(
  pair: PairSweep,
  plan: SweepPlan,
  referenced: ReadonlyMap<string, string>,
): RetentionCopyRow[] {
  const thisSweep = new Set(plan.deletions.map((d) => d.copy.backupId));
  return pair.verdicts.map((v: CopyVerdict) => {
    const base = {
      backupId: v.copy.backupId,
      sourceBackupId: v.copy.sourceBackupId,
      recoveryPoint: new Date(v.copy.recoveryPointMs).toISOString(),
      lifecycle: v.copy.lifecycle,
    };
    const ref = referenced.get(v.copy.backupId);
    if (v.action === 'keep') {
      return {
        ...base,
        action: 'keep',
        reasons: v.reasons,
        ...(ref !== undefined ? { referencedBy: ref } : {}),
      };
    }
    return {
      ...base,
      action: 'delete',
      why: v.why,
      ...(thisSweep.has(v.copy.backupId) ? {} : { deferred: true }),
    };
  });
}

function pairRow(
  pair: PairSweep,
  plan: SweepPlan,
  referenced: ReadonlyMap<string, string>,
): RetentionPairRow {
  const p = pair.policy;
  return {
    ...pair.pair,
    policies: p.kind === 'no-policy' ? [] : p.policies,
    retention: p.kind,
    ...(p.kind === 'rules' ? { rules: describeRules(p.rules) } : {}),
    copies: copyRows(pair, plan, referenced),
  };
}

/** What a sweep of one scope would decide now, from the real listing and the copy jobs in Redis. */
async function inspectScope(
  scope: RetentionScope,
  config: Config,
  deployment: string,
  ctx: { readonly gateways: AccountGateways; readonly selections: PolicySelections },
  references: CopyJobReferences,
): Promise<{ region: RetentionRegionRow; pairs: RetentionPairRow[] }> {
  const fsx = ctx.gateways.gateway(scope.account);
  const backups = await fsx.listUserInitiatedBackups(scope.destinationRegion);
  const base = { scope, deployment, config, backups, selections: ctx.selections, now: Date.now() };
  const { plan, referenced } = await decideSweep(base, (key, id) => references.referencedBy(key, id));
  const quota = Object.fromEntries(
    Object.keys(plan.userInitiatedByType).flatMap((t) => {
      const q = USER_INITIATED_BACKUP_QUOTA[t];
      return q === undefined ? [] : [[t, q]];
    }),
  );
  return {
    region: {
      account: scope.account,
      region: scope.destinationRegion,
      userInitiatedBackups: plan.userInitiatedByType,
      quota,
      serviceCopies: plan.serviceCopies,
      ignored: plan.ignored,
      deleteNextSweep: plan.deletions.length,
      deferred: plan.deferred,
    },
    pairs: plan.pairs.map((p) => pairRow(p, plan, referenced)),
  };
}

function action(c: RetentionCopyRow): string {
  if (c.action === 'keep') return `keep (${(c.reasons ?? []).join(', ')})`;
  return `delete (${c.why ?? ''}${c.deferred ? '; a later sweep: maxDeletionsPerSweep' : ''})`;
}

function printTable(
  out: Output,
  regions: readonly RetentionRegionRow[],
  pairs: readonly RetentionPairRow[],
  config: Config,
): void {
  const account = accountColumn(regions.map((r) => r.account));
  const where = (r: RetentionRegionRow): string => [...account(r.account), r.region].join('/');
  out.stdout(
    formatTable(
      [
        ...account('ACCOUNT'),
        'DESTINATION',
        'FILE SYSTEM',
        'SOURCE',
        'POLICIES',
        'BACKUP',
        'RECOVERY POINT',
        'LIFECYCLE',
        'ACTION',
      ],
      pairs.flatMap((p) => {
        const head = [
          ...account(p.account),
          p.destinationRegion,
          p.fileSystemId,
          p.sourceRegion,
          p.policies.join(',') || '-',
        ];
        if (p.copies.length === 0)
          return [[...head, '-', '-', '-', `no copy yet${p.rules ? ` (${p.rules})` : ''}`]];
        return p.copies.map((c) => [
          ...head,
          c.backupId,
          c.recoveryPoint.replace(/\.\d+Z$/, 'Z'),
          c.lifecycle,
          action(c),
        ]);
      }),
    ),
  );
  out.stdout('');
  for (const r of regions) {
    if (r.error !== undefined) {
      out.stdout(`${where(r)}: listing failed: ${r.error}`);
      continue;
    }
    const counts = Object.entries(r.userInitiatedBackups ?? {})
      .map(([type, n]) => `${type} ${n}${r.quota?.[type] !== undefined ? `/${r.quota[type]}` : ''}`)
      .join(', ');
    const ignored = Object.values(r.ignored ?? {}).reduce((a, b) => a + b, 0);
    out.stdout(
      `${where(r)}: user-initiated backups ${counts || 'none'}; ${r.serviceCopies ?? 0} of this deployment's copies, ` +
        `${ignored} other backup${ignored === 1 ? '' : 's'} left alone; the next sweep deletes ${r.deleteNextSweep ?? 0}` +
        `${r.deferred ? `, later sweeps ${r.deferred} more` : ''}.`,
    );
  }
  const { dryRun, maxDeletionsPerSweep } = config.settings.retention;
  out.stdout(
    `\nDeletes nothing. Sweeps run with maxDeletionsPerSweep ${maxDeletionsPerSweep}${dryRun ? ' as a dry run (they delete nothing either)' : ''}.`,
  );
}

/**
 * `fsx-dr retention`: per pair, every copy this deployment holds with `keep (why)` or `delete (why)`, from the real
 * listings of every destination Region and the copy jobs in Redis, exactly as the next sweep would decide. Deletes
 * nothing; other backups in those Regions are counted, never listed as candidates.
 */
export async function runRetention(
  args: { json: boolean },
  config: Config,
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const gateways = new AccountGateways({ requestTimeoutMs: env.fsxRequestTimeoutMs }, config.accounts);
    const selections = await new EstateStore(redis, env.prefix).selections();
    const queues = new CopyQueues(redis, env.prefix);
    const references = new CopyJobReferences((region, account) => queues.queue(region, account));
    const regions: RetentionRegionRow[] = [];
    const pairs: RetentionPairRow[] = [];
    try {
      for (const scope of retentionScopesOf(config)) {
        try {
          const result = await inspectScope(
            scope,
            config,
            env.deployment,
            { gateways, selections },
            references,
          );
          regions.push(result.region);
          pairs.push(...result.pairs);
        } catch (err) {
          const e = toFsxErrorFacts(err);
          regions.push({
            account: scope.account,
            region: scope.destinationRegion,
            error: `${e.name}: ${e.message}`,
          });
        }
      }
    } finally {
      gateways.destroy();
      await queues.close();
    }
    if (args.json) {
      const { dryRun, maxDeletionsPerSweep } = config.settings.retention;
      out.stdout(
        JSON.stringify({ deployment: env.deployment, dryRun, maxDeletionsPerSweep, regions, pairs }, null, 2),
      );
    } else {
      printTable(out, regions, pairs, config);
    }
    return regions.some((r) => r.error !== undefined) ? 1 : 0;
  });
}

import type { Config, Policy } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import type { LatestCopies } from '../copy/latest-copy.js';
import { slotFileSystems } from '../copy/policy-file-systems.js';
import { AccountGateways } from '../fsx/account-gateways.js';
import { assumeRoleFailureOf } from '../fsx/assume-role.js';
import { toFsxErrorFacts } from '../fsx/error-facts.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { withRedis } from './with-redis.js';
import { nextFireTime } from '../schedule/next-fire-times.js';
import { newestEligibleBackups, planCopies } from '../schedule/plan-copies.js';
import { selectFileSystems, type Selection } from '../schedule/select-file-systems.js';
import { accountColumn, formatTable, type Output } from './output.js';

export interface PlanRow {
  readonly policy: string;
  /** The account the policy runs in (`default`: the service's own). */
  readonly account: string;
  readonly nextFire: string;
  readonly fileSystemId: string;
  /** For a file system the selector looked at: its type, and whether it was selected. */
  readonly fileSystemType?: string;
  readonly selected?: boolean;
  readonly backupId?: string;
  readonly lifecycle?: string;
  readonly destinationRegion?: string;
  /**
   * `copy`, or why not: `already-copied`, `no-eligible-backup`, `unsupported-file-system-type`, `listing-failed`,
   * `account-failed`, or, for a file system the selector's tags matched but which is left out, `left-out:<reason>`
   * (`ontap-not-copyable`, `lustre-scratch`, `lustre-s3-linked`, `openzfs-intelligent-tiering`, `not-available`,
   * `type-not-selected`, `excluded`); `selector-empty` when nothing was selected.
   */
  readonly action: string;
  readonly error?: string;
}

interface PolicyContext {
  readonly config: Config;
  readonly env: Environment;
  readonly gateways: AccountGateways;
  readonly latest: LatestCopies;
  readonly now: number;
}

/** The rows of what the selector left out (and a `selector-empty` row when it selected nothing). */
function selectionRows(base: Omit<PlanRow, 'fileSystemId' | 'action'>, selection: Selection): PlanRow[] {
  const rows: PlanRow[] = selection.leftOut.map((l) => ({
    ...base,
    fileSystemId: l.fileSystemId,
    fileSystemType: l.type,
    selected: false,
    lifecycle: l.lifecycle,
    action: `left-out:${l.reason}`,
  }));
  if (selection.selected.length === 0) rows.push({ ...base, fileSystemId: '-', action: 'selector-empty' });
  return rows;
}

/** What one policy's next fire would do: the selector's answer, then the copies, from the real listings. */
async function policyRows(policy: Policy, ctx: PolicyContext): Promise<{ rows: PlanRow[]; failed: boolean }> {
  const slot = nextFireTime(policy.schedule, policy.timezone, new Date(ctx.now));
  const base = { policy: policy.name, account: policy.account, nextFire: slot.toISOString() };
  const fsx = ctx.gateways.gateway(policy.account);
  const rows: PlanRow[] = [];
  let fileSystemIds = slotFileSystems(policy);
  let selectedIds = new Set<string>();
  try {
    if (policy.source.selector !== undefined) {
      const selection = selectFileSystems(policy, await fsx.listFileSystems(policy.source.region));
      rows.push(...selectionRows(base, selection));
      selectedIds = new Set(selection.selected);
      fileSystemIds = slotFileSystems(policy, selection.selected);
    }
    const backups =
      fileSystemIds.length === 0 ? [] : await fsx.listSourceBackups(policy.source.region, fileSystemIds);
    const newest = newestEligibleBackups(fileSystemIds, backups);
    const plan = planCopies({
      policy,
      settings: ctx.config.settings,
      fileSystemIds,
      backups,
      latestCopy: (fs, dest) =>
        ctx.latest.of({
          account: policy.account,
          sourceRegion: policy.source.region,
          fileSystemId: fs,
          destinationRegion: dest,
        }),
      slotMs: slot.getTime(),
      now: ctx.now,
      deployment: ctx.env.deployment,
    });
    const facts = (fs: string) => {
      const b = newest.get(fs);
      return {
        ...(b?.lifecycle !== undefined ? { lifecycle: b.lifecycle } : {}),
        ...(b?.fileSystemType !== undefined ? { fileSystemType: b.fileSystemType } : {}),
        ...(selectedIds.has(fs) ? { selected: true } : {}),
      };
    };
    for (const c of plan.copies) {
      const { fileSystemId, sourceBackupId, destinationRegion } = c.data;
      rows.push({
        ...base,
        fileSystemId,
        backupId: sourceBackupId,
        ...facts(fileSystemId),
        destinationRegion,
        action: 'copy',
      });
    }
    for (const s of plan.skipped) {
      rows.push({
        ...base,
        fileSystemId: s.fileSystemId,
        ...(s.backupId !== undefined ? { backupId: s.backupId } : {}),
        ...facts(s.fileSystemId),
        ...(s.destinationRegion !== undefined ? { destinationRegion: s.destinationRegion } : {}),
        action: s.reason,
      });
    }
    return { rows, failed: false };
  } catch (err) {
    const e = toFsxErrorFacts(err);
    const action = assumeRoleFailureOf(err) !== undefined ? 'account-failed' : 'listing-failed';
    const ids = fileSystemIds.length > 0 ? fileSystemIds : ['-'];
    for (const fs of ids) rows.push({ ...base, fileSystemId: fs, action, error: `${e.name}: ${e.message}` });
    return { rows, failed: true };
  }
}

function printTable(rows: readonly PlanRow[], out: Output): void {
  const account = accountColumn(rows.map((r) => r.account));
  out.stdout(
    formatTable(
      [
        'POLICY',
        ...account('ACCOUNT'),
        'NEXT FIRE (UTC)',
        'FILE SYSTEM',
        'TYPE',
        'BACKUP',
        'LIFECYCLE',
        'DESTINATION',
        'ACTION',
      ],
      rows.map((r) => [
        r.policy,
        ...account(r.account),
        r.nextFire.replace(/\.\d+Z$/, 'Z'),
        r.fileSystemId,
        r.fileSystemType ?? '-',
        r.backupId ?? '-',
        r.lifecycle ?? '-',
        r.destinationRegion ?? 'all',
        r.error ? `${r.action} (${r.error})` : r.action,
      ]),
    ),
  );
  const copies = rows.filter((r) => r.action === 'copy').length;
  const leftOut = rows.filter((r) => r.action.startsWith('left-out:')).length;
  out.stdout(
    `\n${copies} cop${copies === 1 ? 'y' : 'ies'} would be enqueued at the next fires; nothing was enqueued.` +
      (leftOut > 0
        ? ` ${leftOut} file system(s) the selectors' tags matched are left out (ACTION says why).`
        : ''),
  );
}

/**
 * `fsx-dr plan`: what the next fire of each policy would copy, from the real source listings (and, for a selector,
 * the real DescribeFileSystems: which file systems it picks and why the others are left out) and what Redis knows
 * was copied already, without enqueuing anything.
 */
export async function runPlan(
  args: { json: boolean },
  config: Config,
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const gateways = new AccountGateways({ requestTimeoutMs: env.fsxRequestTimeoutMs }, config.accounts);
    const rows: PlanRow[] = [];
    let failed = false;
    try {
      const ctx = {
        config,
        env,
        gateways,
        latest: await new OutcomeReader(redis, env.prefix).latestCopies(),
        now: Date.now(),
      };
      for (const policy of config.policies) {
        const result = await policyRows(policy, ctx);
        rows.push(...result.rows);
        failed ||= result.failed;
      }
    } finally {
      gateways.destroy();
    }
    if (args.json) out.stdout(JSON.stringify(rows, null, 2));
    else printTable(rows, out);
    return failed ? 1 : 0;
  });
}

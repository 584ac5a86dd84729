import type { Config } from '../config/types.js';
import type { Environment } from '../config/environment.js';
import { FsxGateway } from '../fsx/fsx-gateway.js';
import { toFsxErrorFacts } from '../fsx/error-facts.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { withRedis } from './with-redis.js';
import { nextFireTime } from '../schedule/next-fire-times.js';
import { newestEligibleBackups, planCopies, type SourceBackup } from '../schedule/plan-copies.js';
import { formatTable, type Output } from './output.js';

export interface PlanRow {
  readonly policy: string;
  readonly nextFire: string;
  readonly fileSystemId: string;
  readonly backupId?: string;
  readonly lifecycle?: string;
  readonly destinationRegion?: string;
  /** `copy`, or why not: `already-copied`, `no-eligible-backup`, `unsupported-file-system-type`, `listing-failed`. */
  readonly action: string;
  readonly error?: string;
}

/**
 * `fsx-dr plan`: what the next fire of each policy would copy, from the real source listings and what Redis
 * knows was copied already, without enqueuing anything.
 */
export async function runPlan(
  args: { json: boolean },
  config: Config,
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const fsx = new FsxGateway({ requestTimeoutMs: env.fsxRequestTimeoutMs });
    const rows: PlanRow[] = [];
    let failed = false;
    try {
      const latest = await new OutcomeReader(redis, env.prefix).latestCopies();
      const now = Date.now();
      for (const policy of config.policies) {
        const slot = nextFireTime(policy.schedule, policy.timezone, new Date(now));
        const base = { policy: policy.name, nextFire: slot.toISOString() };
        let backups: SourceBackup[];
        try {
          backups = await fsx.listSourceBackups(policy.source.region, policy.source.fileSystemIds);
        } catch (err) {
          failed = true;
          const e = toFsxErrorFacts(err);
          for (const fs of policy.source.fileSystemIds) {
            rows.push({
              ...base,
              fileSystemId: fs,
              action: 'listing-failed',
              error: `${e.name}: ${e.message}`,
            });
          }
          continue;
        }
        const newest = newestEligibleBackups(policy.source.fileSystemIds, backups);
        const plan = planCopies({
          policy,
          settings: config.settings,
          backups,
          latestCopy: (fs, dest) => latest.of(policy.source.region, fs, dest),
          slotMs: slot.getTime(),
          now,
          deployment: env.deployment,
        });
        const lifecycleOf = (fs: string): { lifecycle?: string } => {
          const l = newest.get(fs)?.lifecycle;
          return l === undefined ? {} : { lifecycle: l };
        };
        for (const c of plan.copies) {
          rows.push({
            ...base,
            fileSystemId: c.data.fileSystemId,
            backupId: c.data.sourceBackupId,
            ...lifecycleOf(c.data.fileSystemId),
            destinationRegion: c.data.destinationRegion,
            action: 'copy',
          });
        }
        for (const s of plan.skipped) {
          rows.push({
            ...base,
            fileSystemId: s.fileSystemId,
            ...(s.backupId !== undefined ? { backupId: s.backupId } : {}),
            ...lifecycleOf(s.fileSystemId),
            ...(s.destinationRegion !== undefined ? { destinationRegion: s.destinationRegion } : {}),
            action: s.reason,
          });
        }
      }
    } finally {
      fsx.destroy();
    }
    if (args.json) {
      out.stdout(JSON.stringify(rows, null, 2));
    } else {
      out.stdout(
        formatTable(
          ['POLICY', 'NEXT FIRE (UTC)', 'FILE SYSTEM', 'BACKUP', 'LIFECYCLE', 'DESTINATION', 'ACTION'],
          rows.map((r) => [
            r.policy,
            r.nextFire.replace(/\.\d+Z$/, 'Z'),
            r.fileSystemId,
            r.backupId ?? '-',
            r.lifecycle ?? '-',
            r.destinationRegion ?? 'all',
            r.error ? `${r.action} (${r.error})` : r.action,
          ]),
        ),
      );
      const copies = rows.filter((r) => r.action === 'copy').length;
      out.stdout(
        `\n${copies} cop${copies === 1 ? 'y' : 'ies'} would be enqueued at the next fires; nothing was enqueued.`,
      );
    }
    return failed ? 1 : 0;
  });
}

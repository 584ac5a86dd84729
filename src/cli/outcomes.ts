import { accountOf } from '../copy/account-region.js';
import type { CopyOutcome } from '../copy/outcome.js';
import type { Environment } from '../config/environment.js';
import { OutcomeReader } from '../queue/outcome-store.js';
import { withRedis } from './with-redis.js';
import { accountColumn, formatTable, type Output } from './output.js';

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The outcomes as a readable table, newest first. */
export function formatOutcomes(outcomes: readonly CopyOutcome[]): string {
  if (outcomes.length === 0) return 'no outcomes recorded yet';
  const account = accountColumn(outcomes.map(accountOf));
  return formatTable(
    [
      'FINISHED',
      'STATUS',
      ...account('ACCOUNT'),
      'POLICY',
      'FILE SYSTEM',
      'SOURCE',
      'DESTINATION',
      'COPY',
      'TOOK',
      'SIZE',
      'ERROR',
    ],
    outcomes.map((o) => [
      o.finishedAt.replace(/\.\d+Z$/, 'Z'),
      o.status,
      ...account(accountOf(o)),
      o.policy,
      o.fileSystemId,
      `${o.sourceRegion}/${o.sourceBackupId}`,
      o.destinationRegion,
      o.destinationBackupId ?? '-',
      formatDuration(o.durationMs),
      formatBytes(o.sizeInBytes),
      o.errorName ? `${o.errorName}: ${o.errorMessage ?? ''}` : '',
    ]),
  );
}

/** `fsx-dr outcomes`: reads outcome records from Redis. Fails fast (not hangs) when Redis is unreachable. */
export async function runOutcomes(
  args: { json: boolean; limit: number; policy?: string },
  env: Environment,
  out: Output,
): Promise<number> {
  return withRedis(env, out, async (redis) => {
    const outcomes = await new OutcomeReader(redis, env.prefix).list({
      limit: args.limit,
      ...(args.policy !== undefined ? { policy: args.policy } : {}),
    });
    out.stdout(args.json ? JSON.stringify(outcomes, null, 2) : formatOutcomes(outcomes));
    return 0;
  });
}

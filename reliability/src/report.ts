import type { ChaosSummary } from './chaos-summary.js';
import { failureReasons } from './chaos-summary.js';

type Row = readonly [metric: string, value: string];

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function faultRow(s: ChaosSummary): string {
  const i = s.traffic.injected;
  const n = (k: string): number => i[k] ?? 0;
  return [
    `5xx ${n('serverError')}`,
    `throttled ${n('throttle')}`,
    `hung ${n('hang')}`,
    `malformed JSON ${n('malformed')}`,
    `lost answers ${n('failNext')}`,
    `slow (latency phases) ${s.faultsApplied['latency-spikes']}`,
    `odd Lifecycle phases ${s.faultsApplied['unknown-lifecycle']}`,
    `missing-field phases ${s.faultsApplied['missing-fields']}`,
  ].join(', ');
}

function failureNames(s: ChaosSummary): string {
  const names = Object.entries(s.copies.failureNames).sort((a, b) => b[1] - a[1]);
  return names.length === 0 ? 'none' : names.map(([name, n]) => `${name} ${n}`).join(', ');
}

const REDIS_SHAPES = {
  standalone: 'one redis-server (AOF)',
  sentinel: 'Sentinel: a primary, a replica, three sentinels (AOF)',
  cluster: 'cluster: three primaries (AOF), every key in one hash-tag slot',
} as const;

function redisFaultRow(s: ChaosSummary): Row {
  const back = s.redisFaults.map((f) => `${((f.backAt - f.at) / 1000).toFixed(1)} s`).join(', ');
  if (s.redis === 'sentinel') {
    return [
      'primaries SIGKILLed (failovers)',
      `${s.redisFaults.length} (writes served again after ${back || '-'}; redis.failover logged ${s.failoverLines} times by ${s.processesThatSawFailover} processes)`,
    ];
  }
  const what = s.redis === 'cluster' ? 'Redis restarts (the node of the slot, SIGKILL)' : 'Redis restarts';
  return [what, s.redisFaults.length === 0 ? '0' : `${s.redisFaults.length} (back after ${back})`];
}

function recoveryRow(s: ChaosSummary): Row {
  const r = s.recoveries;
  return [
    'writes Redis lost, made up for (checkpoints by look-up / by token; outcomes written again; jobs lost, copy found)',
    `${r.checkpointsByLookup} / ${r.checkpointsByToken} (${r.checkpointsAcrossFault} across a Redis fault); ` +
      `${r.outcomesRewritten}; ${r.jobsLostCopyFound}`,
  ];
}

/** The rows of the one table a run prints (and writes to reliability/latest*.md). */
export function tableRows(s: ChaosSummary): Row[] {
  const c = s.copies.counts;
  const a = s.admission;
  const f = s.feed;
  const o = s.copies.outcomesByStatus;
  const reasons = failureReasons(s);
  return [
    ['copies expected', String(s.copies.expected)],
    ['  succeeded exactly once', String(c['succeeded-once'])],
    ['  duplicated', String(c.duplicated)],
    ['  lost', String(c.lost)],
    ['  failed with a reason', String(c['failed-with-reason'])],
    ['  failed without a reason', String(c['failed-without-reason'])],
    ...retentionRows(s),
    ...a.peaks.map((p): Row => [`peak in flight ${p.region} (service / total)`, `${p.service} / ${p.total}`]),
    [
      'CopyBackup calls sent while 5 own copies in flight',
      `${a.overAdmissions} (plus ${a.replaysOfExistingCopy} retries answered from an existing copy's token)`,
    ],
    [
      'processes killed (SIGKILL worker / scheduler)',
      `${s.fleet.sigkills.worker} / ${s.fleet.sigkills.scheduler}`,
    ],
    [
      'rolling restarts (SIGTERM stops)',
      `${s.scenario.rollingRestarts} (${s.fleet.sigterms} stops, slowest ${(s.fleet.slowestStopMs / 1000).toFixed(1)} s, ` +
        `${s.fleet.uncleanStops.length} not exit 0)`,
    ],
    ['Redis', REDIS_SHAPES[s.redis]],
    redisFaultRow(s),
    recoveryRow(s),
    [
      'outage, then catch-up',
      `${duration(s.scenario.outageMs)} down (${s.scenario.missedFireTimes} fire times); caught up ${s.scenario.caughtUp.length} of ${s.policies} policies`,
    ],
    ['FSx faults injected', faultRow(s)],
    [
      'copies FAILED in FSx / foreign copies holding slots',
      `${s.copiesFailedInFsx} / ${s.foreignCopies} (Region-full refusals ${s.traffic.regionFullRefusals})`,
    ],
    [
      'new source backups (CREATING, long, odd Lifecycle, FAILED, deleted)',
      `${Object.values(f).reduce((x, y) => x + y, 0)} (${f.creating}, ${f['long-creating']}, ${f['odd-lifecycle']}, ${f.failed}, ${f.deleted})`,
    ],
    [
      'outcomes (succeeded / failed / expired)',
      `${o['succeeded'] ?? 0} / ${o['failed'] ?? 0} / ${o['expired'] ?? 0}; untracked copies ${s.copies.untrackedCopies}`,
    ],
    ['reasons of failed outcomes', failureNames(s)],
    ['FSx requests / CopyBackup calls', `${s.traffic.fsxRequests} / ${s.traffic.copyBackupCalls}`],
    ['unexpected process exits', String(s.fleet.crashes.length)],
    ['wall time', duration(s.wallMs)],
    ['verdict', reasons.length === 0 ? 'PASS' : `FAIL: ${reasons.join('; ')}`],
  ];
}

function retentionRows(s: ChaosSummary): Row[] {
  const r = s.retention;
  const records = Object.entries(r.records)
    .sort()
    .map(([result, n]) => `${result} ${n}`)
    .join(', ');
  return [
    [
      `retention (keepLast ${r.keepLast}, sweep every ${r.sweepInterval}, at most ${r.maxDeletionsPerSweep} per sweep)`,
      `${r.deleted} copies deleted by ${r.deleteRequests} DeleteBackup calls; records: ${records || 'none'}; ${s.copies.pruned} succeeded copies pruned since`,
    ],
    [
      '  backups deleted that were not the service’s (DeleteBackup calls for them)',
      `${r.notServiceDeleted} (${r.deleteRequestsToOthers}); ${r.othersLeft} of ${r.othersSeen} such backups left, ${r.bait} of them planted`,
    ],
    ['  newest copies deleted', String(r.newestDeleted)],
    ['  copies deleted while a job referred to them', String(r.deletedWhileReferenced)],
    ['  copies without a recovery point tag', String(r.withoutRecoveryPoint)],
    [
      '  pairs holding exactly what their rules keep, after the drain',
      `${r.pairsAsRulesKeep} of ${r.pairs} (settled ${(s.scenario.retention.tookMs / 1000).toFixed(1)} s after the copy drain)`,
    ],
  ];
}

/** reliability/latest.md (full) or latest-quick.md; on Sentinel or a cluster, latest-sentinel.md and so on. */
export function reportFileName(profile: 'quick' | 'full', redis: string): string {
  const parts = [
    'latest',
    ...(redis === 'standalone' ? [] : [redis]),
    ...(profile === 'quick' ? ['quick'] : []),
  ];
  return `${parts.join('-')}.md`;
}

/** The command that repeats a run. */
export function repeatCommand(s: { profile: 'quick' | 'full'; redis: string; seed: number }): string {
  const redis = s.redis === 'standalone' ? '' : ` --redis ${s.redis}`;
  return `npm run chaos --${s.profile === 'quick' ? ' --quick' : ''}${redis} --seed ${s.seed}`;
}

function title(s: ChaosSummary): string {
  const on = s.redis === 'standalone' ? '' : ` on ${s.redis}`;
  return (
    `fsx-dr chaos run (${s.profile}${on}), seed ${s.seed}: ${s.workers} worker + ${s.schedulers} scheduler processes, ` +
    `${s.policies} policies, ${s.destinationRegions} destination Regions`
  );
}

/** The table as plain aligned text, for the terminal. */
export function formatText(s: ChaosSummary): string {
  const rows = tableRows(s);
  const width = Math.max(...rows.map(([m]) => m.length));
  return [title(s), '', ...rows.map(([m, v]) => `${m.padEnd(width)}  ${v}`)].join('\n');
}

/** The table in Markdown, with the command that repeats the run. */
export function formatMarkdown(s: ChaosSummary, finishedAt: Date): string {
  const rows = tableRows(s).map(([m, v]) => `| ${m.startsWith('  ') ? `↳ ${m.trim()}` : m} | ${v} |`);
  const command = repeatCommand(s);
  return [
    `# ${title(s)}`,
    '',
    `Finished ${finishedAt.toISOString()}. Repeat with \`${command}\`.`,
    '',
    '| metric | value |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Problems worth reading after a failed run: each duplicated, lost or reasonless copy, crash and slow stop. */
export function formatProblems(s: ChaosSummary, limit = 30): string {
  const lines = [
    ...s.copies.problems.map((p) => `${p.category}: ${p.key}: ${p.detail}`),
    ...s.retention.problems.map((p) => `retention: ${p}`),
    ...s.fleet.crashes.map(
      (c) => `crash: ${c.process} exit ${c.code ?? c.signal}: ${c.stderrTail.join(' | ')}`,
    ),
    ...s.fleet.uncleanStops
      .filter((u) => u.hung || u.tookMs > 10_000)
      .map((u) => `stop: ${u.process} ${u.hung ? 'hung' : `exit ${u.code}`} after ${u.tookMs} ms`),
  ];
  if (lines.length === 0) return '';
  const shown = lines.slice(0, limit);
  if (lines.length > limit) shown.push(`... and ${lines.length - limit} more`);
  return ['', 'details:', ...shown.map((l) => `  ${l}`)].join('\n');
}

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
    ['Redis restarts', String(s.redisRestarts)],
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

function title(s: ChaosSummary): string {
  return (
    `fsx-dr chaos run (${s.profile}), seed ${s.seed}: ${s.workers} worker + ${s.schedulers} scheduler processes, ` +
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
  const command = `npm run chaos --${s.profile === 'quick' ? ' --quick' : ''} --seed ${s.seed}`;
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

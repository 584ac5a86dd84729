import { formatShare, formatSpan } from './format-span.js';
import type { Breach, DrReport, PairReport } from './report-model.js';

/** The words both renderings use for a pair's cells, so Markdown and HTML say the same thing. */
export interface PairCells {
  readonly account: string;
  readonly policy: string;
  readonly fileSystem: string;
  readonly route: string;
  readonly rpo: string;
  readonly withinRpo: string;
  readonly breaches: string;
  readonly noCopy: string;
  readonly newestCopy: string;
  readonly recoveryPointAge: string;
  readonly succeeded: string;
  readonly failed: string;
  readonly held: string;
}

const short = (iso: string): string => iso.replace(/:\d\d\.\d+Z$/, 'Z').replace('T', ' ');

export function failedText(p: PairReport): string {
  const reasons = Object.entries(p.copies.failedByReason)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => `${name} ${n}`);
  return reasons.length === 0 ? '0' : `${p.copies.failed} (${reasons.join(', ')})`;
}

export function pairCells(p: PairReport): PairCells {
  return {
    account: p.account,
    policy: p.inConfig ? p.policy : `${p.policy} (not in config)`,
    fileSystem: p.fileSystemId,
    route: `${p.sourceRegion} → ${p.destinationRegion}`,
    rpo: p.rpoMs === null ? '-' : formatSpan(p.rpoMs),
    withinRpo: p.withinRpoShare === null ? '-' : formatShare(p.withinRpoShare),
    breaches:
      p.rpoMs === null ? '-' : `${p.breaches.length}${p.breaches.some((b) => b.ongoing) ? ' (ongoing)' : ''}`,
    noCopy: formatSpan(p.noCopyMs),
    newestCopy: p.newestCopy
      ? `${p.newestCopy.destinationBackupId || '?'} of ${p.newestCopy.sourceBackupId}, finished ${short(p.newestCopy.finishedAt)}`
      : 'none known',
    recoveryPointAge: p.newestCopy ? formatSpan(p.newestCopy.recoveryPointAgeMs) : '-',
    succeeded: String(p.copies.succeeded),
    failed: failedText(p),
    held: p.copiesHeld === null ? 'not reported' : String(p.copiesHeld),
  };
}

export function breachCells(b: Breach): { start: string; end: string; length: string } {
  return {
    start: `${short(b.start)}${b.startedBeforePeriod ? ' (before the period)' : ''}`,
    end: b.end === null ? 'ongoing' : short(b.end),
    length: `${formatSpan(b.lengthMs)}${b.ongoing ? ' so far' : ''}`,
  };
}

/** One sentence for the top of the report. */
export function headline(r: DrReport): string {
  const t = r.totals;
  if (t.pairs === 0) return 'No pairs: no policy in the config and no outcome records.';
  if (t.pairsWithRpo === 0) return `${t.pairs} pairs; none has an RPO to measure.`;
  return (
    `${t.pairsWithinRpoThroughout} of ${t.pairsWithRpo} pairs with an RPO stayed within it for the whole period; ` +
    `${t.breaches} breaches${t.ongoingBreaches > 0 ? ` (${t.ongoingBreaches} still going on)` : ''}; ` +
    `${t.succeeded} copies succeeded and ${t.failed} failed.`
  );
}

export function periodText(r: DrReport): string {
  return `${short(r.period.start)} to ${short(r.period.end)} (${formatSpan(r.period.lengthMs)})`;
}

import { formatSpan } from './format-span.js';
import type { DrReportInput } from './report-input.js';
import type { PairReport, ReportHistory } from './report-model.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** How far back the kept outcome records reach, against the period asked for. */
export function describeHistory(input: DrReportInput, start: number, end: number): ReportHistory {
  // A loop, not Math.min(...): a store may keep a hundred thousand records.
  let oldest: number | undefined;
  for (const o of input.outcomes) {
    const t = Date.parse(o.finishedAt);
    if (Number.isFinite(t) && (oldest === undefined || t < oldest)) oldest = t;
  }
  const uncoveredMs = oldest === undefined ? end - start : Math.max(0, Math.min(oldest, end) - start);
  return {
    oldestOutcome: oldest === undefined ? null : iso(oldest),
    outcomeRecords: input.outcomes.length,
    coversPeriod: uncoveredMs === 0,
    uncoveredMs,
    retention: input.retention ?? null,
  };
}

/** Plain sentences about what the report cannot prove, for the top of every rendering. */
export function caveatsOf(
  input: DrReportInput,
  history: ReportHistory,
  pairs: readonly PairReport[],
): string[] {
  const out: string[] = [];
  const period = formatSpan(input.periodMs);
  if (history.oldestOutcome === null) {
    out.push(
      `No outcome records are kept in Redis: nothing in the ${period} asked for can be proven from them.`,
    );
  } else if (!history.coversPeriod) {
    const keep = history.retention
      ? ` Outcomes are kept for at most ${formatSpan(history.retention.maxAgeMs)} and ${history.retention.maxCount} records (settings.outcomeRetention).`
      : '';
    out.push(
      `The outcome history kept in Redis is shorter than the ${period} asked for: it begins at ${history.oldestOutcome}; ` +
        `nothing in the first ${formatSpan(history.uncoveredMs)} of the period can be proven from outcome records ` +
        `(the newest copy of each pair is kept beyond them).${keep}`,
    );
  }
  if (input.pairs === undefined) {
    out.push(
      'No --config was given: the pairs come from the records, and no RPO is known to measure against.',
    );
  } else {
    const without = [...new Set(pairs.filter((p) => p.inConfig && p.rpoMs === null).map((p) => p.policy))];
    if (without.length > 0)
      out.push(`Policies without an rpo (ages shown, no RPO measured): ${without.join(', ')}.`);
    const gone = [...new Set(pairs.filter((p) => !p.inConfig).map((p) => p.policy))];
    if (gone.length > 0) out.push(`Policies in the records but not in the config: ${gone.join(', ')}.`);
  }
  const blind = pairs.reduce((n, p) => n + p.copiesWithoutRecoveryPoint, 0);
  if (blind > 0) {
    out.push(
      `${blind} succeeded copies were recorded without their recovery point (by an older version): they are counted, but do not prove an age.`,
    );
  }
  const heldAt = pairs.flatMap((p) => (p.copiesHeldAt === null ? [] : [p.copiesHeldAt])).sort();
  if (heldAt.length === 0) {
    out.push(
      'Copies held are not reported: no retention sweep has run for these pairs (a destination with `retention` reports them after its first sweep).',
    );
  } else {
    out.push(
      `Copies held are as each pair's last retention sweep counted them (the oldest count from ${heldAt[0]}), not as of the report.`,
    );
  }
  return out;
}

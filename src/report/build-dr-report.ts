import type { CopyOutcome } from '../copy/outcome.js';
import type { DrReportInput } from './report-input.js';
import {
  breachesOf,
  buildPairTimeline,
  clipSegments,
  type RawSegment,
  type RecoveryEvidence,
} from './pair-timeline.js';
import { caveatsOf, describeHistory } from './report-history.js';
import { accountOf } from '../copy/account-region.js';
import {
  type Breach,
  type CopyCounts,
  type DrReport,
  type PairId,
  type PairReport,
  type PairSpec,
  type TimelineSegment,
} from './report-model.js';

const iso = (ms: number): string => new Date(ms).toISOString();
/** Where a copy lives: (account, source Region, file system, destination Region), whichever policy made it. */
const locationOf = (p: {
  account?: string;
  sourceRegion: string;
  fileSystemId: string;
  destinationRegion: string;
}): string => `${accountOf(p)}|${p.sourceRegion}|${p.fileSystemId}|${p.destinationRegion}`;
const pairKey = (p: PairId): string => `${p.policy}|${locationOf(p)}`;

/** The recovery point of each source backup, from every record that carries one. */
function recoveryPoints(input: DrReportInput): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of input.knownCopies) out.set(c.sourceBackupId, c.sourceCreatedAt);
  for (const o of input.outcomes) {
    const t = o.sourceCreatedAt === undefined ? Number.NaN : Date.parse(o.sourceCreatedAt);
    if (Number.isFinite(t)) out.set(o.sourceBackupId, t);
  }
  return out;
}

/** Successful copies per (source Region, file system, destination), whichever policy's job made them. */
function evidenceByLocation(
  input: DrReportInput,
  points: Map<string, number>,
): Map<string, RecoveryEvidence[]> {
  const out = new Map<string, RecoveryEvidence[]>();
  const seen = new Set<string>();
  const add = (loc: string, e: RecoveryEvidence): void => {
    const id = `${loc}|${e.sourceBackupId}|${e.destinationBackupId}`;
    if (seen.has(id) || !Number.isFinite(e.finishedAt)) return;
    seen.add(id);
    out.set(loc, [...(out.get(loc) ?? []), e]);
  };
  for (const o of input.outcomes) {
    const sourceCreatedAt = points.get(o.sourceBackupId);
    if (o.status !== 'succeeded' || sourceCreatedAt === undefined) continue;
    add(locationOf(o), {
      finishedAt: Date.parse(o.finishedAt),
      sourceCreatedAt,
      sourceBackupId: o.sourceBackupId,
      destinationBackupId: o.destinationBackupId ?? '',
    });
  }
  for (const c of input.knownCopies) {
    add(locationOf(c), {
      finishedAt: Date.parse(c.finishedAt),
      sourceCreatedAt: c.sourceCreatedAt,
      sourceBackupId: c.sourceBackupId,
      destinationBackupId: c.destinationBackupId,
    });
  }
  return out;
}

/** The config's pairs, and pairs only outcome records know (a removed policy, or no config given). */
function listPairs(input: DrReportInput, start: number): { spec: PairSpec; inConfig: boolean }[] {
  const out = new Map<string, { spec: PairSpec; inConfig: boolean }>();
  for (const p of input.pairs ?? []) out.set(pairKey(p), { spec: p, inConfig: true });
  const seenOnly = [
    ...input.outcomes.filter((o) => Date.parse(o.finishedAt) >= start),
    ...(input.pairs === undefined ? input.knownCopies : []),
  ];
  for (const o of seenOnly) {
    const id: PairId = {
      account: accountOf(o),
      policy: o.policy,
      sourceRegion: o.sourceRegion,
      fileSystemId: o.fileSystemId,
      destinationRegion: o.destinationRegion,
    };
    if (!out.has(pairKey(id))) out.set(pairKey(id), { spec: id, inConfig: false });
  }
  const order = (p: PairId): string =>
    [p.account, p.policy, p.fileSystemId, p.destinationRegion, p.sourceRegion].join('\u0000');
  return [...out.values()].sort((a, b) => order(a.spec).localeCompare(order(b.spec)));
}

function countCopies(outcomes: readonly CopyOutcome[], points: Map<string, number>) {
  const failedByReason: Record<string, number> = {};
  let succeeded = 0;
  let withoutRecoveryPoint = 0;
  for (const o of outcomes) {
    if (o.status === 'succeeded') {
      succeeded += 1;
      if (!points.has(o.sourceBackupId)) withoutRecoveryPoint += 1;
      continue;
    }
    const reason = o.errorName ?? (o.status === 'expired' ? 'CompletionDeadlineExceeded' : 'unknown');
    failedByReason[reason] = (failedByReason[reason] ?? 0) + 1;
  }
  const failed = outcomes.length - succeeded;
  const copies: CopyCounts = { succeeded, failed, failedByReason };
  return { copies, withoutRecoveryPoint };
}

function toSegment(s: RawSegment): TimelineSegment {
  const rp = s.recoveryPoint;
  return {
    from: iso(s.from),
    to: iso(s.to),
    state: s.state,
    ageFromMs: rp === undefined ? null : Math.max(0, s.from - rp),
    ageToMs: rp === undefined ? null : Math.max(0, s.to - rp),
  };
}

/** The breaches that reach into [start, end], each with its true start and its length inside the period. */
function breachesInPeriod(raw: readonly RawSegment[], start: number, end: number): Breach[] {
  return breachesOf(raw, end)
    .filter((b) => (b.end ?? end) > start)
    .map((b) => {
      const stop = b.end ?? end;
      return {
        start: iso(b.start),
        end: b.end === undefined ? null : iso(b.end),
        lengthMs: stop - b.start,
        inPeriodMs: stop - Math.max(b.start, start),
        startedBeforePeriod: b.start < start,
        ongoing: b.end === undefined,
      };
    });
}

function reportPair(
  input: DrReportInput,
  pair: { spec: PairSpec; inConfig: boolean },
  ctx: { start: number; end: number; evidence: Map<string, RecoveryEvidence[]>; points: Map<string, number> },
): PairReport {
  const { spec } = pair;
  const { start, end } = ctx;
  const evidence = (ctx.evidence.get(locationOf(spec)) ?? []).filter((e) => e.finishedAt <= end);
  const raw = buildPairTimeline({
    evidence,
    from: start,
    to: end,
    ...(spec.rpoMs !== undefined ? { rpoMs: spec.rpoMs } : {}),
  });
  const inPeriod = clipSegments(raw, start, end);
  const total = (state: RawSegment['state']): number =>
    inPeriod.filter((s) => s.state === state).reduce((sum, s) => sum + s.to - s.from, 0);
  const breaches = breachesInPeriod(raw, start, end);
  const newest = evidence.reduce<RecoveryEvidence | undefined>(
    (best, e) => (best === undefined || e.sourceCreatedAt > best.sourceCreatedAt ? e : best),
    undefined,
  );
  const own = input.outcomes.filter((o) => {
    const t = Date.parse(o.finishedAt);
    return o.policy === spec.policy && locationOf(o) === locationOf(spec) && t >= start && t <= end;
  });
  const { copies, withoutRecoveryPoint } = countCopies(own, ctx.points);
  const withinRpoMs = total('within');
  const held = input.copiesHeld?.(spec);
  return {
    account: spec.account,
    policy: spec.policy,
    sourceRegion: spec.sourceRegion,
    fileSystemId: spec.fileSystemId,
    destinationRegion: spec.destinationRegion,
    inConfig: pair.inConfig,
    rpoMs: spec.rpoMs ?? null,
    newestCopy: newest
      ? {
          sourceBackupId: newest.sourceBackupId,
          destinationBackupId: newest.destinationBackupId,
          recoveryPoint: iso(newest.sourceCreatedAt),
          finishedAt: iso(newest.finishedAt),
          recoveryPointAgeMs: Math.max(0, end - newest.sourceCreatedAt),
        }
      : null,
    withinRpoMs,
    breachedMs: total('breached'),
    noCopyMs: total('no-copy'),
    withinRpoShare: spec.rpoMs === undefined ? null : withinRpoMs / (end - start),
    breaches,
    copies,
    copiesWithoutRecoveryPoint: withoutRecoveryPoint,
    copiesHeld: held?.count ?? null,
    copiesHeldAt: held?.at ?? null,
    timeline: inPeriod.map(toSegment),
  };
}

/**
 * The DR evidence report: per (account, policy, file system, destination) the newest copy and its recovery point
 * age, the share of the period within the RPO, every breach, and the copies that succeeded and failed. Pure: the
 * records and `now` come in; nothing is read here.
 */
export function buildDrReport(input: DrReportInput): DrReport {
  const end = input.now;
  const start = end - input.periodMs;
  const points = recoveryPoints(input);
  const evidence = evidenceByLocation(input, points);
  const pairs = listPairs(input, start).map((p) => reportPair(input, p, { start, end, evidence, points }));
  const history = describeHistory(input, start, end);
  const withRpo = pairs.filter((p) => p.rpoMs !== null);
  return {
    generatedAt: iso(end),
    period: { start: iso(start), end: iso(end), lengthMs: input.periodMs },
    history,
    configGiven: input.pairs !== undefined,
    caveats: caveatsOf(input, history, pairs),
    totals: {
      pairs: pairs.length,
      pairsWithRpo: withRpo.length,
      pairsWithinRpoThroughout: withRpo.filter((p) => p.withinRpoShare === 1).length,
      breaches: pairs.reduce((n, p) => n + p.breaches.length, 0),
      ongoingBreaches: pairs.reduce((n, p) => n + p.breaches.filter((b) => b.ongoing).length, 0),
      succeeded: pairs.reduce((n, p) => n + p.copies.succeeded, 0),
      failed: pairs.reduce((n, p) => n + p.copies.failed, 0),
    },
    pairs,
  };
}

export type { DrReportInput } from './report-input.js';

import type { SegmentState } from './report-model.js';

/** A successful copy as evidence of a recovery point in the destination. Times are epoch ms. */
export interface RecoveryEvidence {
  readonly finishedAt: number;
  readonly sourceCreatedAt: number;
  readonly sourceBackupId: string;
  readonly destinationBackupId: string;
}

/** A timeline stretch in epoch ms; `recoveryPoint` is undefined in `no-copy` stretches. */
export interface RawSegment {
  readonly from: number;
  readonly to: number;
  readonly state: SegmentState;
  readonly recoveryPoint?: number;
}

export interface RawBreach {
  readonly start: number;
  /** Undefined while it goes on at the end of the timeline. */
  readonly end?: number;
}

function stretch(from: number, to: number, recoveryPoint: number | undefined, rpoMs?: number): RawSegment[] {
  if (to <= from) return [];
  if (recoveryPoint === undefined) return [{ from, to, state: 'no-copy' }];
  if (rpoMs === undefined) return [{ from, to, state: 'no-rpo', recoveryPoint }];
  const crossing = recoveryPoint + rpoMs;
  if (to <= crossing) return [{ from, to, state: 'within', recoveryPoint }];
  if (from >= crossing) return [{ from, to, state: 'breached', recoveryPoint }];
  return [
    { from, to: crossing, state: 'within', recoveryPoint },
    { from: crossing, to, state: 'breached', recoveryPoint },
  ];
}

/**
 * The recovery point of one pair over [from, to]: at each instant, the newest source backup among the copies that
 * had finished by then; its age against the RPO. The timeline starts at the earliest evidence when that is before
 * `from`, so that a breach already going on at `from` has its true start. Pure.
 */
export function buildPairTimeline(input: {
  readonly evidence: readonly RecoveryEvidence[];
  readonly from: number;
  readonly to: number;
  readonly rpoMs?: number;
}): RawSegment[] {
  const evidence = input.evidence.filter((e) => e.finishedAt <= input.to);
  evidence.sort((a, b) => a.finishedAt - b.finishedAt);
  const first = evidence[0];
  let cursor = first ? Math.min(input.from, first.finishedAt) : input.from;
  let recoveryPoint: number | undefined;
  const out: RawSegment[] = [];
  for (const e of evidence) {
    out.push(...stretch(cursor, e.finishedAt, recoveryPoint, input.rpoMs));
    cursor = Math.max(cursor, e.finishedAt);
    recoveryPoint = Math.max(recoveryPoint ?? Number.NEGATIVE_INFINITY, e.sourceCreatedAt);
  }
  out.push(...stretch(cursor, input.to, recoveryPoint, input.rpoMs));
  return out;
}

/** Contiguous `breached` stretches as breaches; one that reaches the end of the timeline has no end. */
export function breachesOf(segments: readonly RawSegment[], timelineEnd: number): RawBreach[] {
  const out: { start: number; end: number }[] = [];
  for (const s of segments) {
    if (s.state !== 'breached') continue;
    const last = out[out.length - 1];
    if (last && last.end === s.from) last.end = s.to;
    else out.push({ start: s.from, end: s.to });
  }
  return out.map((b) => (b.end >= timelineEnd ? { start: b.start } : b));
}

/** The segments cut to [from, to]. */
export function clipSegments(segments: readonly RawSegment[], from: number, to: number): RawSegment[] {
  return segments
    .filter((s) => s.to > from && s.from < to)
    .map((s) => ({ ...s, from: Math.max(s.from, from), to: Math.min(s.to, to) }));
}

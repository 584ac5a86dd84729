import type { AdmissionAudit } from './admission-audit.js';
import type { CopyAudit } from './audit.js';
import type { FeedKind } from './backup-feeder.js';
import type { FaultKind } from './fault-phases.js';
import type { TrafficFacts } from './gather-evidence.js';
import type { FleetCounters } from './process-fleet.js';
import type { ScenarioResult } from './scenario.js';

/** Everything the table shows and the verdict is drawn from. */
export interface ChaosSummary {
  readonly profile: 'quick' | 'full';
  readonly seed: number;
  readonly workers: number;
  readonly schedulers: number;
  readonly policies: number;
  readonly destinationRegions: number;
  readonly copies: CopyAudit;
  readonly admission: AdmissionAudit;
  readonly fleet: FleetCounters;
  readonly redisRestarts: number;
  readonly scenario: ScenarioResult;
  readonly traffic: TrafficFacts;
  readonly faultsApplied: Readonly<Record<FaultKind, number>>;
  readonly foreignCopies: number;
  readonly copiesFailedInFsx: number;
  readonly feed: Readonly<Record<FeedKind, number>>;
  /** Outcomes `fsx-dr outcomes --json` listed, and outcomes in Redis: the operator's view must be the whole truth. */
  readonly cliOutcomes: number;
  readonly storedOutcomes: number;
  /** Set when `fsx-dr outcomes --json` read through a pipe was cut short (see `outcomesFromCli`). */
  readonly cliPipeProblem?: string;
  readonly minExpectedCopies: number;
  readonly wallMs: number;
}

/**
 * Why a run fails: any duplicate, loss or over-admission, a failed outcome without a reason, a crash or a hung
 * shutdown, a missing catch-up, an operator view that disagrees with Redis, or a run too small or too tame to
 * count (fewer copies than promised, a kind of kill or fault that never happened).
 */
export function failureReasons(s: ChaosSummary): string[] {
  const reasons: string[] = [];
  const c = s.copies.counts;
  if (c.duplicated > 0) reasons.push(`${c.duplicated} copies duplicated`);
  if (c.lost > 0) reasons.push(`${c.lost} copies lost`);
  if (c['failed-without-reason'] > 0) reasons.push(`${c['failed-without-reason']} failed without a reason`);
  if (s.admission.overAdmissions > 0) reasons.push(`${s.admission.overAdmissions} over-admissions`);
  if (s.admission.peakOverLimit) reasons.push('more than 5 of the service’s copies in flight in a Region');
  if (s.fleet.crashes.length > 0) reasons.push(`${s.fleet.crashes.length} processes exited unexpectedly`);
  const late = s.fleet.uncleanStops.filter((u) => u.hung || u.tookMs > 10_000);
  if (late.length > 0) reasons.push(`${late.length} SIGTERM stops took over 10 s`);
  if (s.scenario.caughtUp.length < s.policies) {
    reasons.push(
      `catch-up after the outage fired for ${s.scenario.caughtUp.length} of ${s.policies} policies`,
    );
  }
  if (s.cliOutcomes !== s.storedOutcomes) {
    reasons.push(`fsx-dr outcomes listed ${s.cliOutcomes} outcomes, Redis holds ${s.storedOutcomes}`);
  }
  if (s.cliPipeProblem !== undefined) reasons.push(s.cliPipeProblem);
  reasons.push(...coverageGaps(s));
  return reasons;
}

function coverageGaps(s: ChaosSummary): string[] {
  const gaps: string[] = [];
  if (s.copies.expected < s.minExpectedCopies) {
    gaps.push(`only ${s.copies.expected} copies expected (at least ${s.minExpectedCopies})`);
  }
  if (s.fleet.sigkills.worker === 0 || s.fleet.sigkills.scheduler === 0)
    gaps.push('a kind of process was never killed');
  if (s.redisRestarts === 0) gaps.push('Redis was never restarted');
  if (s.scenario.rollingRestarts === 0) gaps.push('no rolling restart happened');
  if (s.scenario.missedFireTimes < 2) gaps.push('the outage did not span two fire times');
  const fed = Object.entries(s.feed).filter(([, n]) => n === 0);
  if (fed.length > 0) gaps.push(`source backups never made: ${fed.map(([k]) => k).join(', ')}`);
  const never = Object.entries(s.faultsApplied).filter(([, n]) => n === 0);
  if (never.length > 0) gaps.push(`FSx faults never applied: ${never.map(([k]) => k).join(', ')}`);
  return gaps;
}

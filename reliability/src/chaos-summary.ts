import type { AdmissionAudit } from './admission-audit.js';
import type { CopyAudit } from './audit.js';
import type { FeedKind } from './backup-feeder.js';
import type { FaultKind } from './fault-phases.js';
import type { TrafficFacts } from './gather-evidence.js';
import type { RedisTopology } from '../../src/config/redis-target.js';
import type { RedisFault } from './chaos-world.js';
import type { LostWriteRecoveries } from './lost-write-recoveries.js';
import type { FleetCounters } from './process-fleet.js';
import type { RetentionAudit } from './retention-audit.js';
import type { ScenarioResult } from './scenario.js';

/** The retention audit, with the service's own records of its decisions and the run's retention settings. */
export interface ChaosRetention extends RetentionAudit {
  /** Deletion records in Redis by result (deleted, skipped, failed, ...): what the service says it did. */
  readonly records: Readonly<Record<string, number>>;
  /** Backups planted in the destinations for retention to leave alone. */
  readonly bait: number;
  readonly keepLast: number;
  readonly sweepInterval: string;
  readonly maxDeletionsPerSweep: number;
}

/** Everything the table shows and the verdict is drawn from. */
export interface ChaosSummary {
  readonly profile: 'quick' | 'full';
  readonly seed: number;
  readonly workers: number;
  readonly schedulers: number;
  readonly policies: number;
  readonly destinationRegions: number;
  readonly copies: CopyAudit;
  readonly retention: ChaosRetention;
  readonly admission: AdmissionAudit;
  readonly fleet: FleetCounters;
  readonly redis: RedisTopology;
  readonly redisRestarts: number;
  readonly redisFaults: readonly RedisFault[];
  /** `redis.failover` lines over every process, and how many processes logged one. */
  readonly failoverLines: number;
  readonly processesThatSawFailover: number;
  /** `worker.stalled` lines (a worker that took no job while its queue had work): /healthz failed. */
  readonly stalledWorkers: number;
  readonly recoveries: LostWriteRecoveries;
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
  reasons.push(...retentionReasons(s));
  if (s.stalledWorkers > 0) reasons.push(`${s.stalledWorkers} workers stopped taking jobs (worker.stalled)`);
  reasons.push(...coverageGaps(s));
  return reasons;
}

function retentionReasons(s: ChaosSummary): string[] {
  const r = s.retention;
  const reasons: string[] = [];
  if (r.notServiceDeleted > 0)
    reasons.push(`${r.notServiceDeleted} backups deleted that were not the service's`);
  if (r.deleteRequestsToOthers > 0) {
    reasons.push(`${r.deleteRequestsToOthers} DeleteBackup calls for backups that were not the service's`);
  }
  if (r.newestDeleted > 0) reasons.push(`${r.newestDeleted} newest copies deleted`);
  if (r.withoutRecoveryPoint > 0)
    reasons.push(
      `${r.withoutRecoveryPoint} copies without a recovery point tag (retention keeps them for ever)`,
    );
  if (r.deletedWhileReferenced > 0)
    reasons.push(`${r.deletedWhileReferenced} copies deleted while a job referred to them`);
  if (r.pairsAsRulesKeep < r.pairs) {
    reasons.push(
      `${r.pairs - r.pairsAsRulesKeep} of ${r.pairs} pairs do not hold what their rules keep after the drain`,
    );
  }
  if (r.othersLeft < r.othersSeen)
    reasons.push(`${r.othersSeen - r.othersLeft} backups not the service's are gone`);
  if (!s.scenario.retention.settled) reasons.push('retention did not settle after the drain');
  // A run that never pruned proves nothing about the guards.
  if (r.deleted === 0) reasons.push('retention never deleted a copy');
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
  if (s.redis === 'sentinel') {
    const kills = s.redisFaults.filter((f) => f.kind === 'primary-kill').length;
    if (kills < 2)
      gaps.push(`the primary was SIGKILLed ${kills} times (at least 2: the first, then the new one)`);
    if (s.failoverLines === 0) gaps.push('no process logged redis.failover');
  }
  if (s.scenario.rollingRestarts === 0) gaps.push('no rolling restart happened');
  if (s.scenario.missedFireTimes < 2) gaps.push('the outage did not span two fire times');
  const fed = Object.entries(s.feed).filter(([, n]) => n === 0);
  if (fed.length > 0) gaps.push(`source backups never made: ${fed.map(([k]) => k).join(', ')}`);
  const never = Object.entries(s.faultsApplied).filter(([, n]) => n === 0);
  if (never.length > 0) gaps.push(`FSx faults never applied: ${never.map(([k]) => k).join(', ')}`);
  return gaps;
}

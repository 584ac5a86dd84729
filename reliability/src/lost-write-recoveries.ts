import type { LogLine } from './cli-process.js';

/** A span in which Redis lost or refused writes: from the fault until it served writes again. */
export interface FaultWindow {
  readonly at: number;
  readonly backAt: number;
}

/** One process's log line with the fields this audit reads. */
export interface ServiceEvent {
  readonly event: string;
  readonly time: number;
  readonly jobId: string;
  readonly destinationBackupId?: string;
}

/**
 * Writes Redis acknowledged and then did not have (a failover promotes a replica that had not received them), and
 * what made up for each. A checkpoint is saved before `copy.started`/`copy.attached` is logged, so a job that logs
 * a second one for the same copy ran again without the checkpoint it had saved: the destination look-up
 * (`copy.attached`) or FSx answering the job's token with the copy it had made (`copy.started` again) put it back.
 * An outcome is logged only when its record is new, so a job that logs the same outcome twice had its first record
 * lost and wrote it again. A job that logged `copy.started` and is gone from Redis (no job, no outcome) was lost
 * whole; a later job of the same copy found the copy.
 */
export interface LostWriteRecoveries {
  readonly checkpointsByLookup: number;
  readonly checkpointsByToken: number;
  /** Of the checkpoints rebuilt, those whose first run was before a Redis fault and the re-run after it. */
  readonly checkpointsAcrossFault: number;
  /** Outcomes recorded again, the same outcome for the same copy, after a Redis fault lost the first record. */
  readonly outcomesRewritten: number;
  readonly jobsLostCopyFound: number;
  /** The jobs of `outcomesRewritten`: their second outcome event is the same outcome, not a second one. */
  readonly rewrittenJobs: ReadonlySet<string>;
}

const ACQUIRED = new Set(['copy.started', 'copy.attached']);
const OUTCOME = new Set(['copy.succeeded', 'copy.failed', 'copy.expired']);

/** The lines of the events above, with their ids and time, from every process's kept log. */
export function serviceEvents(lines: readonly LogLine[]): ServiceEvent[] {
  const out: ServiceEvent[] = [];
  for (const l of lines) {
    const event = l.event;
    const jobId = l['jobId'];
    if (typeof event !== 'string' || typeof jobId !== 'string') continue;
    if (!ACQUIRED.has(event) && !OUTCOME.has(event)) continue;
    const time = Date.parse(String(l['time']));
    const dest = l['destinationBackupId'];
    out.push({
      event,
      time: Number.isNaN(time) ? 0 : time,
      jobId,
      ...(typeof dest === 'string' ? { destinationBackupId: dest } : {}),
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

function faultBetween(faults: readonly FaultWindow[], from: number, to: number): boolean {
  return faults.some((f) => f.at <= to && f.backAt >= from);
}

function byJob(events: readonly ServiceEvent[], kinds: ReadonlySet<string>): Map<string, ServiceEvent[]> {
  const map = new Map<string, ServiceEvent[]>();
  for (const e of events) {
    if (!kinds.has(e.event)) continue;
    const list = map.get(e.jobId) ?? [];
    list.push(e);
    map.set(e.jobId, list);
  }
  return map;
}

export interface RecoveryInput {
  readonly events: readonly ServiceEvent[];
  readonly faults: readonly FaultWindow[];
  /** Job ids present in Redis at the end (any state). */
  readonly jobsAtEnd: ReadonlySet<string>;
  /** Job ids with an outcome record at the end, and the copies succeeded outcomes name. */
  readonly outcomeJobs: ReadonlySet<string>;
  readonly succeededCopies: ReadonlySet<string>;
}

/** Counts the recoveries (see LostWriteRecoveries). Pure. */
export function countRecoveries(input: RecoveryInput): LostWriteRecoveries {
  let byLookup = 0;
  let byToken = 0;
  let acrossFault = 0;
  for (const runs of byJob(input.events, ACQUIRED).values()) {
    const [first] = runs;
    if (!first) continue;
    for (let i = 1; i < runs.length; i += 1) {
      const run = runs[i];
      const before = runs[i - 1];
      if (!run || !before || run.destinationBackupId !== first.destinationBackupId) continue;
      if (run.event === 'copy.attached') byLookup += 1;
      else byToken += 1;
      if (faultBetween(input.faults, before.time, run.time)) acrossFault += 1;
    }
  }
  const rewrittenJobs = new Set<string>();
  for (const [jobId, records] of byJob(input.events, OUTCOME)) {
    const [first, ...again] = records;
    if (!first || again.length === 0) continue;
    const same = again.every(
      (r) => r.event === first.event && r.destinationBackupId === first.destinationBackupId,
    );
    const last = again[again.length - 1];
    if (same && last && faultBetween(input.faults, first.time, last.time)) rewrittenJobs.add(jobId);
  }
  let jobsLost = 0;
  for (const [jobId, runs] of byJob(input.events, new Set(['copy.started']))) {
    if (input.jobsAtEnd.has(jobId) || input.outcomeJobs.has(jobId)) continue;
    const copy = runs[0]?.destinationBackupId;
    if (copy !== undefined && input.succeededCopies.has(copy)) jobsLost += 1;
  }
  return {
    checkpointsByLookup: byLookup,
    checkpointsByToken: byToken,
    checkpointsAcrossFault: acrossFault,
    outcomesRewritten: rewrittenJobs.size,
    jobsLostCopyFound: jobsLost,
    rewrittenJobs,
  };
}

/**
 * Outcome events per job as the audit counts them: a job that wrote the same outcome again after a Redis fault
 * lost its first record logged one outcome, twice; it counts once (and as a recovery).
 */
export function distinctOutcomeEvents(
  perJob: ReadonlyMap<string, number>,
  rewritten: ReadonlySet<string>,
): Map<string, number> {
  return new Map([...perJob].map(([job, n]) => [job, rewritten.has(job) ? 1 : n]));
}

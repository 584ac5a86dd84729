import type { CopyOutcome } from '../../src/copy/outcome.js';
import { copyKey } from './required-copies.js';

/**
 * The verdict on every copy. Definitions (also in the README's reliability section):
 *
 * - A copy is keyed by (source Region, source backup, destination Region): the service promises one per key.
 * - **expected**: every key the service enqueued a copy job for (all BullMQ copy jobs, whatever their state), every
 *   key with an outcome or with a copy the service made in FSx, plus the *required* keys: after the final drain (no
 *   faults, every source settled), the newest AVAILABLE backup of every copyable file system in every destination
 *   of its policies.
 * - **duplicated**: more than one live copy (neither FAILED nor DELETED) of the key's source in its destination,
 *   or more than one `succeeded` outcome for the key, or a job of the key that logged more than one outcome event.
 * - **lost**: no outcome at all for the key after the drain (whether or not a copy exists); a required key without
 *   a `succeeded` outcome; or a `succeeded` outcome whose copy is not the one AVAILABLE copy in the destination.
 * - **succeeded exactly once**: one `succeeded` outcome, and one live copy, AVAILABLE, the one the outcome names;
 *   or no live copy because the one the outcome names was deleted since by retention (counted as `pruned`).
 * - **failed with a reason**: no `succeeded` outcome, not required, and every `failed`/`expired` outcome carries
 *   an error name and message; **without a reason** when one does not.
 *
 * The five categories partition the expected keys (the first that applies, in the order above).
 */
export interface CopyFact {
  readonly backupId: string;
  readonly region: string;
  readonly sourceBackupId: string;
  readonly sourceRegion: string;
  readonly lifecycle: string;
  /** Deleted by a DeleteBackup request (the service's retention): it existed, and was pruned afterwards. */
  readonly pruned?: boolean;
}

export interface JobFact {
  readonly jobId: string;
  readonly sourceRegion: string;
  readonly sourceBackupId: string;
  readonly destinationRegion: string;
  readonly state: string;
}

export interface CopyAuditInput {
  readonly jobs: readonly JobFact[];
  readonly outcomes: readonly CopyOutcome[];
  /** Copies the service made (CopyBackup), as FSx holds them at the end, in every destination Region. */
  readonly serviceCopies: readonly CopyFact[];
  readonly required: ReadonlySet<string>;
  /** Outcome events (`copy.succeeded`, `copy.failed`, `copy.expired`) per job id, over every process's log. */
  readonly outcomeEventsPerJob: ReadonlyMap<string, number>;
}

export type CopyCategory =
  'succeeded-once' | 'duplicated' | 'lost' | 'failed-with-reason' | 'failed-without-reason';

export interface CopyProblem {
  readonly key: string;
  readonly category: CopyCategory;
  readonly detail: string;
}

export interface CopyAudit {
  readonly expected: number;
  readonly counts: Record<CopyCategory, number>;
  /** Every key not `succeeded-once` or `failed-with-reason`, with why. */
  readonly problems: readonly CopyProblem[];
  /** AVAILABLE copies no `succeeded` outcome names (e.g. made by a job that then failed): informational. */
  readonly untrackedCopies: number;
  /** Copies succeeded exactly once whose copy retention has deleted since (the newest of a pair never is). */
  readonly pruned: number;
  readonly outcomesByStatus: Record<string, number>;
  /** Failed and expired outcomes per error name: the reasons an operator would read. */
  readonly failureNames: Record<string, number>;
}

interface KeyFacts {
  readonly outcomes: CopyOutcome[];
  readonly live: CopyFact[];
  readonly pruned: CopyFact[];
  readonly jobs: JobFact[];
}

const LIVE = (c: CopyFact): boolean => c.lifecycle !== 'FAILED' && c.lifecycle !== 'DELETED';

function gather(input: CopyAuditInput): Map<string, KeyFacts> {
  const facts = new Map<string, KeyFacts>();
  const at = (key: string): KeyFacts => {
    let f = facts.get(key);
    if (!f) facts.set(key, (f = { outcomes: [], live: [], pruned: [], jobs: [] }));
    return f;
  };
  for (const j of input.jobs) at(copyKey(j.sourceRegion, j.sourceBackupId, j.destinationRegion)).jobs.push(j);
  for (const o of input.outcomes)
    at(copyKey(o.sourceRegion, o.sourceBackupId, o.destinationRegion)).outcomes.push(o);
  for (const c of input.serviceCopies) {
    const f = at(copyKey(c.sourceRegion, c.sourceBackupId, c.region));
    if (LIVE(c)) f.live.push(c);
    else if (c.pruned === true) f.pruned.push(c);
  }
  for (const key of input.required) at(key);
  return facts;
}

/** The category of one key and, unless it is fine, why. */
export function classifyKey(
  key: string,
  f: KeyFacts,
  required: boolean,
  eventsPerJob: ReadonlyMap<string, number>,
): { category: CopyCategory; detail: string; pruned?: boolean } {
  const succeeded = f.outcomes.filter((o) => o.status === 'succeeded');
  const jobIds = new Set([...f.jobs.map((j) => j.jobId), ...f.outcomes.map((o) => o.jobId)]);
  const twiceLogged = [...jobIds].filter((id) => (eventsPerJob.get(id) ?? 0) > 1);
  if (f.live.length > 1) {
    return {
      category: 'duplicated',
      detail: `${f.live.length} live copies: ${f.live.map((c) => c.backupId).join(', ')}`,
    };
  }
  if (succeeded.length > 1)
    return { category: 'duplicated', detail: `${succeeded.length} succeeded outcomes` };
  if (twiceLogged.length > 0)
    return { category: 'duplicated', detail: `job ${twiceLogged.join(', ')} logged several outcomes` };
  const [success] = succeeded;
  if (success) {
    const [copy] = f.live;
    if (!copy && f.pruned.some((c) => c.backupId === success.destinationBackupId)) {
      // Made once, then deleted by retention (whether that deletion was allowed is the retention audit's call).
      return { category: 'succeeded-once', detail: '', pruned: true };
    }
    if (!copy)
      return {
        category: 'lost',
        detail: `succeeded as ${success.destinationBackupId ?? '?'} but no live copy exists`,
      };
    if (copy.backupId !== success.destinationBackupId || copy.lifecycle !== 'AVAILABLE') {
      return {
        category: 'lost',
        detail: `outcome names ${success.destinationBackupId ?? '?'}, FSx holds ${copy.backupId} (${copy.lifecycle})`,
      };
    }
    return { category: 'succeeded-once', detail: '' };
  }
  if (required)
    return { category: 'lost', detail: `newest backup not copied after the drain; ${describe(f)}` };
  if (f.outcomes.length === 0) return { category: 'lost', detail: `no outcome; ${describe(f)}` };
  const reasonless = f.outcomes.filter((o) => !o.errorName || !o.errorMessage);
  if (reasonless.length > 0) {
    return { category: 'failed-without-reason', detail: `job ${reasonless.map((o) => o.jobId).join(', ')}` };
  }
  return { category: 'failed-with-reason', detail: '' };
}

function describe(f: KeyFacts): string {
  const states = f.jobs.map((j) => j.state).join(', ') || 'none';
  const outcomes = f.outcomes.map((o) => `${o.status}:${o.errorName ?? ''}`).join(', ') || 'none';
  return `jobs [${states}], outcomes [${outcomes}], live copies ${f.live.length}`;
}

/** Classifies every expected key (see the definitions above). */
export function auditCopies(input: CopyAuditInput): CopyAudit {
  const facts = gather(input);
  const counts: Record<CopyCategory, number> = {
    'succeeded-once': 0,
    duplicated: 0,
    lost: 0,
    'failed-with-reason': 0,
    'failed-without-reason': 0,
  };
  const problems: CopyProblem[] = [];
  let pruned = 0;
  for (const [key, f] of facts) {
    const verdict = classifyKey(key, f, input.required.has(key), input.outcomeEventsPerJob);
    const { category, detail } = verdict;
    counts[category] += 1;
    if (verdict.pruned === true) pruned += 1;
    if (category !== 'succeeded-once' && category !== 'failed-with-reason')
      problems.push({ key, category, detail });
  }
  const named = new Set(
    input.outcomes.filter((o) => o.status === 'succeeded').map((o) => o.destinationBackupId),
  );
  const untrackedCopies = input.serviceCopies.filter(
    (c) => c.lifecycle === 'AVAILABLE' && !named.has(c.backupId),
  );
  const outcomesByStatus: Record<string, number> = {};
  const failureNames: Record<string, number> = {};
  for (const o of input.outcomes) {
    outcomesByStatus[o.status] = (outcomesByStatus[o.status] ?? 0) + 1;
    if (o.status !== 'succeeded') {
      const name = o.errorName ?? '(none)';
      failureNames[name] = (failureNames[name] ?? 0) + 1;
    }
  }
  return {
    expected: facts.size,
    counts,
    problems,
    untrackedCopies: untrackedCopies.length,
    pruned,
    outcomesByStatus,
    failureNames,
  };
}

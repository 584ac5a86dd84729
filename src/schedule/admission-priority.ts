/**
 * Which waiting copy of an (account, destination Region) starts next when its five slots are contended: the one whose
 * pair's RPO deadline comes first. The deadline is the recovery point of the newest copy the pair already has in that
 * destination plus the policy's `rpo`. A pair with no copy yet is the most urgent; a policy without `rpo` comes
 * after every copy that has one, oldest newest copy first. Pure: the job's facts and `now` come in.
 *
 * BullMQ orders a queue's waiting jobs by an integer priority (1 is first, at most 2^21 − 1; equal priorities keep
 * the order they were added in). Deadlines are mapped to it relative to `now`, on a logarithmic scale: fine (well
 * under a millisecond) for deadlines close to now, coarser (one part in 20,000) far away, so seconds-long copies of a
 * benchmark and hours-long ones of a real estate both keep their order, and nothing ever runs out of the range. As
 * the mapping is relative, every waiting job of a queue is given its priority again, with one `now`, whenever copies
 * are added to it (src/queue/copy-queues.ts).
 */

/** What admission needs of a copy job (set when its slot was planned). */
export interface AdmissionFacts {
  /** Recovery point of the newest copy the pair already had in the destination (epoch ms); absent: none yet. */
  readonly newestRecoveryPointAt?: number;
  /** The policy's RPO (ms); absent: not watched. */
  readonly rpoMs?: number;
}

export const MOST_URGENT_PRIORITY = 1;
const BAND = 2 ** 20 - 2;
/** The middle of the RPO band: a deadline exactly now. */
const RPO_ZERO = 2 + BAND / 2;
/** The start of the band of copies without an RPO. */
const NO_RPO_START = RPO_ZERO + BAND / 2 + 1;
/** Priority steps per unit of ln(1 + |ms|): 10 years (3.2e11 ms, ln ≈ 26.5) stays inside half a band. */
const STEPS_PER_LOG_MS = Math.floor(BAND / 2 / Math.log1p(10 * 365 * 86_400_000));

/** A monotone map of a signed span (ms) onto [-BAND/2, BAND/2]. */
function logScale(spanMs: number): number {
  const steps = Math.round(STEPS_PER_LOG_MS * Math.log1p(Math.abs(spanMs)));
  return Math.sign(spanMs) * Math.min(BAND / 2, steps);
}

/** The BullMQ priority of a waiting copy now: lower starts first. */
export function admissionPriority(facts: AdmissionFacts, now: number): number {
  if (facts.newestRecoveryPointAt === undefined) return MOST_URGENT_PRIORITY;
  if (facts.rpoMs === undefined) {
    // The older the pair's newest copy, the sooner: its age, from 0 up, fills the band from its end down.
    const age = Math.max(0, now - facts.newestRecoveryPointAt);
    return NO_RPO_START + BAND / 2 - logScale(age);
  }
  const slack = facts.newestRecoveryPointAt + facts.rpoMs - now;
  return RPO_ZERO + logScale(slack);
}

/**
 * How many copies each rule keeps, with restic's `forget --keep-*` meaning. Counts and the duration are ≥ 0 and
 * 0 turns a rule off; fractions are rounded down. A set whose rules are all 0 keeps everything (see
 * {@link decideRetention}), as restic refuses to act on an empty policy.
 */
export interface RetentionRules {
  readonly keepLast: number;
  readonly keepHourly: number;
  readonly keepDaily: number;
  readonly keepWeekly: number;
  readonly keepMonthly: number;
  readonly keepYearly: number;
  readonly keepWithinMs: number;
}

/** The calendar rules: each keeps the newest copy of each of its last N wall-clock periods that hold a copy. */
export const PERIOD_RULES = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type PeriodRuleName = (typeof PERIOD_RULES)[number];

export type RetentionRuleName = 'last' | PeriodRuleName | 'within';

/**
 * One policy's rules and the IANA time zone its calendar periods are read in: several policies may cover the
 * same (source, destination Region) pair, and each was written for its own zone.
 */
export interface ZonedRetentionRules {
  readonly rules: RetentionRules;
  readonly timeZone: string;
}

/** A copy in a destination Region, as the retention decision sees it. `backupId`s are unique. */
export interface RetentionCandidate {
  readonly backupId: string;
  /** recovery point: the SOURCE backup's CreationTime, epoch ms */
  readonly recoveryPointMs: number;
  /** FSx Lifecycle of the copy: AVAILABLE, FAILED, COPYING, CREATING, DELETED, unknown strings... */
  readonly lifecycle: string;
  /** an active or waiting copy job refers to it */
  readonly referenced: boolean;
}

/**
 * Why a copy is kept. A rule's name means that rule kept it. `oldest-<period>` is restic's "oldest daily
 * snapshot" (and so on): the period rule still had budget when it reached the oldest AVAILABLE copy, so it kept
 * that copy too although its period already had a newer one, which lengthens the history while a young pair
 * has fewer periods than the rule allows. The rest are guards that hold whatever the rules say, and
 * `kept-forever` says no retention applies.
 */
export type KeepReason =
  | RetentionRuleName
  | `oldest-${PeriodRuleName}`
  | 'kept-forever'
  | 'newest-available'
  | 'in-progress'
  | 'referenced'
  | 'failed-not-superseded';

/**
 * The order reasons are listed in, so verdicts compare and print the same every time. An exhaustive map: a new
 * reason cannot be added without a place here.
 */
export const KEEP_REASON_RANK: Readonly<Record<KeepReason, number>> = {
  last: 0,
  hourly: 1,
  'oldest-hourly': 2,
  daily: 3,
  'oldest-daily': 4,
  weekly: 5,
  'oldest-weekly': 6,
  monthly: 7,
  'oldest-monthly': 8,
  yearly: 9,
  'oldest-yearly': 10,
  within: 11,
  'kept-forever': 12,
  'newest-available': 13,
  'in-progress': 14,
  referenced: 15,
  'failed-not-superseded': 16,
};

/** `no-rule-keeps-it`: an AVAILABLE copy past every rule; `failed-superseded`: FAILED, and a newer copy exists. */
export type DeleteWhy = 'no-rule-keeps-it' | 'failed-superseded';

export interface KeepVerdict {
  readonly backupId: string;
  readonly recoveryPointMs: number;
  readonly action: 'keep';
  readonly reasons: readonly KeepReason[];
}

export interface DeleteVerdict {
  readonly backupId: string;
  readonly recoveryPointMs: number;
  readonly action: 'delete';
  readonly why: DeleteWhy;
}

/**
 * What to do with one copy. It carries the recovery point so a sweep can order deletions across pairs
 * ({@link limitDeletions}) without the candidates at hand.
 */
export type RetentionVerdict = KeepVerdict | DeleteVerdict;

import { lifecycleState } from '../copy/backup-lifecycle.js';
import { applyRetentionRules } from './apply-retention-rules.js';
import {
  KEEP_REASON_RANK,
  type KeepReason,
  type RetentionCandidate,
  type RetentionRules,
  type RetentionVerdict,
  type ZonedRetentionRules,
} from './retention-types.js';

/** Newest recovery point first; equal ones by backupId, the smaller first, so every run decides the same. */
export function compareNewestFirst(a: RetentionCandidate, b: RetentionCandidate): number {
  if (a.recoveryPointMs !== b.recoveryPointMs) return b.recoveryPointMs - a.recoveryPointMs;
  return a.backupId < b.backupId ? -1 : a.backupId > b.backupId ? 1 : 0;
}

// An exhaustive map, so a rule added to RetentionRules cannot be left out of "every rule off".
const RULE_FIELD: Readonly<Record<keyof RetentionRules, true>> = {
  keepLast: true,
  keepHourly: true,
  keepDaily: true,
  keepWeekly: true,
  keepMonthly: true,
  keepYearly: true,
  keepWithinMs: true,
};
const RULE_FIELDS = Object.keys(RULE_FIELD) as readonly (keyof RetentionRules)[];

function allRulesOff(rules: RetentionRules): boolean {
  return RULE_FIELDS.every((field) => !(rules[field] > 0));
}

/**
 * The policies whose rules decide, or undefined when retention is off: no policy, or a policy with every rule
 * off. Such a policy keeps everything (restic will not act on an empty policy), and since a copy is kept when any
 * policy keeps it, one such policy keeps everything for the pair.
 */
function activePolicies(
  policies: readonly ZonedRetentionRules[] | undefined,
): readonly ZonedRetentionRules[] | undefined {
  if (policies === undefined || policies.length === 0) return undefined;
  return policies.some((policy) => allRulesOff(policy.rules)) ? undefined : policies;
}

interface Context {
  /** reasons the rules give, by backupId; undefined when retention is off */
  readonly ruleReasons: ReadonlyMap<string, readonly KeepReason[]> | undefined;
  readonly newestAvailable: RetentionCandidate | undefined;
}

function ruleReasonsOf(
  available: readonly RetentionCandidate[],
  policies: readonly ZonedRetentionRules[],
  now: number,
): ReadonlyMap<string, readonly KeepReason[]> {
  const union = new Map<string, KeepReason[]>();
  for (const policy of policies) {
    for (const [backupId, reasons] of applyRetentionRules(available, policy, now)) {
      union.set(backupId, [...(union.get(backupId) ?? []), ...reasons]);
    }
  }
  return union;
}

function guardReasons(copy: RetentionCandidate, context: Context): KeepReason[] {
  const reasons: KeepReason[] = [];
  const newest = context.newestAvailable;
  if (copy === newest) reasons.push('newest-available');
  const state = lifecycleState(copy.lifecycle);
  switch (state) {
    case 'in-progress':
      reasons.push('in-progress');
      break;
    case 'failed':
      if (newest === undefined || newest.recoveryPointMs <= copy.recoveryPointMs) {
        reasons.push('failed-not-superseded');
      }
      break;
    case 'available':
    case 'deleted':
      break;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
  if (copy.referenced) reasons.push('referenced');
  return reasons;
}

function decideOne(copy: RetentionCandidate, context: Context): RetentionVerdict {
  const { backupId, recoveryPointMs } = copy;
  const ruled =
    context.ruleReasons === undefined ? ['kept-forever' as const] : context.ruleReasons.get(backupId);
  const reasons = [...new Set([...(ruled ?? []), ...guardReasons(copy, context)])];
  if (reasons.length > 0) {
    reasons.sort((a, b) => KEEP_REASON_RANK[a] - KEEP_REASON_RANK[b]);
    return { backupId, recoveryPointMs, action: 'keep', reasons };
  }
  const why = lifecycleState(copy.lifecycle) === 'failed' ? 'failed-superseded' : 'no-rule-keeps-it';
  return { backupId, recoveryPointMs, action: 'delete', why };
}

/**
 * Which copies of one (source, destination Region) pair to keep and which to delete, with restic's
 * `forget --keep-*` rules: a copy is kept when any rule of any policy keeps it, and every reason is recorded.
 * The rules count AVAILABLE copies only. Whatever the rules say, the newest AVAILABLE copy stays (later copies to
 * the Region are incremental only while one survives), copies still being made or referenced by a copy job stay,
 * and a FAILED copy goes only once a newer AVAILABLE copy exists. `policies` undefined or empty means retention
 * is off: everything is kept, reason `kept-forever`. DELETED copies are left out of the result: they are gone,
 * so there is nothing to decide and they must never be deleted again.
 *
 * `now` serves `keepWithin` only: a copy dated in the future (a skewed clock) does not become the newest that
 * the window is measured from. The result is newest first.
 */
export function decideRetention(
  copies: readonly RetentionCandidate[],
  policies: readonly ZonedRetentionRules[] | undefined,
  now: number,
): readonly RetentionVerdict[] {
  const live = copies.filter((copy) => lifecycleState(copy.lifecycle) !== 'deleted').sort(compareNewestFirst);
  const available = live.filter((copy) => lifecycleState(copy.lifecycle) === 'available');
  const active = activePolicies(policies);
  const context: Context = {
    ruleReasons: active === undefined ? undefined : ruleReasonsOf(available, active, now),
    newestAvailable: available[0],
  };
  return live.map((copy) => decideOne(copy, context));
}

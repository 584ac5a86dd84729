import { periodKeys } from './period-keys.js';
import {
  PERIOD_RULES,
  type KeepReason,
  type PeriodRuleName,
  type RetentionCandidate,
  type RetentionRules,
  type ZonedRetentionRules,
} from './retention-types.js';

const COUNT_FIELD: Readonly<Record<PeriodRuleName, keyof RetentionRules>> = {
  hourly: 'keepHourly',
  daily: 'keepDaily',
  weekly: 'keepWeekly',
  monthly: 'keepMonthly',
  yearly: 'keepYearly',
};

type Keep = (backupId: string, reason: KeepReason) => void;

/** A count as the rules use it: whole, and anything not positive (0, negative, NaN) is "off". */
function budget(value: number): number {
  return value > 0 ? Math.floor(value) : 0;
}

/**
 * What one policy's rules keep, as reasons by backupId, following restic's `ApplyPolicy`: each rule runs on its
 * own over the same list and a copy is kept if any rule keeps it. `newestFirst` holds the AVAILABLE copies only,
 * newest first, because only a usable copy may satisfy a rule. `now` only keeps future-dated copies from
 * anchoring `keepWithin` (restic ignores them there too).
 */
export function applyRetentionRules(
  newestFirst: readonly RetentionCandidate[],
  policy: ZonedRetentionRules,
  now: number,
): ReadonlyMap<string, readonly KeepReason[]> {
  const kept = new Map<string, KeepReason[]>();
  const keep: Keep = (backupId, reason) => {
    const reasons = kept.get(backupId);
    if (reasons === undefined) kept.set(backupId, [reason]);
    else reasons.push(reason);
  };
  for (const copy of newestFirst.slice(0, budget(policy.rules.keepLast))) keep(copy.backupId, 'last');
  keepPeriods(newestFirst, policy, keep);
  keepWithin(newestFirst, budget(policy.rules.keepWithinMs), now, keep);
  return kept;
}

/**
 * Each period rule walks the copies newest first and keeps a copy whenever it starts a period the rule has not
 * kept one of yet, until its count is spent: periods without a copy cost nothing. If budget is left when the walk
 * reaches the oldest copy, that copy is kept as well even if its period already has one (restic PR #4366).
 */
function keepPeriods(
  newestFirst: readonly RetentionCandidate[],
  policy: ZonedRetentionRules,
  keep: Keep,
): void {
  const active = PERIOD_RULES.filter((rule) => budget(policy.rules[COUNT_FIELD[rule]]) > 0);
  if (active.length === 0) return;
  const keyed = newestFirst.map((copy) => ({
    copy,
    keys: periodKeys(policy.timeZone, copy.recoveryPointMs),
  }));
  const oldest = keyed.length - 1;
  for (const rule of active) {
    let left = budget(policy.rules[COUNT_FIELD[rule]]);
    let previous: number | undefined;
    for (const [index, { copy, keys }] of keyed.entries()) {
      if (left === 0) break;
      const key = keys[rule];
      if (key !== previous) keep(copy.backupId, rule);
      else if (index === oldest) keep(copy.backupId, `oldest-${rule}`);
      else continue;
      previous = key;
      left -= 1;
    }
  }
}

/**
 * Keeps every copy strictly newer than `withinMs` before the newest copy that is not in the future. Measuring
 * from the newest copy rather than from now means nothing ages out while new copies keep failing. With no copy
 * before `now` every copy counts as within, as in restic (whose anchor is then the zero time).
 */
function keepWithin(
  newestFirst: readonly RetentionCandidate[],
  withinMs: number,
  now: number,
  keep: Keep,
): void {
  if (withinMs === 0) return;
  const anchor = newestFirst.find((copy) => copy.recoveryPointMs < now)?.recoveryPointMs ?? -Infinity;
  for (const copy of newestFirst) {
    if (copy.recoveryPointMs > anchor - withinMs) keep(copy.backupId, 'within');
  }
}

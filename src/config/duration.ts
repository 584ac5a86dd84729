/** Units a duration may use in the policy file. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A regular expression source for a duration with one of `units`, e.g. `^[0-9]+(ms|s|m|h)$`. */
export function durationPattern(units: readonly DurationUnit[]): string {
  return `^[0-9]+(${units.join('|')})$`;
}

/**
 * Milliseconds of a duration such as `30s` or `8h`, or undefined when it is not one with one of `units`. A duration
 * too large to count in milliseconds is Infinity, so that range checks call it too long instead of ignoring it.
 */
export function parseDuration(text: string, units: readonly DurationUnit[]): number | undefined {
  const match = /^([0-9]+)(ms|s|m|h|d)$/.exec(text.trim());
  if (match === null) return undefined;
  const unit = match[2] as DurationUnit;
  if (!units.includes(unit)) return undefined;
  const value = Number(match[1]) * UNIT_MS[unit];
  return Number.isSafeInteger(value) ? value : Number.POSITIVE_INFINITY;
}

/** A duration in the largest unit that divides it exactly: 90000 is `90s`, 7200000 is `2h`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

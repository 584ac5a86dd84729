const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

/** A length of time for people: the two largest units, `3d 4h`, `2h 5m`, `45s`; below a second, `0s`. */
export function formatSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000) * 1000);
  const i = UNITS.findIndex(([, size]) => total >= size);
  const first = UNITS[i];
  if (first === undefined) return '0s';
  const n = Math.floor(total / first[1]);
  const next = UNITS[i + 1];
  const m = next === undefined ? 0 : Math.floor((total - n * first[1]) / next[1]);
  return next !== undefined && m > 0 ? `${n}${first[0]} ${m}${next[0]}` : `${n}${first[0]}`;
}

/** A share of the period as a percentage with two decimals, never rounded up to 100 % when below it. */
export function formatShare(share: number): string {
  const pct = Math.floor(share * 10_000) / 100;
  return `${pct.toFixed(2)} %`;
}

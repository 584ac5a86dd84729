const DAY_MS = 86_400_000;

/**
 * The ISO 8601 week of a calendar date (month 1-12): weeks run Monday to Sunday and belong to the year that holds
 * their Thursday, so 2021-01-03 is in week 53 of 2020 and 2024-12-30 in week 1 of 2025. restic buckets weekly
 * snapshots this way; a calendar-year key would split one week in two at every new year.
 */
export function isoWeek(
  year: number,
  month: number,
  day: number,
): { readonly isoYear: number; readonly week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const thursday = new Date(date + (3 - weekday) * DAY_MS);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / DAY_MS);
  return { isoYear, week: Math.floor(dayOfYear / 7) + 1 };
}

import { zoneOffsetMinutes } from '../schedule/zone-offset.js';
import { closestMatch } from './suggest.js';

/**
 * True when the runtime's Intl accepts `zone` as a time zone: canonical IANA names, their aliases
 * (`Asia/Calcutta`, `US/Eastern`) and `UTC`. cron-parser reads zones through the same Intl, so what passes here
 * also schedules.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let zoneNames: readonly string[] | undefined;

/** The IANA zone the user most likely meant by an unknown `zone`, for a "did you mean" hint. */
export function suggestTimeZone(zone: string): string | undefined {
  zoneNames ??= ['UTC', ...Intl.supportedValuesOf('timeZone')];
  const exact = zoneNames.find((name) => name.toLowerCase() === zone.trim().toLowerCase());
  return exact ?? closestMatch(zone.trim(), zoneNames);
}

/** A span of current rules to look for daylight-saving changes in: two whole years. */
const SCAN_FROM = Date.UTC(2026, 0, 1);
const SCAN_DAYS = 730;
const DAY_MS = 86_400_000;
const unsupported = new Map<string, string | undefined>();

/**
 * Why schedules cannot be computed reliably in a known `zone`, or undefined. cron-parser 5 mishandles a
 * daylight-saving change that is not a whole hour (Australia/Lord_Howe moves by 30 minutes): it skips or repeats
 * slots and can throw "loop limit exceeded". Such zones are refused rather than scheduled wrongly.
 */
export function timeZoneProblem(zone: string): string | undefined {
  if (unsupported.has(zone)) return unsupported.get(zone);
  let problem: string | undefined;
  let previous = zoneOffsetMinutes(zone, SCAN_FROM);
  for (let day = 1; day <= SCAN_DAYS && problem === undefined; day++) {
    const offset = zoneOffsetMinutes(zone, SCAN_FROM + day * DAY_MS);
    const change = Math.abs(offset - previous);
    if (change % 60 !== 0) {
      problem = `time zone ${zone} changes its clocks by ${change} minutes for daylight saving, which the cron library cannot schedule reliably; use UTC or a zone with whole-hour changes`;
    }
    previous = offset;
  }
  unsupported.set(zone, problem);
  return problem;
}

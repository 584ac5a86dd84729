import { wallClock, zoneOffsetMinutes } from './zone-offset.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * `date` as ISO 8601 wall-clock time in `timeZone` with its UTC offset, e.g. `2026-03-29T03:30:00+02:00`, so a
 * user reads a schedule in the zone it was written for. UTC itself gives `...Z`. Second precision.
 */
export function formatZonedTime(date: Date, timeZone: string): string {
  const ms = date.getTime();
  const w = wallClock(timeZone, ms);
  const local = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const offset = zoneOffsetMinutes(timeZone, ms);
  if (offset === 0 && /^(Etc\/)?(UTC|UCT|Zulu|Universal)$/i.test(timeZone)) return `${local}Z`;
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

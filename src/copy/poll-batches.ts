/**
 * The pure core of batched polling: which followed copies a round of DescribeBackups includes, how they are cut into
 * calls FSx accepts, and how a call that met `BackupNotFound` is split to find which copy is missing.
 */

/** DescribeBackups takes at most 50 `BackupIds`. */
export const IDS_PER_DESCRIBE = 50;

/** One copy a job waits to hear about: poll it no earlier than `earliestAt`, and at `dueAt` at the latest. */
export interface PollWant {
  readonly backupId: string;
  readonly earliestAt: number;
  readonly dueAt: number;
}

/** When the next round must run: the earliest `dueAt`, or undefined when nobody waits. */
export function nextRoundAt(wants: Iterable<PollWant>): number | undefined {
  let at: number | undefined;
  for (const w of wants) if (at === undefined || w.dueAt < at) at = w.dueAt;
  return at;
}

/**
 * The copies a round at `now` includes: every one whose earliest time has come, not only the due ones. Including a
 * copy early costs nothing (the call is made anyway, up to 50 ids), and it lines the copies of a Region up on the
 * same rounds, so the Region costs one call per round instead of one per copy. Most urgent first, each id once.
 */
export function selectRound(wants: Iterable<PollWant>, now: number): string[] {
  const ready = [...wants].filter((w) => w.earliestAt <= now).sort((a, b) => a.dueAt - b.dueAt);
  return [...new Set(ready.map((w) => w.backupId))];
}

/** Ids cut into DescribeBackups calls of at most `size`. */
export function describeBatches(ids: readonly string[], size = IDS_PER_DESCRIBE): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/**
 * A call of several ids failed with `BackupNotFound`: FSx fails the whole call for one missing id and does not say
 * reliably which. Halves are asked again, so the present copies are still read and k missing ids among n cost
 * about 2·k·log2(n) calls; a call of one id that fails names its missing copy. Undefined for a single id (it is the
 * missing one).
 */
export function splitOnNotFound(ids: readonly string[]): [string[], string[]] | undefined {
  if (ids.length <= 1) return undefined;
  const half = Math.ceil(ids.length / 2);
  return [ids.slice(0, half), ids.slice(half)];
}

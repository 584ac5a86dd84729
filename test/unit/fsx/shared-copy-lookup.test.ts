import { describe, expect, it } from 'vitest';
import type { BackupState } from '../../../src/copy/ports.js';
import { SharedCopyLookup } from '../../../src/fsx/shared-copy-lookup.js';

const SOURCE_A = { sourceRegion: 'us-east-1', sourceBackupId: 'backup-a', fileSystemId: 'fs-a' };
const SOURCE_B = { sourceRegion: 'us-east-1', sourceBackupId: 'backup-b', fileSystemId: 'fs-b' };

/** A destination whose listings answer when the test says, so that look-ups can arrive while one runs. */
function world() {
  const copies: BackupState[] = [];
  const pending: (() => void)[] = [];
  const clock = { now: 0 };
  let listings = 0;
  const lookup = new SharedCopyLookup({
    listCopies: () => {
      listings += 1;
      const snapshot = [...copies];
      return new Promise((resolve) => pending.push(() => resolve(snapshot)));
    },
    now: () => clock.now,
    reuseWindowMs: 1_000,
  });
  const answerAll = async () => {
    for (const p of pending.splice(0)) p();
    await new Promise((r) => setImmediate(r));
  };
  const copyOf = (source: typeof SOURCE_A, id: string): BackupState => ({
    backupId: id,
    lifecycle: 'COPYING',
    sourceBackupId: source.sourceBackupId,
    sourceRegion: source.sourceRegion,
  });
  return { copies, clock, lookup, answerAll, copyOf, listings: () => listings };
}

describe('SharedCopyLookup', () => {
  it('one listing answers the look-ups that arrive while it runs, each with its own source’s copies', async () => {
    const w = world();
    w.copies.push(w.copyOf(SOURCE_A, 'backup-ca'), w.copyOf(SOURCE_B, 'backup-cb'));
    const a = w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    const b = w.lookup.findCopiesOf('us-west-2', SOURCE_B);
    await w.answerAll();
    expect((await a).map((c) => c.backupId)).toEqual(['backup-ca']);
    expect((await b).map((c) => c.backupId)).toEqual(['backup-cb']);
    expect(w.listings()).toBe(1);
    // Shortly after, still shared; past the window, a new listing; another Region has its own.
    w.clock.now = 900;
    await w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    expect(w.listings()).toBe(1);
    w.clock.now = 1_100;
    const late = w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    const other = w.lookup.findCopiesOf('eu-west-1', SOURCE_A);
    await w.answerAll();
    await Promise.all([late, other]);
    expect(w.listings()).toBe(3);
  });

  it('never answers from a listing that began before a CopyBackup of this process to the Region was answered', async () => {
    const w = world();
    const first = w.lookup.findCopiesOf('us-west-2', SOURCE_A); // listing 1 runs (sees nothing)
    // A CopyBackup is sent while listing 1 runs: its copy may be missing from it.
    let answer: (() => void) | undefined;
    const sent = w.lookup.copyBackup('us-west-2', async () => {
      w.copies.push(w.copyOf(SOURCE_A, 'backup-mine'));
      await new Promise<void>((r) => (answer = r));
      return 'backup-mine';
    });
    const second = w.lookup.findCopiesOf('us-west-2', SOURCE_A); // must not share listing 1
    expect(w.listings()).toBe(2);
    await w.answerAll();
    expect(await first).toEqual([]);
    expect((await second).map((c) => c.backupId)).toEqual(['backup-mine']);
    // Listing 2 began while that CopyBackup was unanswered: not shared either, even within the window.
    const third = w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    expect(w.listings()).toBe(3);
    answer?.();
    await sent;
    await w.answerAll();
    expect((await third).map((c) => c.backupId)).toEqual(['backup-mine']);
    // With the CopyBackup answered, a new listing is shared by the look-ups that arrive while it runs.
    const fourth = w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    const fifth = w.lookup.findCopiesOf('us-west-2', SOURCE_A);
    await w.answerAll();
    await Promise.all([fourth, fifth]);
    expect(w.listings()).toBe(4);
  });

  it('a failed listing is not reused', async () => {
    let calls = 0;
    const lookup = new SharedCopyLookup({
      listCopies: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('throttled')) : Promise.resolve([]);
      },
      now: () => 0,
      reuseWindowMs: 1_000,
    });
    await expect(lookup.findCopiesOf('us-west-2', SOURCE_A)).rejects.toThrow('throttled');
    await expect(lookup.findCopiesOf('us-west-2', SOURCE_A)).resolves.toEqual([]);
    expect(calls).toBe(2);
  });
});

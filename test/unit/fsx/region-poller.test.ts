import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupState, PollAnswer } from '../../../src/copy/ports.js';
import { RegionPoller } from '../../../src/fsx/region-poller.js';

const notFound = () => Object.assign(new Error('Backup not found'), { name: 'BackupNotFound' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

/** FSx's DescribeBackups by id over a set of backups: one missing id fails the whole call. */
function fakeDescribe(existing: Map<string, BackupState>, calls: string[][], fail?: () => Error | undefined) {
  return (ids: string[]): Promise<BackupState[]> => {
    calls.push(ids);
    const err = fail?.();
    if (err) return Promise.reject(err);
    if (ids.some((id) => !existing.has(id))) return Promise.reject(notFound());
    return Promise.resolve(ids.map((id) => existing.get(id) as BackupState));
  };
}

const copying = (id: string): BackupState => ({ backupId: id, lifecycle: 'COPYING', progressPercent: 10 });

describe('RegionPoller (its timer under fake time)', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  function poller(existing: Map<string, BackupState>, calls: string[][], fail?: () => Error | undefined) {
    return new RegionPoller({ describe: fakeDescribe(existing, calls, fail), now: Date.now });
  }
  const at = (backupId: string, earliestIn: number, dueIn: number) => ({
    region: 'us-west-2',
    backupId,
    earliestAt: Date.now() + earliestIn,
    dueAt: Date.now() + dueIn,
  });

  it('reads every copy whose earliest time has come in one call at the earliest due time', async () => {
    const existing = new Map(['b-1', 'b-2', 'b-3'].map((id) => [id, copying(id)]));
    const calls: string[][] = [];
    const p = poller(existing, calls);
    const signal = new AbortController().signal;
    const a = p.poll(at('b-1', 0, 1_000), signal);
    const b = p.poll(at('b-2', 500, 1_500), signal);
    const c = p.poll(at('b-3', 2_000, 3_000), signal);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([['b-1', 'b-2']]);
    await expect(a).resolves.toEqual({ kind: 'found', state: copying('b-1') });
    await expect(b).resolves.toMatchObject({ kind: 'found' });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([['b-1', 'b-2'], ['b-3']]);
    await expect(c).resolves.toMatchObject({ kind: 'found' });
    expect(p.waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('splits a call that met BackupNotFound, so the others are read and the gone one is missing', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `b-${i}`);
    const existing = new Map(ids.filter((id) => id !== 'b-5').map((id) => [id, copying(id)]));
    const calls: string[][] = [];
    const p = poller(existing, calls);
    const signal = new AbortController().signal;
    const answers = ids.map((id) => p.poll(at(id, 0, 10), signal));
    await vi.advanceTimersByTimeAsync(10);
    const got = await Promise.all(answers);
    expect(got.filter((a) => a.kind === 'found')).toHaveLength(7);
    expect(got[5]).toEqual({ kind: 'missing' });
    expect(calls[0]).toEqual(ids);
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * 3);
  });

  it('more than 50 copies: several calls of at most 50', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `b-${i}`);
    const calls: string[][] = [];
    const p = poller(new Map(ids.map((id) => [id, copying(id)])), calls);
    const signal = new AbortController().signal;
    const answers = ids.map((id) => p.poll(at(id, 0, 10), signal));
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(answers);
    expect(calls.map((c) => c.length)).toEqual([50, 50, 20]);
  });

  it('a failed call is an error answer for each copy in it', async () => {
    const calls: string[][] = [];
    const p = poller(new Map([['b-1', copying('b-1')]]), calls, throttled);
    const signal = new AbortController().signal;
    const [a, b] = [p.poll(at('b-1', 0, 10), signal), p.poll(at('b-2', 0, 10), signal)];
    await vi.advanceTimersByTimeAsync(10);
    for (const answer of await Promise.all([a, b])) {
      expect(answer.kind).toBe('error');
      expect((answer as Extract<PollAnswer, { kind: 'error' }>).error).toMatchObject({
        name: 'ThrottlingException',
      });
    }
    expect(calls).toHaveLength(1);
  });

  it('a job that leaves is dropped at once, its timer with it; close tells the rest to leave and stops the timer', async () => {
    const calls: string[][] = [];
    const p = poller(new Map([['b-1', copying('b-1')]]), calls);
    const leaving = new AbortController();
    const a = p.poll(at('b-1', 0, 1_000), leaving.signal);
    expect(vi.getTimerCount()).toBe(1);
    leaving.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    expect(vi.getTimerCount()).toBe(0);
    const b = p.poll(at('b-1', 0, 1_000), new AbortController().signal);
    p.close();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    expect(vi.getTimerCount()).toBe(0);
    await expect(p.poll(at('b-1', 0, 0), new AbortController().signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([]);
  });

  it('a job that leaves while its round is in flight gets nothing; a job that joins then waits for the next round', async () => {
    const existing = new Map(['b-1', 'b-2'].map((id) => [id, copying(id)]));
    const calls: string[][] = [];
    let release: (() => void) | undefined;
    const p = new RegionPoller({
      describe: async (ids) => {
        calls.push(ids);
        await new Promise<void>((r) => (release = r));
        return ids.map((id) => existing.get(id) as BackupState);
      },
      now: Date.now,
    });
    const leaving = new AbortController();
    const a = p.poll(at('b-1', 0, 10), leaving.signal);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toEqual([['b-1']]);
    leaving.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    const b = p.poll(at('b-2', 0, 0), new AbortController().signal);
    release?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([['b-1'], ['b-2']]);
    release?.();
    await expect(b).resolves.toMatchObject({ kind: 'found', state: { backupId: 'b-2' } });
  });
});

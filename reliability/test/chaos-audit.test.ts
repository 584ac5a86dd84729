import { describe, expect, it } from 'vitest';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import { auditAdmission } from '../src/admission-audit.js';
import { auditCopies, type CopyAuditInput, type CopyFact, type JobFact } from '../src/audit.js';
import { copyKey, requiredCopies } from '../src/required-copies.js';

/**
 * The chaos run's verdict is only worth its green if its checks can go red: each category of the audit, fed the
 * evidence of the defect it names, must count it. Pure data in, no processes.
 */
const SRC = 'us-east-1';
const DST = 'us-west-2';

function outcome(n: number, status: CopyOutcome['status'], extra: Partial<CopyOutcome> = {}): CopyOutcome {
  return {
    status,
    jobId: `copy-${n}`,
    policy: 'p',
    fileSystemId: 'fs-0123456789abcdef0',
    sourceRegion: SRC,
    sourceBackupId: `backup-${n}`,
    destinationRegion: DST,
    attempts: 1,
    enqueuedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    ...(status === 'succeeded' ? { destinationBackupId: `backup-copy-${n}` } : {}),
    ...extra,
  };
}

function copy(n: number, lifecycle = 'AVAILABLE', id = `backup-copy-${n}`): CopyFact {
  return { backupId: id, region: DST, sourceBackupId: `backup-${n}`, sourceRegion: SRC, lifecycle };
}

function job(n: number, state = 'completed', jobId = `copy-${n}`): JobFact {
  return { jobId, sourceRegion: SRC, sourceBackupId: `backup-${n}`, destinationRegion: DST, state };
}

function audit(input: Partial<CopyAuditInput>) {
  return auditCopies({
    jobs: [],
    outcomes: [],
    serviceCopies: [],
    required: new Set(),
    outcomeEventsPerJob: new Map(),
    ...input,
  });
}

describe('chaos audit', () => {
  it('counts a clean copy as succeeded exactly once', () => {
    const result = audit({ jobs: [job(1)], outcomes: [outcome(1, 'succeeded')], serviceCopies: [copy(1)] });
    expect(result.expected).toBe(1);
    expect(result.counts['succeeded-once']).toBe(1);
    expect(result.problems).toEqual([]);
  });

  it('counts two live copies of one source as a duplicate, but not a FAILED one beside a good one', () => {
    const two = audit({
      outcomes: [outcome(1, 'succeeded')],
      serviceCopies: [copy(1), copy(1, 'AVAILABLE', 'backup-copy-1b')],
    });
    expect(two.counts.duplicated).toBe(1);
    const failedThenGood = audit({
      outcomes: [outcome(1, 'succeeded')],
      serviceCopies: [copy(1, 'FAILED', 'backup-copy-1a'), copy(1)],
    });
    expect(failedThenGood.counts.duplicated).toBe(0);
    expect(failedThenGood.counts['succeeded-once']).toBe(1);
  });

  it('counts a job that logged two outcomes, and two succeeded outcomes of one key, as duplicates', () => {
    const twiceLogged = audit({
      outcomes: [outcome(1, 'succeeded')],
      serviceCopies: [copy(1)],
      outcomeEventsPerJob: new Map([['copy-1', 2]]),
    });
    expect(twiceLogged.counts.duplicated).toBe(1);
    const twoSuccesses = audit({
      outcomes: [outcome(1, 'succeeded'), outcome(1, 'succeeded', { jobId: 'copy-1-later' })],
      serviceCopies: [copy(1)],
    });
    expect(twoSuccesses.counts.duplicated).toBe(1);
  });

  it('counts as lost: an enqueued copy with no outcome, a required copy not made, a success with no copy', () => {
    const result = audit({
      jobs: [job(1, 'waiting'), job(2), job(3)],
      outcomes: [
        outcome(2, 'failed', { errorName: 'CopyFailed', errorMessage: 'x' }),
        outcome(3, 'succeeded'),
      ],
      required: new Set([copyKey(SRC, 'backup-2', DST)]),
    });
    expect(result.counts.lost).toBe(3);
    expect(result.problems.map((p) => p.key).sort()).toEqual(
      [1, 2, 3].map((n) => copyKey(SRC, `backup-${n}`, DST)).sort(),
    );
  });

  it('tells a failed outcome with a reason from one without', () => {
    const result = audit({
      outcomes: [
        outcome(1, 'failed', { errorName: 'CopyFailed', errorMessage: 'the copy failed' }),
        outcome(2, 'expired', { errorName: 'CompletionDeadlineExceeded' }),
      ],
    });
    expect(result.counts['failed-with-reason']).toBe(1);
    expect(result.counts['failed-without-reason']).toBe(1);
  });

  it('requires the newest AVAILABLE backup of each copyable file system in each destination', () => {
    const fs = 'fs-0123456789abcdef0';
    const backup = (id: string, creationTime: number, lifecycle = 'AVAILABLE') => ({
      region: SRC,
      backupId: id,
      fileSystemId: fs,
      lifecycle,
      creationTime,
      origin: 'seeded',
    });
    const required = requiredCopies(
      [{ name: 'p', schedule: '* * * * *', sourceRegion: SRC, fileSystemIds: [fs], destinations: [DST] }],
      [{ region: SRC, fileSystemId: fs, type: 'WINDOWS' }],
      [
        backup('backup-a', 1),
        backup('backup-b', 3, 'FAILED'),
        backup('backup-c', 2),
        backup('backup-d', 4, 'DELETED'),
      ],
    );
    expect([...required]).toEqual([copyKey(SRC, 'backup-c', DST)]);
  });

  it('counts a request for a sixth slot as an over-admission, and a retry of an existing copy as none', () => {
    const peaks = [{ region: DST, service: 5, total: 5 }];
    const bindings = [{ destinationRegion: DST, token: 'made-earlier', start: 100 }];
    const result = auditAdmission(
      [
        { time: 150, region: DST, token: 'made-earlier', inFlightService: 5 },
        { time: 160, region: DST, token: 'new-token', inFlightService: 5 },
        { time: 170, region: DST, token: 'another', inFlightService: 4 },
      ],
      bindings,
      peaks,
      5,
    );
    expect(result).toMatchObject({ sentAtLimit: 2, replaysOfExistingCopy: 1, overAdmissions: 1 });
    expect(auditAdmission([], [], [{ region: DST, service: 6, total: 6 }], 5).peakOverLimit).toBe(true);
  });
});

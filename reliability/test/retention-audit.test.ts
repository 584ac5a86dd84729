import { describe, expect, it } from 'vitest';
import { buildRetentionRules } from '../../src/config/build-config.js';
import type { CopyOutcome } from '../../src/copy/outcome.js';
import { auditCopies } from '../src/audit.js';
import { auditRetention, type DestinationFact, type RetentionAuditInput } from '../src/retention-audit.js';

/**
 * The retention audit's lines are only worth their zeros if each can count the defect it names: fed the evidence of a
 * wrong deletion, it must say so. Pure data in.
 */
const SRC = 'us-east-1';
const DST = 'us-west-2';
const FS = 'fs-00000000000001001';
const ME = 'fsx-dr-chaos';
const T = Date.parse('2026-01-01T00:00:00Z');
const KEEP_2 = [{ rules: buildRetentionRules({ keepLast: 2 }), timeZone: 'UTC' }];

/** Our copy number n: recovery point T + n s, AVAILABLE from T + n s + 500 ms. */
function ours(n: number, extra: Partial<DestinationFact> = {}): DestinationFact {
  return {
    backupId: `backup-c${n}`,
    region: DST,
    origin: 'service-copy',
    type: 'USER_INITIATED',
    lifecycle: 'AVAILABLE',
    deployment: ME,
    sourceRegion: SRC,
    sourceBackupId: `backup-s${n}`,
    fileSystemId: FS,
    recoveryPointMs: T + n * 1_000,
    availableAt: T + n * 1_000 + 500,
    failed: false,
    ...extra,
  };
}
const deletedAt = (t: number): Partial<DestinationFact> => ({
  deletedAt: t,
  deletedVia: 'DeleteBackup',
  lifecycle: 'DELETED',
});

function audit(input: Partial<RetentionAuditInput>) {
  return auditRetention({
    backups: [],
    deleteRequests: [],
    outcomes: [],
    pairs: [{ sourceRegion: SRC, fileSystemId: FS, destinationRegion: DST, rules: KEEP_2 }],
    sourceRegions: [SRC],
    deployment: ME,
    now: T + 100_000,
    ...input,
  });
}

function outcome(n: number, finishedAt: number): CopyOutcome {
  return {
    status: 'succeeded',
    jobId: `copy-${n}`,
    policy: 'p',
    fileSystemId: FS,
    sourceRegion: SRC,
    sourceBackupId: `backup-s${n}`,
    destinationRegion: DST,
    destinationBackupId: `backup-c${n}`,
    attempts: 1,
    enqueuedAt: new Date(T).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
  };
}

describe('retention audit', () => {
  it('is clean when older copies went while two newer were AVAILABLE, and the pair holds the newest two', () => {
    const r = audit({
      backups: [ours(1, deletedAt(T + 10_000)), ours(2, deletedAt(T + 10_000)), ours(3), ours(4)],
      deleteRequests: [1, 2].map((n) => ({
        time: T + 10_000,
        region: DST,
        backupId: `backup-c${n}`,
        status: 200,
      })),
      outcomes: [outcome(1, T + 2_000), outcome(2, T + 3_000)],
    });
    expect(r).toMatchObject({
      deleted: 2,
      notServiceDeleted: 0,
      deleteRequestsToOthers: 0,
      newestDeleted: 0,
      deletedWhileReferenced: 0,
      withoutRecoveryPoint: 0,
      pairs: 1,
      pairsAsRulesKeep: 1,
    });
    expect(r.problems).toEqual([]);
  });

  it('counts a copy of ours that carries no recovery point tag', () => {
    const r = audit({ backups: [ours(1), ours(2, { hasRecoveryPointTag: false })] });
    expect(r.withoutRecoveryPoint).toBe(1);
    expect(r.problems).toContain(`copy backup-c2 in ${DST} carries no fsx-dr:recovery-point tag`);
  });

  it('counts a deleted backup that was not this deployment’s, and DeleteBackup sent to one or to a source Region', () => {
    const theirs: DestinationFact = { ...ours(9), origin: 'foreign-copy', backupId: 'backup-f1' };
    const other = { ...ours(8), deployment: `${ME}-other`, backupId: 'backup-f2' };
    const awsBackup = { ...ours(7), type: 'AWS_BACKUP', origin: 'foreign-copy', backupId: 'backup-f3' };
    const r = audit({
      backups: [{ ...theirs, ...deletedAt(T + 5_000) }, other, awsBackup, ours(3), ours(4)],
      deleteRequests: [
        { time: T + 5_000, region: DST, backupId: 'backup-f1', status: 200 },
        { time: T + 5_000, region: DST, backupId: 'backup-f2', status: 400 },
        { time: T + 5_000, region: SRC, backupId: 'backup-s3', status: 200 },
      ],
    });
    expect(r.notServiceDeleted).toBe(1);
    expect(r.deleteRequestsToOthers).toBe(3);
    expect(r.othersSeen).toBe(3);
    expect(r.othersLeft).toBe(2);
  });

  it('counts the newest AVAILABLE copy deleted, and a FAILED one deleted before a newer copy was AVAILABLE', () => {
    const newest = audit({ backups: [ours(1), ours(2, deletedAt(T + 10_000))] });
    expect(newest.newestDeleted).toBe(1);
    // Copy 2 was deleted before copy 3 (newer) turned AVAILABLE: at that moment it was the newest.
    const early = audit({ backups: [ours(2, deletedAt(T + 3_100)), ours(3), ours(4)] });
    expect(early.newestDeleted).toBe(1);
    const failed = audit({
      backups: [ours(5, { failed: true, lifecycle: 'FAILED', ...deletedAt(T + 5_600) }), ours(6)],
    });
    expect(failed.newestDeleted).toBe(1);
    const supersededFailed = audit({
      backups: [ours(5, { failed: true, lifecycle: 'FAILED', ...deletedAt(T + 7_000) }), ours(6)],
    });
    expect(supersededFailed.newestDeleted).toBe(0);
  });

  it('counts a copy deleted while the job following it had not recorded its outcome yet', () => {
    const r = audit({
      backups: [ours(1, deletedAt(T + 10_000)), ours(2), ours(3)],
      outcomes: [outcome(1, T + 12_000)],
    });
    expect(r.deletedWhileReferenced).toBe(1);
    expect(r.problems.join('\n')).toContain('while job copy-1 followed it');
  });

  it('says when a pair holds more, or fewer, than its rules keep', () => {
    expect(audit({ backups: [ours(1), ours(2), ours(3)] }).pairsAsRulesKeep).toBe(0);
    // A FAILED copy older than the newest AVAILABLE one should have gone too.
    expect(
      audit({ backups: [ours(1, { failed: true, lifecycle: 'FAILED' }), ours(2), ours(3)] }).pairsAsRulesKeep,
    ).toBe(0);
    // One newer than every AVAILABLE copy stays.
    expect(
      audit({ backups: [ours(2), ours(3), ours(4, { failed: true, lifecycle: 'FAILED' })] }).pairsAsRulesKeep,
    ).toBe(1);
  });

  it('the copy audit counts a succeeded copy retention deleted as succeeded once (pruned), not lost', () => {
    const copy = { backupId: 'backup-c1', region: DST, sourceBackupId: 'backup-s1', sourceRegion: SRC };
    const pruned = auditCopies({
      jobs: [],
      outcomes: [outcome(1, T)],
      serviceCopies: [{ ...copy, lifecycle: 'DELETED', pruned: true }],
      required: new Set(),
      outcomeEventsPerJob: new Map(),
    });
    expect(pruned.counts['succeeded-once']).toBe(1);
    expect(pruned.pruned).toBe(1);
    const deletedBySomeoneElse = auditCopies({
      jobs: [],
      outcomes: [outcome(1, T)],
      serviceCopies: [{ ...copy, lifecycle: 'DELETED' }],
      required: new Set(),
      outcomeEventsPerJob: new Map(),
    });
    expect(deletedBySomeoneElse.counts.lost).toBe(1);
  });
});

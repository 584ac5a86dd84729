import { describe, expect, it } from 'vitest';
import type { Policy, Settings } from '../../../src/config/types.js';
import { planCopies, type SourceBackup } from '../../../src/schedule/plan-copies.js';

const settings: Settings = {
  pollIntervalMs: 30_000,
  maxInFlightPerRegion: 5,
  startDeadlineMs: 8 * 3600_000,
  completionDeadlineMs: 48 * 3600_000,
  outcomeRetentionCount: 10_000,
  outcomeRetentionMs: 30 * 86_400_000,
  retention: { dryRun: false, maxDeletionsPerSweep: 20, sweepIntervalMs: 3_600_000 },
};

const policy: Policy = {
  name: 'prod',
  schedule: '0 * * * *',
  timezone: 'UTC',
  account: 'default',
  source: {
    region: 'us-east-1',
    fileSystemIds: ['fs-00000001', 'fs-00000002', 'fs-00000003'],
    exclude: [],
  },
  destinations: [
    { region: 'us-west-2', copyTags: false, tags: { tier: 'gold' }, inRegion: false },
    {
      region: 'eu-west-1',
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      copyTags: true,
      tags: {},
      inRegion: false,
    },
  ],
  file: 'p.yaml',
};

const b = (
  id: string,
  fs: string,
  lifecycle: string,
  t: number,
  extra: Partial<SourceBackup> = {},
): SourceBackup => ({
  backupId: id,
  fileSystemId: fs,
  lifecycle,
  creationTime: t,
  fileSystemType: 'WINDOWS',
  tags: {},
  ...extra,
});

const now = 1_800_000_000_000;

describe('planCopies', () => {
  it('copies the newest AVAILABLE-or-in-progress backup of each file system to every destination', () => {
    const plan = planCopies({
      policy,
      settings,
      backups: [
        b('backup-00000001', 'fs-00000001', 'AVAILABLE', 100),
        b('backup-00000002', 'fs-00000001', 'AVAILABLE', 300),
        b('backup-00000003', 'fs-00000001', 'FAILED', 400),
        b('backup-00000004', 'fs-00000002', 'CREATING', 500),
        b('backup-00000005', 'fs-00000002', 'DELETED', 600),
        b('backup-00000006', 'fs-00000099', 'AVAILABLE', 700),
      ],
      latestCopy: () => undefined,
      slotMs: 42,
      now,
      deployment: 'prod-dr',
    });
    expect(plan.copies.map((c) => [c.data.sourceBackupId, c.data.destinationRegion])).toEqual([
      ['backup-00000002', 'us-west-2'],
      ['backup-00000002', 'eu-west-1'],
      ['backup-00000004', 'us-west-2'],
      ['backup-00000004', 'eu-west-1'],
    ]);
    expect(plan.skipped).toEqual([{ fileSystemId: 'fs-00000003', reason: 'no-eligible-backup' }]);
  });

  it('carries what CopyBackup needs, the service tags, and the deadlines', () => {
    const plan = planCopies({
      policy,
      settings,
      backups: [b('backup-00000002', 'fs-00000001', 'AVAILABLE', 300)],
      latestCopy: () => undefined,
      slotMs: 42,
      now,
      deployment: 'prod-dr',
    });
    const eu = plan.copies.find((c) => c.data.destinationRegion === 'eu-west-1');
    expect(eu?.data).toMatchObject({
      policy: 'prod',
      sourceRegion: 'us-east-1',
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
      copyTags: true,
      sourceCreatedAt: 300,
      startDeadlineAt: now + settings.startDeadlineMs,
      tags: {
        'fsx-dr:policy': 'prod',
        'fsx-dr:source-backup-id': 'backup-00000002',
        'fsx-dr:source-region': 'us-east-1',
        'fsx-dr:deployment': 'prod-dr',
        'fsx-dr:file-system-id': 'fs-00000001',
        'fsx-dr:recovery-point': new Date(300).toISOString(),
      },
    });
    // Six service tags: FSx allows 50 per copy, and validation leaves room for them.
    expect(Object.keys(eu?.data.tags ?? {}).filter((k) => k.startsWith('fsx-dr:'))).toHaveLength(6);
    const us = plan.copies.find((c) => c.data.destinationRegion === 'us-west-2');
    expect(us?.data.tags).toMatchObject({ tier: 'gold' });
    expect(us?.data).not.toHaveProperty('kmsKeyId');
  });

  it('skips a destination that already holds that backup or a newer one', () => {
    const plan = planCopies({
      policy,
      settings,
      backups: [b('backup-00000002', 'fs-00000001', 'AVAILABLE', 300)],
      latestCopy: (_fs, dest) =>
        dest === 'us-west-2'
          ? { sourceBackupId: 'backup-00000002', sourceCreatedAt: 300 }
          : { sourceBackupId: 'backup-00000001', sourceCreatedAt: 100 },
      slotMs: 42,
      now,
      deployment: 'prod-dr',
    });
    expect(plan.copies.map((c) => c.data.destinationRegion)).toEqual(['eu-west-1']);
    expect(plan.skipped).toContainEqual({
      fileSystemId: 'fs-00000001',
      destinationRegion: 'us-west-2',
      backupId: 'backup-00000002',
      reason: 'already-copied',
    });
  });

  it('never copies its own copies, and never an ONTAP backup', () => {
    const plan = planCopies({
      policy,
      settings,
      backups: [
        b('backup-00000010', 'fs-00000001', 'AVAILABLE', 900, {
          tags: { 'fsx-dr:source-backup-id': 'backup-00000002' },
        }),
        b('backup-00000002', 'fs-00000001', 'AVAILABLE', 300),
        b('backup-00000011', 'fs-00000002', 'AVAILABLE', 900, { fileSystemType: 'ONTAP' }),
      ],
      latestCopy: () => undefined,
      slotMs: 42,
      now,
      deployment: 'prod-dr',
    });
    expect(new Set(plan.copies.map((c) => c.data.sourceBackupId))).toEqual(new Set(['backup-00000002']));
    expect(plan.skipped).toContainEqual({
      fileSystemId: 'fs-00000002',
      backupId: 'backup-00000011',
      reason: 'unsupported-file-system-type',
    });
  });

  it('gives the same job ids for the same slot, and other ids for another slot', () => {
    const input = {
      policy,
      settings,
      backups: [b('backup-00000002', 'fs-00000001', 'AVAILABLE', 300)],
      latestCopy: () => undefined,
      now,
      deployment: 'prod-dr',
    };
    const a = planCopies({ ...input, slotMs: 1 }).copies.map((c) => c.jobId);
    expect(planCopies({ ...input, slotMs: 1 }).copies.map((c) => c.jobId)).toEqual(a);
    expect(planCopies({ ...input, slotMs: 2 }).copies.map((c) => c.jobId)).not.toEqual(a);
  });
});

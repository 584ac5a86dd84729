import { describe, expect, it } from 'vitest';
import { planSweep, type SweepInput } from '../../../src/retention/plan-sweep.js';
import { retentionPairKey } from '../../../src/retention/retention-pair.js';
import { retentionScope } from '../../../src/retention/retention-scope.js';
import {
  config,
  copy,
  DEPLOYMENT,
  DEST,
  FS1,
  FS2,
  HOUR,
  OFF,
  policy,
  settings,
  SOURCE,
  T0,
} from './sweep-fixtures.js';

const scope = retentionScope(DEST);
const NOW = T0 + 100 * HOUR;
const keepLast = (n: number) => ({ ...OFF, keepLast: n });

function plan(input: Partial<SweepInput> & Pick<SweepInput, 'backups'>) {
  return planSweep({
    scope,
    deployment: DEPLOYMENT,
    config: config([policy('p1', keepLast(2))]),
    now: NOW,
    ...input,
  });
}

const actions = (p: ReturnType<typeof plan>, pairIndex = 0) =>
  p.pairs[pairIndex]?.verdicts.map((v) =>
    v.action === 'keep' ? `keep(${v.reasons.join(',')})` : `delete(${v.why})`,
  );

describe('planSweep', () => {
  it('keepLast 2: the two newest AVAILABLE copies stay, the rest go, oldest first; foreign backups are counted, never decided', () => {
    const mine = [1, 2, 3, 4].map((h) => copy(h));
    const foreign = [
      copy(9, { deployment: 'staging' }),
      copy(9, { type: 'AWS_BACKUP' }),
      copy(9, { deployment: null }),
      {
        backupId: 'backup-0ccccccccc',
        type: 'USER_INITIATED',
        lifecycle: 'AVAILABLE',
        tags: {},
        fileSystemType: 'LUSTRE',
      },
    ];
    const p = plan({ backups: [...mine, ...foreign] });
    expect(actions(p)).toEqual([
      'keep(last,newest-available)',
      'keep(last)',
      'delete(no-rule-keeps-it)',
      'delete(no-rule-keeps-it)',
    ]);
    expect(p.deletions.map((d) => d.copy.backupId)).toEqual([mine[0]?.backupId, mine[1]?.backupId]);
    expect(p.deletions.every((d) => d.keeperBackupId === mine[3]?.backupId)).toBe(true);
    expect(p.deletions[0]).toMatchObject({
      policies: ['p1'],
      rules: 'keepLast 2 (UTC)',
      why: 'no-rule-keeps-it',
    });
    expect(p.deferred).toBe(0);
    expect(p.serviceCopies).toBe(4);
    expect(p.ignored).toMatchObject({ 'other-deployment': 1, 'no-deployment-tag': 1, 'no-service-tags': 1 });
    // AWS_BACKUP backups are not user-initiated: they count for the quota of their own kind, not here.
    expect(p.userInitiatedByType).toEqual({ WINDOWS: 6, LUSTRE: 1 });
    expect(p.pairs[0]).toMatchObject({ available: 4, newestAvailable: { backupId: mine[3]?.backupId } });
  });

  it('never deletes the newest AVAILABLE copy, one in progress, one a copy job refers to, or a FAILED one not superseded', () => {
    const failedNewest = copy(6, { lifecycle: 'FAILED' });
    const copying = copy(5, { lifecycle: 'COPYING' });
    const newest = copy(4);
    const referenced = copy(2);
    const old = copy(1);
    const p = plan({
      backups: [old, referenced, newest, copying, failedNewest, copy(3)],
      config: config([policy('p1', keepLast(1))]),
      referenced: new Map([[referenced.backupId, 'copy-job-1']]),
    });
    expect(actions(p)).toEqual([
      'keep(failed-not-superseded)',
      'keep(in-progress)',
      'keep(last,newest-available)',
      'delete(no-rule-keeps-it)',
      'keep(referenced)',
      'delete(no-rule-keeps-it)',
    ]);
  });

  it('deletes a FAILED copy once a newer copy is AVAILABLE', () => {
    const failed = copy(1, { lifecycle: 'FAILED' });
    const p = plan({ backups: [failed, copy(2)], config: config([policy('p1', keepLast(5))]) });
    expect(p.deletions.map((d) => [d.copy.backupId, d.why])).toEqual([
      [failed.backupId, 'failed-superseded'],
    ]);
  });

  it('maxDeletionsPerSweep per scope: the oldest recovery points of all pairs go first, the rest are deferred', () => {
    const fs1 = [1, 3, 5, 7, 9].map((h) => copy(h));
    const fs2 = [2, 4, 6, 8].map((h) => copy(h, { fileSystemId: FS2 }));
    const p = plan({
      backups: [...fs1, ...fs2],
      config: config([policy('p1', keepLast(1), { fileSystemIds: [FS1, FS2] })], settings(3)),
    });
    expect(p.candidates).toHaveLength(7);
    expect(p.deletions.map((d) => d.copy.recoveryPointMs)).toEqual([1, 2, 3].map((h) => T0 + h * HOUR));
    expect(p.deferred).toBe(4);
  });

  it('when several policies cover a pair, a copy stays if any keeps it; one without retention keeps everything', () => {
    const copies = [1, 2, 3, 4].map((h) => copy(h));
    const union = plan({
      backups: copies,
      config: config([policy('p1', keepLast(1)), policy('p2', keepLast(3))]),
    });
    expect(union.deletions.map((d) => d.copy.backupId)).toEqual([copies[0]?.backupId]);
    expect(union.deletions[0]?.policies).toEqual(['p1', 'p2']);
    const forever = plan({
      backups: copies,
      config: config([policy('p1', keepLast(1)), policy('p2', undefined)]),
    });
    expect(forever.pairs[0]?.policy).toEqual({ kind: 'kept-forever', policies: ['p1', 'p2'] });
    expect(forever.candidates).toEqual([]);
    expect(actions(forever)?.[3]).toBe('keep(kept-forever)');
  });

  it('a pair no policy covers any more keeps its copies; an in-Region pair deletes nothing in its source Region', () => {
    const orphan = [1, 2, 3].map((h) => copy(h, { fileSystemId: FS2 }));
    const removed = plan({ backups: orphan });
    const orphanPair = removed.pairs.find((p) => p.pair.fileSystemId === FS2);
    expect(orphanPair?.policy).toEqual({ kind: 'no-policy' });
    expect(orphanPair?.verdicts.map((v) => v.action)).toEqual(['keep', 'keep', 'keep']);
    // The configured pair is swept too, and holds nothing.
    expect(removed.pairs.find((p) => p.pair.fileSystemId === FS1)).toMatchObject({
      available: 0,
      verdicts: [],
    });
    expect(removed.candidates).toEqual([]);

    const inRegion = [1, 2, 3].map((h) => copy(h, { sourceRegion: DEST }));
    const p = plan({
      backups: inRegion,
      config: config([policy('p1', keepLast(1), { sourceRegion: DEST, destinations: [DEST] })]),
    });
    expect(p.pairs[0]?.policy).toMatchObject({ kind: 'source-region' });
    expect(actions(p)).toEqual(['keep(source-region)', 'keep(source-region)', 'keep(source-region)']);
    expect(p.candidates).toEqual([]);
  });

  it('onlyPairs sweeps just those pairs (the sweep right after a copy succeeds)', () => {
    const p = plan({
      backups: [
        copy(1),
        copy(2),
        copy(3),
        copy(1, { fileSystemId: FS2 }),
        copy(2, { fileSystemId: FS2 }),
        copy(3, { fileSystemId: FS2 }),
      ],
      config: config([policy('p1', keepLast(1), { fileSystemIds: [FS1, FS2] })]),
      onlyPairs: new Set([
        retentionPairKey({
          account: 'default',
          sourceRegion: SOURCE,
          fileSystemId: FS2,
          destinationRegion: DEST,
        }),
      ]),
    });
    expect(p.pairs.map((x) => x.pair.fileSystemId)).toEqual([FS2]);
    expect(p.deletions.map((d) => d.copy.pair.fileSystemId)).toEqual([FS2, FS2]);
  });

  it('DELETED copies are left out; copies in other Regions and other accounts are not the scope’s', () => {
    const gone = copy(1, { lifecycle: 'DELETED' });
    const p = plan({ backups: [gone, copy(2), copy(3)], config: config([policy('p1', keepLast(1))]) });
    expect(p.pairs[0]?.verdicts.map((v) => v.copy.backupId)).not.toContain(gone.backupId);
    expect(p.userInitiatedByType).toEqual({ WINDOWS: 2 });
    const other = planSweep({
      scope: retentionScope(DEST, '111122223333'),
      deployment: DEPLOYMENT,
      config: config([policy('p1', keepLast(1))]),
      backups: [copy(2), copy(3)],
      now: NOW,
    });
    expect(other.candidates).toEqual([]);
    expect(other.pairs.every((x) => x.policy.kind === 'no-policy')).toBe(true);
  });

  it('a policy whose destinations are elsewhere contributes no pair to this scope', () => {
    const p = plan({
      backups: [],
      config: config([policy('p1', keepLast(1), { destinations: ['eu-west-1'] })]),
    });
    expect(p.pairs).toEqual([]);
    expect(FS1).toBeDefined();
  });
});

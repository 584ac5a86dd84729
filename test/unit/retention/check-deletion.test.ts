import { describe, expect, it } from 'vitest';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';
import { checkDeletion, type DeletionCheckInput } from '../../../src/retention/check-deletion.js';
import { deletionJobData } from '../../../src/retention/deletion-job.js';
import { planSweep } from '../../../src/retention/plan-sweep.js';
import { retentionScope } from '../../../src/retention/retention-scope.js';
import type { DestinationBackup } from '../../../src/retention/destination-backup.js';
import {
  config,
  copy,
  without,
  DEPLOYMENT,
  DEST,
  FS2,
  HOUR,
  OFF,
  policy,
  settings,
  T0,
} from './sweep-fixtures.js';

const scope = retentionScope(DEST);
const rules = { ...OFF, keepLast: 1 };
const cfg = config([policy('p1', rules)]);

/** A deletion decided by a real sweep, and the two backups it rests on. */
function decided(candidatePatch: Partial<DestinationBackup> = {}) {
  const old = copy(1, candidatePatch);
  const newest = copy(2);
  const plan = planSweep({
    scope,
    deployment: DEPLOYMENT,
    config: cfg,
    backups: [old, newest],
    now: T0 + 10 * HOUR,
  });
  const [deletion] = plan.deletions;
  if (!deletion) throw new Error('nothing decided');
  const job = deletionJobData(scope, deletion, 'sweep-1', T0 + 10 * HOUR);
  return { old, newest, job };
}

function check(patch: Partial<DeletionCheckInput> & Pick<DeletionCheckInput, 'job'>) {
  return checkDeletion({
    config: cfg,
    deployment: DEPLOYMENT,
    current: undefined,
    keeper: undefined,
    ...patch,
  });
}

describe('checkDeletion: the re-read right before DeleteBackup', () => {
  it('lets a copy go when everything the decision rested on still holds', () => {
    const { old, newest, job } = decided();
    expect(check({ job, current: old, keeper: newest })).toBeUndefined();
  });

  it.each<
    [
      string,
      (b: { old: DestinationBackup; newest: DestinationBackup }) => Partial<DeletionCheckInput>,
      string,
    ]
  >([
    ['gone', () => ({ current: undefined }), 'already-gone'],
    [
      'DELETED',
      ({ old, newest }) => ({ current: { ...old, lifecycle: 'DELETED' }, keeper: newest }),
      'already-gone',
    ],
    [
      'now AWS_BACKUP',
      ({ old, newest }) => ({ current: { ...old, type: 'AWS_BACKUP' }, keeper: newest }),
      'not-user-initiated',
    ],
    [
      'its deployment tag changed',
      ({ old, newest }) => ({
        current: { ...old, tags: { ...old.tags, [SERVICE_TAG_KEYS.deployment]: 'x' } },
        keeper: newest,
      }),
      'other-deployment',
    ],
    [
      'its tags name another file system',
      ({ old, newest }) => ({
        current: { ...old, fileSystemId: FS2, tags: { ...old.tags, [SERVICE_TAG_KEYS.fileSystemId]: FS2 } },
        keeper: newest,
      }),
      'pair-changed',
    ],
    [
      'the pair’s policy was removed',
      ({ old, newest }) => ({ current: old, keeper: newest, config: config([]) }),
      'no-policy',
    ],
    [
      'another policy without retention covers the pair now',
      ({ old, newest }) => ({
        current: old,
        keeper: newest,
        config: config([policy('p1', rules), policy('p2', undefined)]),
      }),
      'kept-forever',
    ],
    [
      'the rules changed',
      ({ old, newest }) => ({
        current: old,
        keeper: newest,
        config: config([policy('p1', { ...OFF, keepLast: 5 })]),
      }),
      'rules-changed',
    ],
    [
      'the config says dryRun now',
      ({ old, newest }) => ({
        current: old,
        keeper: newest,
        config: config([policy('p1', rules)], settings(20, true)),
      }),
      'dry-run',
    ],
    [
      'it is copying (or its Lifecycle unknown)',
      ({ old, newest }) => ({ current: { ...old, lifecycle: 'COPYING' }, keeper: newest }),
      'in-progress',
    ],
    [
      'no Lifecycle in the response',
      ({ old, newest }) => ({ current: without(old, 'lifecycle'), keeper: newest }),
      'in-progress',
    ],
    ['the newer copy is gone', ({ old }) => ({ current: old, keeper: undefined }), 'newest-available'],
    [
      'the newer copy FAILED',
      ({ old, newest }) => ({ current: old, keeper: { ...newest, lifecycle: 'FAILED' } }),
      'newest-available',
    ],
    [
      'the newer copy is not ours any more',
      ({ old, newest }) => ({
        current: old,
        keeper: { ...newest, tags: { ...newest.tags, [SERVICE_TAG_KEYS.deployment]: 'x' } },
      }),
      'newest-available',
    ],
  ])('skips it when %s', (_what, patch, guard) => {
    const b = decided();
    expect(check({ job: b.job, ...patch(b) })).toBe(guard);
  });

  it('a keeper with an older recovery point than the candidate does not supersede it', () => {
    const { old, job } = decided();
    expect(check({ job, current: old, keeper: copy(0) })).toBe('newest-available');
  });

  it('a FAILED copy goes only while a strictly newer AVAILABLE copy stays', () => {
    const old = copy(1, { lifecycle: 'FAILED' });
    const newest = copy(1);
    const plan = planSweep({
      scope,
      deployment: DEPLOYMENT,
      config: config([policy('p1', { ...OFF, keepLast: 3 })]),
      backups: [old, copy(2)],
      now: T0,
    });
    const job = deletionJobData(scope, plan.deletions[0]!, 's', T0);
    expect(job.why).toBe('failed-superseded');
    const cfg3 = config([policy('p1', { ...OFF, keepLast: 3 })]);
    expect(checkDeletion({ job, current: old, keeper: newest, config: cfg3, deployment: DEPLOYMENT })).toBe(
      'newest-available',
    );
  });

  it('an in-Region copy is never deleted', () => {
    const { job, old, newest } = decided();
    const inRegion = { ...job, sourceRegion: DEST };
    const current = {
      ...old,
      sourceRegion: DEST,
      tags: { ...old.tags, [SERVICE_TAG_KEYS.sourceRegion]: DEST },
    };
    expect(check({ job: inRegion, current, keeper: newest })).toBe('source-region');
  });
});

import { describe, expect, it } from 'vitest';
import { SERVICE_TAG_KEYS } from '../../../src/config/types.js';
import type { DestinationBackup } from '../../../src/retention/destination-backup.js';
import { identifyServiceCopy } from '../../../src/retention/identify-service-copy.js';
import { retentionScope } from '../../../src/retention/retention-scope.js';
import { copy, without, DEPLOYMENT, DEST, FS1, FS2, HOUR, SOURCE, T0 } from './sweep-fixtures.js';

const scope = retentionScope(DEST);
const ignored = (b: Parameters<typeof identifyServiceCopy>[0]): unknown => {
  const found = identifyServiceCopy(b, scope, DEPLOYMENT);
  return 'ignored' in found ? found.ignored : 'candidate';
};

describe('identifyServiceCopy', () => {
  it('a copy with all of this deployment’s tags, matching what FSx says of it, is a candidate of its pair', () => {
    const b = copy(5);
    const found = identifyServiceCopy(b, scope, DEPLOYMENT);
    expect(found).toEqual({
      copy: {
        backupId: b.backupId,
        pair: { account: 'default', sourceRegion: SOURCE, fileSystemId: FS1, destinationRegion: DEST },
        sourceBackupId: b.sourceBackupId,
        recoveryPointMs: T0 + 5 * HOUR,
        lifecycle: 'AVAILABLE',
        policy: 'p1',
      },
    });
  });

  const base = (): DestinationBackup => copy(1);
  it.each<[string, () => DestinationBackup, string]>([
    ['AUTOMATIC, even with our tags', () => ({ ...base(), type: 'AUTOMATIC' }), 'not-user-initiated'],
    ['AWS_BACKUP, even with our tags', () => ({ ...base(), type: 'AWS_BACKUP' }), 'not-user-initiated'],
    ['no type reported', () => without(base(), 'type'), 'not-user-initiated'],
    ['another deployment’s copy', () => copy(1, { deployment: 'staging' }), 'other-deployment'],
    ['a copy from before the deployment tag', () => copy(1, { deployment: null }), 'no-deployment-tag'],
    [
      'a copy whose SourceBackupId is not its tag’s (a copy of our copy)',
      () => ({ ...base(), sourceBackupId: 'backup-0aaaaaaaa' }),
      'source-mismatch',
    ],
    [
      'a copy whose SourceBackupRegion is not its tag’s',
      () => ({ ...base(), sourceRegion: 'eu-west-1' }),
      'source-mismatch',
    ],
    ['SourceBackupId missing from the response', () => without(base(), 'sourceBackupId'), 'source-mismatch'],
    ['FSx naming another file system', () => ({ ...base(), fileSystemId: FS2 }), 'file-system-mismatch'],
    [
      'an unreadable recovery point',
      () => {
        const b = base();
        return { ...b, tags: { ...b.tags, [SERVICE_TAG_KEYS.recoveryPoint]: 'yesterday' } };
      },
      'no-recovery-point',
    ],
  ])('%s is not a candidate', (_what, build, why) => {
    expect(ignored(build())).toBe(why);
  });

  it('a backup without any service tag is not ours; without a file system tag it is not a full service copy', () => {
    expect(ignored({ backupId: 'backup-0bbbbbbbb', type: 'USER_INITIATED', tags: { owner: 'x' } })).toBe(
      'no-service-tags',
    );
    const b = copy(1);
    const { [SERVICE_TAG_KEYS.fileSystemId]: _, ...tags } = b.tags;
    expect(ignored({ ...b, tags })).toBe('no-service-tags');
  });

  it('a copy the FSx response shows without its file system is still judged by its tags', () => {
    expect(ignored(without(copy(1), 'fileSystemId'))).toBe('candidate');
  });

  it('the deployment is compared exactly', () => {
    expect(identifyServiceCopy(copy(1, { deployment: 'prod-2' }), scope, 'prod')).toEqual({
      ignored: 'other-deployment',
    });
    expect(identifyServiceCopy(copy(1, { deployment: 'PROD' }), scope, 'prod')).toEqual({
      ignored: 'other-deployment',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  classifyCopyError,
  endsFollowing,
  type CopyErrorClass,
} from '../../../src/copy/classify-copy-error.js';
import type { FsxErrorFacts } from '../../../src/copy/fsx-error.js';
import { AssumeRoleError } from '../../../src/fsx/assume-role.js';
import { toFsxErrorFacts } from '../../../src/fsx/error-facts.js';

const cases: [string, FsxErrorFacts, CopyErrorClass][] = [
  [
    'five copies in progress',
    {
      name: 'ServiceLimitExceeded',
      message: '',
      limit: 'TOTAL_IN_PROGRESS_COPY_BACKUPS',
      fault: 'client',
      httpStatus: 400,
    },
    'region-full',
  ],
  [
    'backup quota reached',
    {
      name: 'ServiceLimitExceeded',
      message: '',
      limit: 'TOTAL_USER_INITIATED_BACKUPS',
      fault: 'client',
      httpStatus: 400,
    },
    'permanent',
  ],
  [
    'limit without a Limit member',
    { name: 'ServiceLimitExceeded', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'source still being made',
    { name: 'SourceBackupUnavailable', message: '', fault: 'client', httpStatus: 400 },
    'source-not-ready',
  ],
  [
    'server fault',
    { name: 'InternalServerError', message: '', fault: 'server', httpStatus: 500 },
    'transient',
  ],
  ['unmodelled 503', { name: 'Error', message: '', httpStatus: 503 }, 'transient'],
  ['throttled', { name: 'ThrottlingException', message: '', httpStatus: 400 }, 'transient'],
  ['too many requests', { name: 'TooManyRequestsException', message: '', httpStatus: 429 }, 'transient'],
  ['429 of any name', { name: 'Whatever', message: '', httpStatus: 429 }, 'transient'],
  ['SDK time-out', { name: 'TimeoutError', message: 'socket timed out' }, 'transient'],
  ['connection refused', { name: 'Error', message: '', networkCode: 'ECONNREFUSED' }, 'transient'],
  ['connection reset', { name: 'Error', message: '', networkCode: 'ECONNRESET' }, 'transient'],
  ['unparseable body', { name: 'SyntaxError', message: 'Unexpected token' }, 'transient'],
  ['source gone', { name: 'BackupNotFound', message: '', fault: 'client', httpStatus: 400 }, 'permanent'],
  ['bad request', { name: 'BadRequest', message: '', fault: 'client', httpStatus: 400 }, 'permanent'],
  [
    'token reused with other parameters',
    { name: 'IncompatibleParameterError', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'Multi-AZ to a Region without it',
    { name: 'IncompatibleRegionForMultiAZ', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'bad destination key',
    { name: 'InvalidDestinationKmsKey', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'bad source key',
    { name: 'InvalidSourceKmsKey', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  ['cross-partition', { name: 'InvalidRegion', message: '', fault: 'client', httpStatus: 400 }, 'permanent'],
  [
    'ONTAP or tiered',
    { name: 'UnsupportedOperation', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'access denied',
    { name: 'AccessDeniedException', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
  [
    'unknown client error',
    { name: 'SomethingNew', message: '', fault: 'client', httpStatus: 400 },
    'permanent',
  ],
];

describe('classifyCopyError', () => {
  it.each(cases)('%s', (_label, err, expected) => {
    expect(classifyCopyError(err)).toBe(expected);
  });
});

describe('endsFollowing', () => {
  it('keeps following through transient errors and through errors that sent nothing (an unassumable role)', () => {
    expect(
      endsFollowing({ name: 'AccessDeniedException', message: '', fault: 'client', httpStatus: 400 }),
    ).toBe(true);
    expect(
      endsFollowing({ name: 'InternalServerError', message: '', fault: 'server', httpStatus: 500 }),
    ).toBe(false);
    expect(
      endsFollowing({ name: 'AccessDenied', message: '', fault: 'client', httpStatus: 403, notSent: true }),
    ).toBe(false);
  });
});

describe('toFsxErrorFacts of an AssumeRoleError', () => {
  it('says no request was sent, with STS’s name, fault and status', () => {
    const sts = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
      name: 'AccessDenied',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    const facts = toFsxErrorFacts(
      new AssumeRoleError({ name: 'team-c', roleArn: 'arn:aws:iam::333333333333:role/fsx-dr-copier' }, sts),
    );
    expect(facts).toMatchObject({ name: 'AccessDenied', fault: 'client', httpStatus: 403, notSent: true });
    expect(toFsxErrorFacts(sts).notSent).toBeUndefined();
  });
});

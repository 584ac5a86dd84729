import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import type { ConfigIssue } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';

const INVALID = fileURLToPath(new URL('../../fixtures/policies/invalid/', import.meta.url));

/** One expected issue: where it is and a fragment of its message. `file` is relative to the fixture directory. */
interface Expected {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
  readonly file?: string;
  readonly expected?: string;
}

const e = (
  line: number,
  column: number,
  path: string,
  message: string,
  extra: Partial<Expected> = {},
): Expected => ({
  line,
  column,
  path,
  message,
  ...extra,
});

/** Each fixture holds one mistake (a few hold several, to prove all are reported at once). */
const CASES: Readonly<Record<string, readonly Expected[]>> = {
  // Keys
  'unknown-key-policy.yaml': [
    e(3, 5, 'policies[0].schedul', 'unknown key "schedul"; did you mean "schedule"?', {
      expected:
        'one of: name, account, schedule, timezone, source, destinations, rpo, copyTags, tags, retention',
    }),
  ],
  'unknown-key-top-level.yaml': [e(1, 1, 'policy', 'unknown key "policy"; did you mean "policies"?')],
  'unknown-key-settings.yaml': [e(2, 3, 'settings.pollIntervall', 'did you mean "pollInterval"?')],
  'unknown-key-destination.yaml': [
    e(10, 9, 'policies[0].destinations[0].kmsKey', 'did you mean "kmsKeyId"?'),
  ],
  'missing-schedule.yaml': [e(2, 5, 'policies[0].schedule', 'missing required key "schedule"')],
  'missing-source-region.yaml': [e(5, 5, 'policies[0].source.region', 'missing required key "region"')],
  'missing-destinations.yaml': [e(2, 5, 'policies[0].destinations', 'missing required key "destinations"')],
  // Types
  'wrong-type-copytags.yaml': [
    e(10, 15, 'policies[0].copyTags', 'got the string "yes": write true or false', {
      expected: 'true or false',
    }),
  ],
  'wrong-type-filesystemids.yaml': [e(7, 22, 'policies[0].source.fileSystemIds', 'write a list, e.g. [fs-')],
  'wrong-type-policies-mapping.yaml': [e(2, 3, 'policies', 'got a mapping')],
  'root-is-a-list.yaml': [e(1, 1, '', 'got a list')],
  'empty-file.yaml': [e(1, 1, '', 'the file is empty')],
  // Schedules and time zones
  'cron-field-count.yaml': [e(3, 15, 'policies[0].schedule', 'has 4 fields')],
  'cron-hour-range.yaml': [e(3, 15, 'policies[0].schedule', 'hour field "25": 25 is outside 0-23')],
  'cron-seconds-range.yaml': [e(3, 15, 'policies[0].schedule', 'second field "75"')],
  'cron-never-fires.yaml': [e(3, 15, 'policies[0].schedule', 'never fires')],
  'cron-macro.yaml': [e(3, 15, 'policies[0].schedule', '"@daily" is not supported')],
  'cron-hash.yaml': [e(3, 15, 'policies[0].schedule', 'H (a random value) is not supported')],
  'cron-unquoted-star.yaml': [e(3, 20, '', 'a value starting with * is read as a YAML alias: quote it')],
  'unknown-timezone.yaml': [
    e(4, 15, 'policies[0].timezone', 'unknown time zone "Europe/Berln"; did you mean "Europe/Berlin"?'),
  ],
  'timezone-half-hour-dst.yaml': [e(4, 15, 'policies[0].timezone', 'changes its clocks by 30 minutes')],
  'rpo-not-longer-than-schedule.yaml': [
    e(5, 10, 'policies[0].rpo', 'rpo 6h is not longer than the 6h between two fire times of the schedule'),
  ],
  'rpo-bare-number.yaml': [e(5, 10, 'policies[0].rpo', '26 has no unit')],
  // Regions, partitions, in-Region copies, KMS
  'malformed-source-region.yaml': [
    e(6, 15, 'policies[0].source.region', '"us-east1" is not an AWS Region name'),
  ],
  'malformed-destination-region.yaml': [
    e(9, 17, 'policies[0].destinations[0].region', '"US-WEST-2" is not an AWS Region name'),
  ],
  'partition-mismatch.yaml': [
    e(
      9,
      17,
      'policies[0].destinations[0].region',
      'cn-north-1 is in partition aws-cn but the source us-east-1 is in aws',
    ),
  ],
  'partition-mismatch-gov.yaml': [
    e(
      9,
      17,
      'policies[0].destinations[0].region',
      'us-west-2 is in partition aws but the source us-gov-west-1 is in aws-us-gov',
    ),
  ],
  'in-region-without-flag.yaml': [
    e(
      9,
      17,
      'policies[0].destinations[0].region',
      'is the source Region; if you mean an in-Region copy, add inRegion: true',
    ),
  ],
  'in-region-flag-wrong.yaml': [
    e(
      10,
      19,
      'policies[0].destinations[0].inRegion',
      'inRegion is true but us-west-2 is not the source Region us-east-1',
    ),
  ],
  'duplicate-destination-region.yaml': [
    e(10, 17, 'policies[0].destinations[1].region', 'us-west-2 is already listed at destinations[0]'),
  ],
  'empty-destinations.yaml': [e(8, 19, 'policies[0].destinations', 'the list is empty')],
  'kms-key-wrong-region.yaml': [
    e(
      10,
      19,
      'policies[0].destinations[0].kmsKeyId',
      'the key is in us-east-1, but copies to us-west-2 need a key in us-west-2',
    ),
  ],
  'kms-key-malformed.yaml': [
    e(10, 19, 'policies[0].destinations[0].kmsKeyId', '"my key" is not a KMS key id'),
  ],
  // Names and file systems
  'invalid-policy-name.yaml': [e(2, 11, 'policies[0].name', '"Windows_Prod" is not a valid policy name')],
  'duplicate-policy-name.yaml': [
    e(10, 11, 'policies[1].name', 'policy name "windows-prod" is already used by policies[0] at line 2'),
  ],
  'malformed-file-system-id.yaml': [
    e(7, 45, 'policies[0].source.fileSystemIds[1]', '"fs-XYZ123" is not an FSx file system id'),
  ],
  'duplicate-file-system-id.yaml': [
    e(
      7,
      45,
      'policies[0].source.fileSystemIds[1]',
      'fs-0123456789abcdef0 is already listed at fileSystemIds[0]',
    ),
  ],
  'empty-file-system-ids.yaml': [e(7, 22, 'policies[0].source.fileSystemIds', 'the list is empty')],
  // Selectors and exclusions
  'source-neither-ids-nor-selector.yaml': [
    e(
      4,
      5,
      'policies[0].source',
      'source has neither fileSystemIds nor selector: it would cover no file system',
    ),
  ],
  'selector-empty.yaml': [
    e(
      6,
      7,
      'policies[0].source.selector',
      'the selector has no tags and no fileSystemTypes: it would select every file system in us-east-1; to mean that, say so with fileSystemTypes: [WINDOWS, LUSTRE, OPENZFS]',
    ),
  ],
  'selector-tags-empty.yaml': [
    e(6, 7, 'policies[0].source.selector', 'the selector has no tags and no fileSystemTypes', {
      expected:
        'a selector with at least one tag, or fileSystemTypes (e.g. fileSystemTypes: [WINDOWS, LUSTRE, OPENZFS])',
    }),
  ],
  'selector-tag-value-partial-wildcard.yaml': [
    e(
      7,
      26,
      'policies[0].source.selector.tags.dr-tier',
      'tag value "gold*" has characters FSx does not allow; "*" alone matches any value',
    ),
  ],
  'selector-type-ontap.yaml': [
    e(
      7,
      36,
      'policies[0].source.selector.fileSystemTypes[1]',
      'ONTAP backups cannot be copied with CopyBackup (FSx copies only WINDOWS, LUSTRE, OPENZFS backups)',
    ),
  ],
  'selector-type-lower-case.yaml': [
    e(
      7,
      27,
      'policies[0].source.selector.fileSystemTypes[0]',
      '"lustre" is not a file system type; did you mean "LUSTRE"?',
      { expected: 'one of WINDOWS, LUSTRE, OPENZFS (ONTAP backups cannot be copied)' },
    ),
  ],
  'selector-type-duplicate.yaml': [
    e(
      7,
      44,
      'policies[0].source.selector.fileSystemTypes[2]',
      'file system type LUSTRE is already listed at fileSystemTypes[0]',
    ),
  ],
  'selector-types-empty.yaml': [e(8, 26, 'policies[0].source.selector.fileSystemTypes', 'the list is empty')],
  'selector-unknown-key.yaml': [
    e(
      8,
      9,
      'policies[0].source.selector.fileSystemType',
      'unknown key "fileSystemType"; did you mean "fileSystemTypes"?',
      { expected: 'one of: tags, fileSystemTypes' },
    ),
  ],
  'exclude-malformed.yaml': [
    e(8, 39, 'policies[0].source.exclude[1]', '"fs-scratch" is not an FSx file system id'),
  ],
  'exclude-listed.yaml': [
    e(
      9,
      17,
      'policies[0].source.exclude[0]',
      'fs-0fedcba9876543210 is both listed (fileSystemIds[1]) and excluded; remove it from one of the two',
    ),
  ],
  'exclude-duplicate.yaml': [
    e(
      8,
      39,
      'policies[0].source.exclude[1]',
      'file system fs-0fedcba9876543210 is already listed at exclude[0]',
    ),
  ],
  'exclude-without-selector.yaml': [
    e(7, 7, 'policies[0].source.exclude', 'exclude without a selector excludes nothing'),
  ],
  // Accounts
  'account-name-invalid.yaml': [e(2, 11, 'accounts[0].name', '"Prod_1" is not a valid account name')],
  'account-name-default.yaml': [
    e(
      2,
      11,
      'accounts[0].name',
      'account name "default" is reserved: it means the service\'s own credentials',
    ),
  ],
  'account-name-duplicate.yaml': [
    e(4, 11, 'accounts[1].name', 'account name "prod" is already used by accounts[0] at line 2', {
      expected: 'an account name unique across all files',
    }),
  ],
  'account-id-twice.yaml': [
    e(
      5,
      14,
      'accounts[1].roleArn',
      'AWS account 111122223333 is already account "prod" (line 3); FSx\'s limits are per AWS account, so one account must have one name',
      { expected: 'a role in an AWS account no other entry of accounts: names' },
    ),
  ],
  'account-unknown-key.yaml': [
    e(3, 5, 'accounts[0].role', 'unknown key "role"; did you mean "roleArn"?', {
      expected: 'one of: name, roleArn, externalId',
    }),
  ],
  'account-role-arn-malformed.yaml': [
    e(
      3,
      14,
      'accounts[0].roleArn',
      'the string "arn:aws:iam::11112222333:role/fsx-dr-copier" is not an IAM role ARN',
      {
        expected:
          'an IAM role ARN, arn:<partition>:iam::<12-digit account id>:role/<name>, e.g. arn:aws:iam::111122223333:role/fsx-dr-copier',
      },
    ),
  ],
  'account-role-arn-user.yaml': [
    e(
      3,
      14,
      'accounts[0].roleArn',
      '"arn:aws:iam::111122223333:user/fsx-dr" is an IAM user ARN; the service reaches an account by assuming a role',
    ),
  ],
  'account-external-id-characters.yaml': [
    e(4, 17, 'accounts[0].externalId', 'the string "shared secret" is not a valid external id', {
      expected: 'an external id: 2 to 1224 characters, letters, digits and _ + = , . @ : / -',
    }),
  ],
  'account-external-id-too-short.yaml': [
    e(4, 17, 'accounts[0].externalId', 'the string "x" is 1 characters long'),
  ],
  'account-unknown.yaml': [
    e(6, 14, 'policies[0].account', 'account "prd" is not defined under accounts:; did you mean "prod"?'),
  ],
  'account-role-partition.yaml': [
    e(
      6,
      14,
      'policies[0].account',
      'account "china" has its role in partition aws-cn ("arn:aws-cn:iam::111122223333:role/fsx-dr-copier"), but the source us-east-1 is in partition aws',
      { expected: 'an account whose roleArn starts arn:aws:iam::' },
    ),
  ],
  // Tags
  'tag-key-too-long.yaml': [
    e(11, 7, `policies[0].tags.${'k'.repeat(129)}`, 'is 129 characters long; tag keys have 1 to 128'),
  ],
  'tag-key-aws-prefix.yaml': [
    e(11, 7, 'policies[0].tags["aws:created-by"]', 'starts with "aws:", which AWS reserves'),
  ],
  'tag-key-reserved-prefix.yaml': [
    e(
      11,
      11,
      'policies[0].destinations[0].tags["fsx-dr:policy"]',
      'starts with "fsx-dr:", which this service reserves',
    ),
  ],
  'tag-value-characters.yaml': [
    e(11, 14, 'policies[0].tags.owner', 'tag value "team#1" has characters FSx does not allow'),
  ],
  'tag-value-too-long.yaml': [e(11, 13, 'policies[0].tags.note', 'is 257 characters long')],
  'tag-value-number.yaml': [e(11, 13, 'policies[0].tags.tier', 'tag values are strings; quote it, e.g. "1"')],
  'too-many-tags.yaml': [
    e(10, 9, 'policies[0].destinations[0].tags', 'copies here would carry 48 tags', {
      expected: 'at most 44 tags per copy',
    }),
  ],
  // Settings
  'max-in-flight-too-high.yaml': [e(2, 25, 'settings.maxInFlightPerRegion', '6 is too large')],
  'max-in-flight-fraction.yaml': [e(2, 25, 'settings.maxInFlightPerRegion', '2.5 is not a whole number')],
  'poll-interval-bare-number.yaml': [e(2, 17, 'settings.pollInterval', '30 has no unit: write e.g. "30s"')],
  'poll-interval-too-short.yaml': [
    e(2, 17, 'settings.pollInterval', '5ms is too short', { expected: 'a duration from 10ms to 1h' }),
  ],
  'poll-interval-day-unit.yaml': [e(2, 17, 'settings.pollInterval', '"1d" is not a duration')],
  'poll-not-shorter-than-deadline.yaml': [
    e(2, 17, 'settings.pollInterval', 'is not shorter than completionDeadline 30m'),
  ],
  'deadline-malformed.yaml': [e(2, 18, 'settings.startDeadline', '"8 hours" is not a duration')],
  'deadline-too-long.yaml': [
    e(2, 23, 'settings.completionDeadline', '60d is too long', { expected: 'a duration from 1m to 30d' }),
  ],
  'retention-max-count-zero.yaml': [e(2, 33, 'settings.outcomeRetention.maxCount', '0 is too small')],
  // Retention
  'retention-all-rules-zero.yaml': [
    e(7, 5, 'policies[0].retention', 'retention has no rule above 0: it would keep every copy'),
  ],
  'retention-empty-destination.yaml': [
    e(9, 9, 'policies[0].destinations[0].retention', 'retention has no rule above 0'),
  ],
  'retention-negative-count.yaml': [
    e(8, 17, 'policies[0].retention.keepLast', '-1 is too small', {
      expected: 'a whole number from 0 to 1000000',
    }),
  ],
  'retention-fraction.yaml': [e(8, 18, 'policies[0].retention.keepDaily', '2.5 is not a whole number')],
  'retention-unknown-rule.yaml': [
    e(8, 7, 'policies[0].retention.keepLatest', 'unknown key "keepLatest"; did you mean "keepLast"?'),
  ],
  'retention-keep-within-bare-number.yaml': [e(8, 19, 'policies[0].retention.keepWithin', '48 has no unit')],
  'retention-keep-within-too-long.yaml': [
    e(8, 19, 'policies[0].retention.keepWithin', '4000d is too long', {
      expected: 'a duration from 0s to 3650d',
    }),
  ],
  'retention-sweep-interval-too-short.yaml': [
    e(3, 20, 'settings.retention.sweepInterval', '500ms is too short', {
      expected: 'a duration from 1s to 7d',
    }),
  ],
  'retention-settings-wrong.yaml': [
    e(3, 27, 'settings.retention.maxDeletionsPerSweep', '0 is too small'),
    e(4, 13, 'settings.retention.dryRun', 'got the string "yes": write true or false'),
  ],
  // Policies present at all
  'policies-empty.yaml': [e(3, 11, 'policies', 'the list is empty')],
  'policies-missing.yaml': [e(1, 1, 'policies', 'no policies defined: the service would do nothing')],
  // YAML itself
  'yaml-syntax-error.yaml': [
    e(8, 5, '', 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'),
  ],
  'yaml-duplicate-key.yaml': [e(5, 5, '', 'duplicate key "timezone": already defined at line 4')],
  'yaml-tab-indent.yaml': [e(6, 1, '', 'Tabs are not allowed as indentation')],
  'yaml-unknown-tag.yaml': [e(4, 15, '', 'Unresolved tag: !zone')],
  'yaml-multiple-documents.yaml': [e(10, 1, '', 'more than one YAML document')],
  'yaml-alias-bomb.yaml': [e(2, 10, '', 'YAML aliases expand to more than 100 nodes')],
  // Several mistakes, all reported
  'several-mistakes.yaml': [
    e(2, 17, 'settings.pollInterval', '30 has no unit'),
    e(3, 25, 'settings.maxInFlightPerRegion', '9 is too large'),
    e(7, 15, 'policies[0].timezone', 'unknown time zone "Mars/Olympus"'),
    e(13, 9, 'policies[0].destinations[0].copyTag', 'did you mean "copyTags"?'),
    e(15, 15, 'policies[1].schedule', 'has 4 fields'),
    e(20, 17, 'policies[1].destinations[0].region', 'eu-west-1 is the source Region'),
  ],
  // Directories
  'settings-twice': [
    e(1, 1, 'settings', `settings are already defined in ${join(INVALID, 'settings-twice', 'a.yaml')}:1:1`, {
      file: 'b.yaml',
    }),
  ],
  'duplicate-name-across-files': [
    e(
      2,
      11,
      'policies[0].name',
      `already used by ${join(INVALID, 'duplicate-name-across-files', 'a.yaml')}:2:11`,
      {
        file: 'b.yml',
      },
    ),
  ],
  'duplicate-account-across-files': [
    e(
      2,
      11,
      'accounts[0].name',
      `account name "prod" is already used by ${join(INVALID, 'duplicate-account-across-files', 'a.yaml')}:2:11`,
      { file: 'b.yaml' },
    ),
  ],
  'mistakes-in-two-files': [
    e(2, 18, 'settings.startDeadline', '0s is too short', { file: 'a-settings.yaml' }),
    e(5, 15, 'policies[0].copyTags', 'got the number 1', { file: 'b-policies.yaml' }),
  ],
  'no-yaml-files': [e(0, 0, '', 'the directory holds no .yaml or .yml files', { file: '' })],
};

async function issuesOf(path: string): Promise<readonly ConfigIssue[]> {
  try {
    await loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error(`${path} loaded without error`);
}

describe('invalid policy files', () => {
  it('has a case for every fixture, and at least 30 of them', () => {
    const fixtures = readdirSync(INVALID).sort();
    expect(Object.keys(CASES).sort()).toEqual(fixtures);
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(CASES))('%s', async (fixture, expected) => {
    const path = join(INVALID, fixture);
    const issues = await issuesOf(path);
    const where = (want: Expected): string =>
      want.file === undefined || want.file === '' ? path : join(path, want.file);
    expect(
      issues.map(({ file, line, column, path: at, message }) => ({ file, line, column, path: at, message })),
    ).toEqual(
      expected.map((want) => ({
        file: where(want),
        line: want.line,
        column: want.column,
        path: want.path,
        message: expect.stringContaining(want.message) as unknown,
      })),
    );
    expected.forEach((want, i) => {
      if (want.expected !== undefined) expect(issues[i]?.expected).toBe(want.expected);
    });
  });
});

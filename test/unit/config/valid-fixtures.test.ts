import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Config, Settings } from '../../../src/config/types.js';
import { validateConfigDocuments } from '../../../src/config/validate-config-documents.js';

const VALID = fileURLToPath(new URL('../../fixtures/policies/valid/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../config/policies.example.yaml', import.meta.url));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEFAULTS: Settings = {
  pollIntervalMs: 30_000,
  maxInFlightPerRegion: 5,
  startDeadlineMs: 8 * HOUR,
  completionDeadlineMs: 48 * HOUR,
  outcomeRetentionCount: 10_000,
  outcomeRetentionMs: 30 * DAY,
  retention: { dryRun: false, maxDeletionsPerSweep: 20, sweepIntervalMs: HOUR },
};

/** Every object and array reachable from `value`, with its path, so a test can say which one is not frozen. */
function unfrozen(value: unknown, path = 'config'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.isFrozen(value) ? [] : [path];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => unfrozen(child, `${path}.${key}`))];
}

describe('valid policy files', () => {
  it('minimal.yaml: every default applied', async () => {
    const file = join(VALID, 'minimal.yaml');
    const config = await loadConfig(file);
    expect(config).toStrictEqual<Config>({
      settings: DEFAULTS,
      policies: [
        {
          name: 'minimal',
          account: 'default',
          schedule: '0 3 * * *',
          timezone: 'UTC',
          source: { region: 'eu-west-1', fileSystemIds: ['fs-0123456789abcdef0'], exclude: [] },
          destinations: [{ region: 'eu-central-1', copyTags: false, tags: {}, inRegion: false }],
          file,
        },
      ],
      accounts: [],
      files: [file],
    });
  });

  it('full.yaml: settings read, tags and copyTags merged per destination, in-Region copy, 6-field cron', async () => {
    const file = join(VALID, 'full.yaml');
    const config = await loadConfig(file);
    const policyTags = { 'dr-tier': 'gold', owner: 'platform team', empty: '' };
    expect(config).toStrictEqual<Config>({
      settings: {
        pollIntervalMs: 500,
        maxInFlightPerRegion: 3,
        startDeadlineMs: 2 * HOUR,
        completionDeadlineMs: 7 * DAY,
        outcomeRetentionCount: 500,
        outcomeRetentionMs: 90 * DAY,
        retention: DEFAULTS.retention,
      },
      policies: [
        {
          name: 'windows-prod',
          account: 'default',
          schedule: '0 */6 * * *',
          timezone: 'Europe/Berlin',
          source: {
            region: 'us-east-1',
            fileSystemIds: ['fs-0123456789abcdef0', 'fs-0fedcba987654321'],
            exclude: [],
          },
          destinations: [
            {
              region: 'us-west-2',
              kmsKeyId: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
              copyTags: true,
              tags: { ...policyTags, 'dr-tier': 'silver', site: 'us/west=2' },
              inRegion: false,
            },
            { region: 'us-east-1', copyTags: false, tags: policyTags, inRegion: true },
            {
              region: 'eu-west-1',
              kmsKeyId: 'alias/fsx-dr',
              copyTags: true,
              tags: policyTags,
              inRegion: false,
            },
          ],
          rpoMs: 8 * HOUR,
          file,
        },
        {
          name: 'lustre-every-30s',
          account: 'default',
          schedule: '*/30 * * * * *',
          timezone: 'UTC',
          source: { region: 'us-gov-west-1', fileSystemIds: ['fs-00000000'], exclude: [] },
          destinations: [{ region: 'us-gov-east-1', copyTags: true, tags: {}, inRegion: false }],
          file,
        },
      ],
      accounts: [],
      files: [file],
    });
  });

  it('a directory: *.yaml and *.yml in name order, hidden and other files skipped, aliases resolved', async () => {
    const dir = join(VALID, 'split');
    const config = await loadConfig(dir);
    const policies = join(dir, '20-policies.yml');
    const west = [
      {
        region: 'us-west-2',
        kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        copyTags: false,
        tags: {},
        inRegion: false,
      },
    ];
    expect(config).toStrictEqual<Config>({
      settings: { ...DEFAULTS, maxInFlightPerRegion: 2 },
      policies: [
        {
          name: 'openzfs-nightly',
          account: 'default',
          schedule: '30 1 * * *',
          timezone: 'America/New_York',
          source: { region: 'us-east-2', fileSystemIds: ['fs-0aaaaaaaaaaaaaaaa'], exclude: [] },
          destinations: west,
          file: policies,
        },
        {
          name: 'lustre-weekly',
          account: 'default',
          schedule: '0 4 * * SUN',
          timezone: 'UTC',
          source: { region: 'us-east-1', fileSystemIds: ['fs-0bbbbbbbbbbbbbbbb'], exclude: [] },
          destinations: west,
          file: policies,
        },
      ],
      accounts: [],
      files: [join(dir, '10-settings.yaml'), policies],
    });
  });

  it('retention.yaml: settings read, rules complete (0 for off), a destination’s rules replace the policy’s', async () => {
    const config = await loadConfig(join(VALID, 'retention.yaml'));
    const off = { keepLast: 0, keepHourly: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0, keepYearly: 0 };
    expect(config.settings.retention).toStrictEqual({
      dryRun: true,
      maxDeletionsPerSweep: 5,
      sweepIntervalMs: 15 * 60_000,
    });
    const [prod, other] = config.policies;
    expect(prod?.destinations.map((d) => [d.region, d.retention])).toStrictEqual([
      ['us-west-2', { ...off, keepLast: 1, keepMonthly: 6, keepWithinMs: 0 }],
      [
        'eu-west-1',
        {
          keepLast: 3,
          keepHourly: 0,
          keepDaily: 7,
          keepWeekly: 4,
          keepMonthly: 12,
          keepYearly: 0,
          keepWithinMs: 48 * HOUR,
        },
      ],
    ]);
    // Without retention anywhere, a destination has none: its copies are kept for ever.
    expect(other?.destinations.map((d) => [d.region, d.retention])).toStrictEqual([
      ['us-west-2', { ...off, keepWithinMs: 7 * DAY }],
      ['eu-west-1', undefined],
    ]);
    expect(other?.destinations[1]).not.toHaveProperty('retention');
  });

  it('accounts-and-selectors.yaml: accounts, selectors with default types, ids and a selector together', async () => {
    const file = join(VALID, 'accounts-and-selectors.yaml');
    const config = await loadConfig(file);
    expect(config.accounts).toStrictEqual<Config['accounts']>([
      {
        name: 'prod',
        roleArn: 'arn:aws:iam::111122223333:role/fsx-dr-copier',
        externalId: 'fsx-dr:prod/2026',
      },
      { name: 'gov', roleArn: 'arn:aws-us-gov:iam::444455556666:role/dr/fsx-dr-copier' },
    ]);
    expect(config.accounts[1]).not.toHaveProperty('externalId');
    expect(config.policies.map((p) => [p.name, p.account, p.source])).toStrictEqual([
      [
        'gold',
        'prod',
        {
          region: 'us-east-1',
          fileSystemIds: [],
          selector: { tags: { 'dr-tier': 'gold', owner: '*' }, fileSystemTypes: ['WINDOWS', 'OPENZFS'] },
          exclude: ['fs-0fedcba9876543210'],
        },
      ],
      [
        'any-tagged',
        'default',
        {
          region: 'eu-west-1',
          fileSystemIds: [],
          selector: { tags: { backup: '*' }, fileSystemTypes: ['WINDOWS', 'LUSTRE', 'OPENZFS'] },
          exclude: [],
        },
      ],
      [
        'gov-lustre',
        'gov',
        {
          region: 'us-gov-west-1',
          fileSystemIds: ['fs-0123456789abcdef0'],
          selector: { tags: {}, fileSystemTypes: ['LUSTRE'] },
          exclude: [],
        },
      ],
    ]);
  });

  it('split-accounts: accounts from every file, in load order, named by policies in any file', async () => {
    const dir = join(VALID, 'split-accounts');
    const config = await loadConfig(dir);
    expect(config.accounts.map((a) => a.name)).toEqual(['prod', 'staging']);
    expect(config.policies.map((p) => [p.name, p.account])).toEqual([
      ['prod-windows', 'prod'],
      ['staging-windows', 'staging'],
    ]);
    expect(config.policies[0]?.source).not.toHaveProperty('selector');
    expect(config.files).toEqual([join(dir, '10-accounts.yaml'), join(dir, '20-policies.yaml')]);
  });

  it.each([
    'minimal.yaml',
    'full.yaml',
    'split',
    'retention.yaml',
    'accounts-and-selectors.yaml',
    'split-accounts',
  ])('%s loads deeply frozen', async (fixture) => {
    const config = await loadConfig(join(VALID, fixture));
    expect(unfrozen(config)).toEqual([]);
    expect(() => {
      (config.policies as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (config.settings as { maxInFlightPerRegion: number }).maxInFlightPerRegion = 99;
    }).toThrow(TypeError);
  });

  it('config/policies.example.yaml is valid and means what its comments say', async () => {
    const config = await loadConfig(EXAMPLE);
    expect(config.settings).toStrictEqual(DEFAULTS);
    expect(config.policies.map((p) => [p.name, p.schedule, p.timezone, p.destinations.length])).toEqual([
      ['windows-prod', '0 */6 * * *', 'Europe/Berlin', 2],
      ['analytics-daily', '0 2 * * *', 'UTC', 1],
    ]);
    expect(
      config.policies[0]?.destinations.map((d) => [
        d.region,
        d.kmsKeyId?.startsWith(`arn:aws:kms:${d.region}:`),
        d.tags['dr-tier'],
      ]),
    ).toEqual([
      ['eu-west-1', true, 'gold'],
      ['us-east-1', true, 'silver'],
    ]);
  });

  it('config/policies.example.yaml: the commented accounts and selector examples are valid once uncommented', () => {
    const text = uncommentExamples(readFileSync(EXAMPLE, 'utf8'), ['accounts:', '- name: gold-by-tag']);
    const result = validateConfigDocuments([{ file: EXAMPLE, text }]);
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    expect(result.config.accounts.map((a) => a.name)).toEqual(['prod']);
    expect(result.config.policies.find((p) => p.name === 'gold-by-tag')).toMatchObject({
      account: 'prod',
      source: { fileSystemIds: [], selector: { fileSystemTypes: ['WINDOWS', 'OPENZFS'] } },
    });
  });
});

/** The text with each commented block that starts with one of `starts` (`# <start>`) uncommented, up to its end. */
function uncommentExamples(text: string, starts: readonly string[]): string {
  let inBlock = false;
  return text
    .split('\n')
    .map((line) => {
      const comment = /^(\s*)# ?(.*)$/.exec(line);
      if (comment !== null && starts.some((start) => comment[2]?.startsWith(start))) inBlock = true;
      else if (comment === null) inBlock = false;
      return inBlock && comment !== null ? `${comment[1] ?? ''}${comment[2] ?? ''}` : line;
    })
    .join('\n');
}

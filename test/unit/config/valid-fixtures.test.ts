import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Config, Settings } from '../../../src/config/types.js';

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
          schedule: '0 3 * * *',
          timezone: 'UTC',
          source: { region: 'eu-west-1', fileSystemIds: ['fs-0123456789abcdef0'] },
          destinations: [{ region: 'eu-central-1', copyTags: false, tags: {}, inRegion: false }],
          file,
        },
      ],
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
          schedule: '0 */6 * * *',
          timezone: 'Europe/Berlin',
          source: { region: 'us-east-1', fileSystemIds: ['fs-0123456789abcdef0', 'fs-0fedcba987654321'] },
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
          schedule: '*/30 * * * * *',
          timezone: 'UTC',
          source: { region: 'us-gov-west-1', fileSystemIds: ['fs-00000000'] },
          destinations: [{ region: 'us-gov-east-1', copyTags: true, tags: {}, inRegion: false }],
          file,
        },
      ],
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
          schedule: '30 1 * * *',
          timezone: 'America/New_York',
          source: { region: 'us-east-2', fileSystemIds: ['fs-0aaaaaaaaaaaaaaaa'] },
          destinations: west,
          file: policies,
        },
        {
          name: 'lustre-weekly',
          schedule: '0 4 * * SUN',
          timezone: 'UTC',
          source: { region: 'us-east-1', fileSystemIds: ['fs-0bbbbbbbbbbbbbbbb'] },
          destinations: west,
          file: policies,
        },
      ],
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

  it.each(['minimal.yaml', 'full.yaml', 'split', 'retention.yaml'])(
    '%s loads deeply frozen',
    async (fixture) => {
      const config = await loadConfig(join(VALID, fixture));
      expect(unfrozen(config)).toEqual([]);
      expect(() => {
        (config.policies as unknown[]).push({});
      }).toThrow(TypeError);
      expect(() => {
        (config.settings as { maxInFlightPerRegion: number }).maxInFlightPerRegion = 99;
      }).toThrow(TypeError);
    },
  );

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
});

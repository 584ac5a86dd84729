import * as z from 'zod';
import { accountSchema } from './account-schema.js';
import { durationPattern } from './duration.js';
import type { DurationUnit } from './duration.js';
import { field, fieldInfo, POLICY_NAME_PATTERN, region, tags } from './schema-field.js';
import type { FieldInfo } from './schema-field.js';
import { sourceSchema } from './source-schema.js';

/**
 * The zod schema of one policy file, as a user writes it (strings for durations, optional keys without defaults).
 * It is the single source of the file's shape: validation runs it, and scripts/generate-policy-schema.ts turns it
 * into config/policy.schema.json for editors. Checks that need more than one value or a lookup (cron, time zones,
 * partitions, duplicates, duration ranges, tag characters, account names) live in the check-*.ts files beside it;
 * the source and account entries have schema files of their own.
 */

export const POLL_INTERVAL_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h'];
export const DEADLINE_UNITS: readonly DurationUnit[] = ['ms', 's', 'm', 'h', 'd'];

/** A duration string; `defaultValue` (when there is one) is documented and put in the JSON Schema. */
function duration(
  units: readonly DurationUnit[],
  description: string,
  example: string,
  defaultValue?: string,
): z.ZodString {
  const schema = field(
    z.string().regex(new RegExp(durationPattern(units))),
    `${description} A number with a unit (${units.join(', ')}).${defaultValue === undefined ? '' : ` Default ${defaultValue}.`}`,
    {
      expected: `a duration: a whole number and a unit (${units.join(', ')}), e.g. "${example}"`,
      noun: 'a duration',
      hint: 'duration',
    },
  );
  return defaultValue === undefined ? schema : schema.meta({ default: defaultValue });
}

const copyTags = (description: string) =>
  field(z.boolean(), description, { expected: 'true or false', hint: 'boolean' });

const ruleCount = (description: string) =>
  field(z.int().min(0).max(1_000_000), description, {
    expected: 'a whole number from 0 to 1000000',
  }).optional();

/**
 * Which copies of a (file system, destination Region) pair to keep, with restic's `forget --keep-*` meaning: a copy
 * is kept when any rule keeps it; 0 (or leaving a rule out) turns that rule off.
 */
export const retentionRulesSchema = field(
  z.strictObject({
    keepLast: ruleCount('Keep the newest N copies.'),
    keepHourly: ruleCount('Keep the newest copy of each of the last N hours that have one.'),
    keepDaily: ruleCount(
      "Keep the newest copy of each of the last N days that have one (days in the policy's time zone).",
    ),
    keepWeekly: ruleCount('Keep the newest copy of each of the last N ISO weeks that have one.'),
    keepMonthly: ruleCount('Keep the newest copy of each of the last N months that have one.'),
    keepYearly: ruleCount('Keep the newest copy of each of the last N years that have one.'),
    keepWithin: duration(
      DEADLINE_UNITS,
      "Keep every copy whose recovery point is within this of the newest copy's (measured from the newest copy, so nothing ages out while copies fail), 0s to 3650d.",
      '48h',
    ).optional(),
  }),
  'Which copies to keep; without retention every copy is kept for ever. At least one rule above 0.',
  {
    expected:
      'a mapping of keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly and/or keepWithin',
  },
);

export const retentionSettingsSchema = field(
  z.strictObject({
    dryRun: field(
      z.boolean(),
      'Decide and log what retention would delete (retention.would_delete), and delete nothing. Default false.',
      { expected: 'true or false', hint: 'boolean' },
    )
      .meta({ default: false })
      .optional(),
    maxDeletionsPerSweep: field(
      z.int().min(1).max(10_000),
      'Most copies one sweep deletes per destination Region (and account); the rest wait for the next sweep. Default 20.',
      { expected: 'a whole number from 1 to 10000' },
    )
      .meta({ default: 20 })
      .optional(),
    sweepInterval: duration(
      DEADLINE_UNITS,
      'How often every pair is swept, 1s to 7d (a pair is also swept right after each copy of it succeeds).',
      '1h',
      '1h',
    ).optional(),
  }),
  'How retention runs: dry run, the deletion limit per sweep, and the sweep interval.',
  { expected: 'a mapping with dryRun, maxDeletionsPerSweep and/or sweepInterval' },
);

export const settingsSchema = field(
  z.strictObject({
    pollInterval: duration(
      POLL_INTERVAL_UNITS,
      'How often an in-flight copy is checked, 10ms to 1h (below 1s only makes sense against a simulator).',
      '30s',
      '30s',
    ).optional(),
    maxInFlightPerRegion: field(
      z.int().min(1).max(5),
      'Copies in flight per destination Region across all workers, 1 to 5 (FSx allows five). Default 5.',
      { expected: 'a whole number from 1 to 5 (FSx allows five copies in progress per destination Region)' },
    )
      .meta({ default: 5 })
      .optional(),
    startDeadline: duration(
      DEADLINE_UNITS,
      'How long a copy may wait for its source backup to become AVAILABLE, 1m to 30d.',
      '8h',
      '8h',
    ).optional(),
    completionDeadline: duration(
      DEADLINE_UNITS,
      "How long a started copy may run before it is recorded as 'expired', 1m to 30d.",
      '48h',
      '48h',
    ).optional(),
    outcomeRetention: field(
      z.strictObject({
        maxCount: field(z.int().min(1).max(1_000_000), 'Outcome records kept, at most. Default 10000.', {
          expected: 'a whole number from 1 to 1000000',
        })
          .meta({ default: 10_000 })
          .optional(),
        maxAge: duration(
          DEADLINE_UNITS,
          'Outcome records kept, at most this old, 1h to 365d.',
          '30d',
          '30d',
        ).optional(),
      }),
      'How many copy outcomes are kept, and for how long.',
      { expected: 'a mapping with maxCount and/or maxAge' },
    ).optional(),
    retention: retentionSettingsSchema.optional(),
  }),
  'Service-wide settings. May appear in one file only.',
  { expected: 'a mapping of settings' },
);

export const destinationSchema = field(
  z.strictObject({
    region: region('The Region the backups are copied to.'),
    kmsKeyId: field(
      z.string().min(1).max(2048),
      "KMS key in the destination Region (key id, key ARN, alias or alias ARN). Default: FSx's managed key.",
      { expected: 'a KMS key id, key ARN, alias name or alias ARN in the destination Region' },
    ).optional(),
    copyTags: copyTags("Copy the source backup's tags. Default: the policy's copyTags.").optional(),
    tags: tags("Tags for the copies in this Region, merged over the policy's tags.").optional(),
    inRegion: field(
      z.boolean(),
      'Must be true when the destination is the source Region (an in-Region copy).',
      {
        expected: 'true or false',
        hint: 'boolean',
      },
    ).optional(),
    retention: retentionRulesSchema.optional(),
  }),
  'A Region to copy backups to.',
  { expected: 'a mapping with region and optionally kmsKeyId, copyTags, tags, inRegion, retention' },
);

export const policySchema = field(
  z.strictObject({
    name: field(
      z.string().regex(POLICY_NAME_PATTERN),
      'Unique policy name: lowercase letters, digits and -, 1 to 63 characters.',
      {
        expected:
          'lowercase letters, digits and -, 1 to 63 characters, starting and ending with a letter or digit',
        noun: 'a valid policy name',
      },
    ),
    account: field(
      z.string().regex(POLICY_NAME_PATTERN),
      "The account (a name under accounts:) whose role the policy's FSx calls assume. Default: the service's own credentials.",
      {
        expected: "the name of an account under accounts:, or no account for the service's own credentials",
        noun: 'a valid account name',
      },
    ).optional(),
    schedule: field(
      z.string().min(1),
      'Cron expression: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first.',
      { expected: 'a cron expression of 5 fields, or 6 with seconds first, e.g. "0 */6 * * *"' },
    ),
    timezone: field(z.string().min(1), 'IANA time zone the schedule is read in. Default UTC.', {
      expected: 'an IANA time zone such as Europe/Berlin, or UTC',
    })
      .meta({ default: 'UTC' })
      .optional(),
    source: sourceSchema,
    destinations: field(z.array(destinationSchema).min(1), 'Regions to copy to; at least one, each once.', {
      expected: 'a list of at least one destination, each with a region',
      hint: 'list',
    }),
    rpo: duration(
      DEADLINE_UNITS,
      'Recovery point objective: the newest copy in each destination must be of a backup taken less than this long ago, 1m to 365d; a breach is logged as rpo.breach. Optional: without it the RPO is not watched.',
      '26h',
    ).optional(),
    copyTags: copyTags("Copy the source backup's tags to the copies. Default false.")
      .meta({ default: false })
      .optional(),
    tags: tags('Tags put on every copy of this policy.').optional(),
    retention: retentionRulesSchema.optional(),
  }),
  'One copy policy.',
  { expected: 'a mapping with name, schedule, source and destinations' },
);

export const policyFileSchema = field(
  z.strictObject({
    settings: settingsSchema.optional(),
    accounts: field(
      z.array(accountSchema).min(1),
      'AWS accounts reached by assuming a role, for policies that name one; names unique across all files.',
      { expected: 'a list of at least one account, each with name and roleArn', hint: 'list' },
    ).optional(),
    policies: field(z.array(policySchema).min(1), 'The copy policies; names unique across all files.', {
      expected: 'a list of at least one policy',
      hint: 'list',
    }).optional(),
  }),
  'An fsx-dr-scheduler policy file. A directory of such files may split settings, accounts and policies across files.',
  { expected: 'a mapping with settings and/or policies, and optionally accounts' },
).meta({ title: 'fsx-dr-scheduler policy file' });

export type PolicyFileInput = z.infer<typeof policyFileSchema>;
export type { AccountInput } from './account-schema.js';
export type { SelectorInput, SourceInput } from './source-schema.js';
export type PolicyInput = z.infer<typeof policySchema>;
export type DestinationInput = z.infer<typeof destinationSchema>;
export type SettingsInput = z.infer<typeof settingsSchema>;
export type RetentionRulesInput = z.infer<typeof retentionRulesSchema>;

/** The JSON Schema of a policy file, for editors (`# yaml-language-server: $schema=...`). */
export function policyFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(policyFileSchema, { target: 'draft-2020-12' });
}

/** The schema a path into a policy file leads to (through lists, optional keys and tag maps), if any. */
export function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = policyFileSchema;
  for (const segment of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
  }
  return current;
}

/** The FieldInfo of a schema, looking through `.optional()`. */
export function fieldInfoOf(schema: z.ZodType | undefined): FieldInfo | undefined {
  if (schema === undefined) return undefined;
  return fieldInfo.get(schema) ?? fieldInfo.get(unwrap(schema) ?? schema);
}

export function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}

import * as z from 'zod';
import { REGION_PATTERN } from './partition.js';

/**
 * The building blocks of the policy file's zod schema, shared by policy-schema.ts, source-schema.ts and
 * account-schema.ts: each field carries, beside its JSON Schema description, what a finding about it should say.
 */

/** Which extra hint a wrong-typed value gets. */
export type TypeHint = 'duration' | 'boolean' | 'tag-value' | 'list';

/** What an issue about a field says was expected, kept beside the schema rather than in the JSON Schema output. */
export interface FieldInfo {
  /** Shown as "expected ...". */
  readonly expected: string;
  /** "is not <noun>" when a value has the right type but the wrong form. */
  readonly noun?: string;
  readonly hint?: TypeHint;
  /**
   * A sharper message for a value of the wrong form than "is not <noun>", when the value shows what was meant
   * (an account id where a role ARN belongs, ONTAP among the file system types); undefined for the plain one.
   */
  readonly invalid?: (value: unknown) => string | undefined;
}

export const fieldInfo = z.registry<FieldInfo>();

export function field<T extends z.ZodType>(schema: T, description: string, info: FieldInfo): T {
  const described = schema.describe(description);
  fieldInfo.add(described, info);
  return described;
}

export const POLICY_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const FILE_SYSTEM_ID_PATTERN = /^fs-[0-9a-f]{8,18}$/;

export const region = (description: string): z.ZodString =>
  field(z.string().regex(REGION_PATTERN), description, {
    expected: 'an AWS Region name such as us-east-1, eu-central-2 or us-gov-west-1',
    noun: 'an AWS Region name',
  });

export const tags = (description: string) =>
  field(
    z.record(
      field(z.string().min(1).max(128), 'Tag key.', { expected: 'a tag key of 1 to 128 characters' }),
      field(z.string().max(256), 'Tag value.', {
        expected: 'a tag value: a string of at most 256 characters',
        hint: 'tag-value',
      }),
    ),
    description,
    { expected: 'a mapping of tag keys to values, e.g. { dr-tier: gold }' },
  );

export const fileSystemId = (description: string) =>
  field(z.string().regex(FILE_SYSTEM_ID_PATTERN), description, {
    expected: 'an FSx file system id: fs- and 8 to 18 lowercase hex digits, e.g. fs-0123456789abcdef0',
    noun: 'an FSx file system id',
  });

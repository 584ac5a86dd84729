import * as z from 'zod';
import type { Finding, PathSegment } from './finding.js';
import { describeValue, isRecord, valueAt, quote } from './finding.js';
import type { FieldInfo } from './schema-field.js';
import { fieldInfoOf, schemaAt, unwrap } from './policy-schema.js';
import { closestMatch } from './suggest.js';

/** Names users reach for that are too far from ours for the edit distance to catch. */
const KEY_SYNONYMS: Readonly<Record<string, string>> = {
  tz: 'timezone',
  cron: 'schedule',
  kms: 'kmsKeyId',
  kmsKey: 'kmsKeyId',
  kmsKeyArn: 'kmsKeyId',
  targets: 'destinations',
  fileSystems: 'fileSystemIds',
  policy: 'policies',
  role: 'roleArn',
  arn: 'roleArn',
  types: 'fileSystemTypes',
};

/** Turns zod's issues for one file into findings a user can act on, with "did you mean" for unknown keys. */
export function findingsFromZod(issues: readonly z.core.$ZodIssue[], root: unknown): Finding[] {
  const findings = issues.flatMap((issue) => findingsFromIssue(issue, root));
  // "unknown key schedul; did you mean schedule?" already says what "missing required key schedule" would.
  const suggested = new Set(findings.flatMap((f) => (f.suggests === undefined ? [] : [f.suggests])));
  return findings
    .filter((f) => f.missing === undefined || !suggested.has(f.missing))
    .map(({ path, message, expected, target }) =>
      expected === undefined ? { path, message, target } : { path, message, expected, target },
    );
}

/** A finding with what it tells about keys, so a missing key that an unknown key's suggestion names is dropped. */
interface KeyFinding extends Finding {
  /** `parent path + key` of a missing required key. */
  readonly missing?: string;
  /** `parent path + key` an unknown key is suggested to be. */
  readonly suggests?: string;
}

function keyId(parent: readonly PathSegment[], key: string): string {
  return JSON.stringify([...parent, key]);
}

function findingsFromIssue(issue: z.core.$ZodIssue, root: unknown): KeyFinding[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s === 'string' || typeof s === 'number');
  const info = fieldInfoOf(schemaAt(path));
  const value = valueAt(root, path);
  const expected = info?.expected;
  const finding = (message: string, target: Finding['target'] = 'value'): Finding =>
    expected === undefined ? { path, message, target } : { path, message, expected, target };

  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key));
    case 'invalid_type': {
      if (value === undefined && isMissingKey(root, path)) {
        const key = String(path[path.length - 1]);
        return [
          { ...finding(`missing required key "${key}"`, 'parent'), missing: keyId(path.slice(0, -1), key) },
        ];
      }
      if (issue.expected === 'int' && typeof value === 'number')
        return [finding(`${value} is not a whole number`)];
      return [finding(typeMismatch(value, info))];
    }
    case 'invalid_format':
      return [
        finding(
          info?.invalid?.(value) ?? `${describeValue(value)} is not ${info?.noun ?? 'in the expected form'}`,
        ),
      ];
    case 'too_small':
    case 'too_big':
      return [finding(sizeMessage(issue, value))];
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      return [
        {
          path,
          message: `tag key ${quote(key)} is ${key.length} characters long; tag keys have 1 to 128`,
          expected: 'a tag key of 1 to 128 characters',
          target: 'key',
        },
      ];
    }
    case 'invalid_value': {
      // An enum's value: say what it is not in the field's words, not zod's list of options.
      const message =
        info?.invalid?.(value) ??
        (info?.noun === undefined ? undefined : `${describeValue(value)} is not ${info.noun}`);
      return [finding(message ?? issue.message)];
    }
    case 'invalid_union':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'custom':
      return [finding(issue.message)];
  }
}

function unknownKey(path: readonly PathSegment[], key: string): KeyFinding {
  const schema = unwrap(schemaAt(path));
  const allowed = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const synonym = KEY_SYNONYMS[key];
  const suggestion =
    synonym !== undefined && allowed.includes(synonym) ? synonym : closestMatch(key, allowed);
  return {
    path: [...path, key],
    message: `unknown key "${key}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
    expected: `one of: ${allowed.join(', ')}`,
    target: 'key',
    ...(suggestion === undefined ? {} : { suggests: keyId(path, suggestion) }),
  };
}

function isMissingKey(root: unknown, path: readonly PathSegment[]): boolean {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  return isRecord(parent) && last !== undefined && !Object.hasOwn(parent, last);
}

function typeMismatch(value: unknown, info: FieldInfo | undefined): string {
  switch (info?.hint) {
    case 'duration':
      if (typeof value === 'number')
        return `${value} has no unit: write e.g. "${value}s", "${value}m" or "${value}h"`;
      break;
    case 'boolean':
      if (typeof value === 'string')
        return `got ${describeValue(value)}: write true or false, without quotes`;
      break;
    case 'tag-value':
      if (typeof value === 'number' || typeof value === 'boolean') {
        return `got ${describeValue(value)}: tag values are strings; quote it, e.g. "${String(value)}"`;
      }
      break;
    case 'list':
      if (typeof value === 'string')
        return `got a single value ${quote(value)}: write a list, e.g. [${value}]`;
      break;
    case undefined:
      break;
  }
  return `got ${describeValue(value)}`;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  if (Array.isArray(value))
    return value.length === 0 ? 'the list is empty' : `the list has ${value.length} items`;
  if (typeof value === 'string') {
    return value.length === 0
      ? 'the value is empty'
      : `${describeValue(value)} is ${value.length} characters long`;
  }
  if (typeof value === 'number')
    return `${value} is ${issue.code === 'too_small' ? 'too small' : 'too large'}`;
  return issue.message;
}

import { badRequest, constraintViolation } from './simulated-fsx-error.js';

/**
 * The FSx model's constraints, enforced here because the SDK checks nothing on the client side: a request the real
 * service would reject with `BadRequest` must be rejected by the simulator too, or a bug passes every test.
 */
export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
}

/** Patterns and lengths from the FSx API model (`fsx/2018-03-01`). */
export const RULES = {
  backupId: { min: 12, max: 128, pattern: /^(backup-[0-9a-f]{8,})$/ },
  fileSystemId: { min: 11, max: 21, pattern: /^(fs-[0-9a-f]{8,})$/ },
  volumeId: { min: 23, max: 23, pattern: /^(fsvol-[0-9a-f]{17,})$/ },
  region: { min: 1, max: 20, pattern: /^[a-z0-9-]{1,20}$/ },
  kmsKeyId: { min: 1, max: 2048, pattern: /^.{1,2048}$/s },
  clientRequestToken: { min: 1, max: 63, pattern: /^[A-Za-z0-9_.-]{0,63}$/ },
  tagKey: { min: 1, max: 128, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u },
  tagValue: { min: 0, max: 256, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u },
  nextToken: {
    min: 1,
    max: 255,
    pattern: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  },
  filterValue: { min: 1, max: 128, pattern: /^[0-9a-zA-Z*./\\?\-_]*$/ },
} as const satisfies Record<string, StringRule>;

/** A JSON request body: must be an object. */
export function requestObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function checkString(value: unknown, member: string, rule: StringRule): string {
  if (typeof value !== 'string') throw badRequest(`Member '${member}' must be a string.`);
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min) {
    throw constraintViolation(member, value, `Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && length > rule.max) {
    throw constraintViolation(member, value, `Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw constraintViolation(
      member,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
    );
  }
  return value;
}

export function optionalString(
  obj: Record<string, unknown>,
  member: string,
  rule: StringRule,
): string | undefined {
  const value = obj[member];
  return value === undefined || value === null ? undefined : checkString(value, member, rule);
}

export function requiredString(obj: Record<string, unknown>, member: string, rule: StringRule): string {
  const value = optionalString(obj, member, rule);
  if (value === undefined) throw badRequest(`Member '${member}' is required.`);
  return value;
}

export function optionalBoolean(obj: Record<string, unknown>, member: string): boolean | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`Member '${member}' must be a boolean.`);
  return value;
}

export function optionalInteger(
  obj: Record<string, unknown>,
  member: string,
  min: number,
  max: number,
): number | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw badRequest(`Member '${member}' must be an integer.`);
  }
  if (value < min)
    throw constraintViolation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw constraintViolation(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** A list member with FSx's length bounds; each item checked by `item`. */
export function optionalList<T>(
  obj: Record<string, unknown>,
  member: string,
  bounds: { min: number; max: number },
  item: (value: unknown, path: string) => T,
): T[] | undefined {
  const value = obj[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest(`Member '${member}' must be a list.`);
  if (value.length < bounds.min) {
    throw constraintViolation(
      member,
      value,
      `Member must have length greater than or equal to ${bounds.min}`,
    );
  }
  if (value.length > bounds.max) {
    throw constraintViolation(member, value, `Member must have length less than or equal to ${bounds.max}`);
  }
  return value.map((v: unknown, i) => item(v, `${member}.${i + 1}`));
}

/** An FSx tag as the model types it. */
export interface WireTag {
  readonly Key: string;
  readonly Value: string;
}

/** `Tags`: 1–50 tags; an empty list is invalid (omit the member instead); keys 1–128, values 0–256. */
export function optionalTags(obj: Record<string, unknown>, member = 'Tags'): WireTag[] | undefined {
  const tags = optionalList(obj, member, { min: 1, max: 50 }, (value, path) => {
    const tag = requestObject(value);
    const key = requiredString(tag, 'Key', RULES.tagKey);
    if (key.toLowerCase().startsWith('aws:')) {
      throw badRequest(`Tag keys starting with 'aws:' are reserved (${path}).`);
    }
    return { Key: key, Value: requiredString(tag, 'Value', RULES.tagValue) };
  });
  if (tags && new Set(tags.map((t) => t.Key)).size !== tags.length) {
    throw badRequest(`Member '${member}' has duplicate tag keys.`);
  }
  return tags;
}

/** A string item of a list, under the same kind of rule as a string member. */
export function stringItem(rule: StringRule): (value: unknown, path: string) => string {
  return (value, path) => checkString(value, path, rule);
}

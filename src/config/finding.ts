/** One step into a policy file: a mapping key or a list index. */
export type PathSegment = string | number;

/**
 * A problem found in one file, before it is given a line and column. `target` says where to point: at the value,
 * at the key itself (unknown keys, tag keys), or at the mapping that should hold a missing key.
 */
export interface Finding {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly expected?: string;
  readonly target: 'key' | 'value' | 'parent';
}

/** `policies[0].destinations[1].region`; keys that are not plain identifiers are quoted: `tags["aws:x"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at `path` in parsed YAML, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment] as unknown;
    else if (isRecord(current) && Object.hasOwn(current, segment)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Characters that change how a terminal shows text without being seen: bidi overrides, zero-width marks, BOM.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * A user's string as a message shows it: quoted, cut to `max` characters (a 900 KB value must not become a 900 KB
 * line), and with invisible and bidi-control characters escaped so the message reads as the file does.
 */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max - 3)}...` : text;
  return JSON.stringify(shown).replace(
    INVISIBLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A short description of a YAML value for messages: `the string "abc"`, `the number 7`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  return typeof value;
}

import { ANY_TAG_VALUE } from './file-system-selector.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord, quote } from './finding.js';
import { SERVICE_TAG_COUNT, SERVICE_TAG_PREFIX } from './types.js';

/** FSx's tag character set (letters, separators, digits and `_ . : / = + - @`), for keys and values. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tags a user may put on one copy: FSx allows 50 per backup, the service adds its own. */
export const MAX_USER_TAGS = 50 - SERVICE_TAG_COUNT;

/** Checks the characters and reserved prefixes of a `tags:` mapping; lengths are the schema's. */
export function checkTags(tags: unknown, path: readonly PathSegment[]): Finding[] {
  if (!isRecord(tags)) return [];
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const keyPath = [...path, key];
    if (!TAG_CHARACTERS.test(key)) {
      findings.push(tagFinding(keyPath, `tag key ${quote(key)} has characters FSx does not allow`, 'key'));
    } else if (key.toLowerCase().startsWith('aws:')) {
      findings.push({
        path: keyPath,
        message: `tag key ${quote(key)} starts with "aws:", which AWS reserves`,
        expected: 'a tag key not starting with aws:',
        target: 'key',
      });
    } else if (key.toLowerCase().startsWith(SERVICE_TAG_PREFIX)) {
      findings.push({
        path: keyPath,
        message: `tag key ${quote(key)} starts with "${SERVICE_TAG_PREFIX}", which this service reserves for the tags it puts on its copies`,
        expected: `a tag key not starting with ${SERVICE_TAG_PREFIX}`,
        target: 'key',
      });
    }
    if (typeof value === 'string' && !TAG_CHARACTERS.test(value)) {
      findings.push(
        tagFinding(keyPath, `tag value ${quote(value)} has characters FSx does not allow`, 'value'),
      );
    }
  }
  return findings;
}

/**
 * Checks the characters of a selector's `tags:`, which are matched against file systems' tags rather than put on
 * copies: the value `*` alone matches any value, and reserved prefixes are fine (AWS itself tags file systems
 * `aws:cloudformation:...`, and selecting by such a tag is legitimate).
 */
export function checkSelectorTags(tags: unknown, path: readonly PathSegment[]): Finding[] {
  if (!isRecord(tags)) return [];
  const findings: Finding[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const keyPath = [...path, key];
    if (!TAG_CHARACTERS.test(key)) {
      findings.push(tagFinding(keyPath, `tag key ${quote(key)} has characters FSx does not allow`, 'key'));
    }
    if (typeof value !== 'string' || value === ANY_TAG_VALUE || TAG_CHARACTERS.test(value)) continue;
    const wildcard = value.includes('*')
      ? `; "${ANY_TAG_VALUE}" alone matches any value, a part of a value cannot be a wildcard`
      : '';
    findings.push({
      ...tagFinding(
        keyPath,
        `tag value ${quote(value)} has characters FSx does not allow${wildcard}`,
        'value',
      ),
      expected: `letters, digits, spaces and _ . : / = + - @, or "${ANY_TAG_VALUE}" alone for any value`,
    });
  }
  return findings;
}

function tagFinding(path: readonly PathSegment[], message: string, target: Finding['target']): Finding {
  return {
    path,
    message,
    expected: 'letters, digits, spaces and _ . : / = + - @',
    target,
  };
}

/** Keys of a tag mapping, or none when it is not one. */
export function tagKeys(tags: unknown): string[] {
  return isRecord(tags) ? Object.keys(tags) : [];
}

import { checkSelectorTags } from './check-tags.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord } from './finding.js';
import { REGION_PATTERN } from './partition.js';
import { FILE_SYSTEM_ID_PATTERN } from './schema-field.js';
import { SELECTABLE_FILE_SYSTEM_TYPES } from './types.js';

const SOURCE_KEYS: readonly string[] = ['region', 'fileSystemIds', 'selector', 'exclude'];
const SELECTOR_KEYS: readonly string[] = ['tags', 'fileSystemTypes'];
const ALL_TYPES = `fileSystemTypes: [${SELECTABLE_FILE_SYSTEM_TYPES.join(', ')}]`;

/**
 * Checks of a policy's `source:` beyond its shape: it covers something (ids, a selector, or both), its selector is
 * not empty, and its lists hold no duplicates and do not contradict each other. Values of the wrong type are the
 * schema's to report, and a mapping with a key the schema does not know is not judged incomplete here.
 */
export function checkSource(source: unknown, path: readonly PathSegment[]): Finding[] {
  if (!isRecord(source)) return [];
  const { fileSystemIds, selector, exclude } = source;
  const findings: Finding[] = [];
  const knownKeysOnly = Object.keys(source).every((key) => SOURCE_KEYS.includes(key));
  if (fileSystemIds === undefined && selector === undefined && knownKeysOnly) {
    findings.push({
      path,
      message:
        'source has neither fileSystemIds nor selector: it would cover no file system; list ids, select by tags or type, or both',
      expected: 'fileSystemIds (a list of ids), a selector (tags and/or fileSystemTypes), or both',
      target: 'key',
    });
  }
  findings.push(...duplicates(fileSystemIds, [...path, 'fileSystemIds'], 'file system', isFileSystemId));
  const region =
    typeof source['region'] === 'string' && REGION_PATTERN.test(source['region'])
      ? source['region']
      : 'the Region';
  findings.push(...checkSelector(selector, [...path, 'selector'], region));
  findings.push(...duplicates(exclude, [...path, 'exclude'], 'file system', isFileSystemId));
  findings.push(...checkExclude(source, path));
  return findings;
}

function checkSelector(selector: unknown, path: readonly PathSegment[], region: string): Finding[] {
  if (!isRecord(selector)) return [];
  const { tags, fileSystemTypes } = selector;
  const findings = [
    ...checkSelectorTags(tags, [...path, 'tags']),
    ...duplicates(fileSystemTypes, [...path, 'fileSystemTypes'], 'file system type', isSelectableType),
  ];
  const knownKeysOnly = Object.keys(selector).every((key) => SELECTOR_KEYS.includes(key));
  const noTags = tags === undefined || (isRecord(tags) && Object.keys(tags).length === 0);
  if (noTags && fileSystemTypes === undefined && knownKeysOnly) {
    findings.push({
      path,
      message: `the selector has no tags and no fileSystemTypes: it would select every file system in ${region}; to mean that, say so with ${ALL_TYPES}`,
      expected: `a selector with at least one tag, or fileSystemTypes (e.g. ${ALL_TYPES})`,
      target: 'key',
    });
  }
  return findings;
}

/** An id both listed and excluded is a contradiction; an exclude without a selector has nothing to exclude from. */
function checkExclude(source: Readonly<Record<string, unknown>>, path: readonly PathSegment[]): Finding[] {
  const { fileSystemIds, selector, exclude } = source;
  if (!Array.isArray(exclude) || exclude.length === 0) return [];
  const listed = Array.isArray(fileSystemIds) ? fileSystemIds : [];
  const findings: Finding[] = [];
  for (const [index, id] of exclude.entries()) {
    if (!isFileSystemId(id)) continue;
    const at = listed.indexOf(id);
    if (at < 0) continue;
    findings.push({
      path: [...path, 'exclude', index],
      message: `${id} is both listed (fileSystemIds[${at}]) and excluded; remove it from one of the two`,
      expected: 'exclude only file systems the selector picks, never one listed in fileSystemIds',
      target: 'value',
    });
  }
  if (findings.length === 0 && selector === undefined) {
    findings.push({
      path: [...path, 'exclude'],
      message:
        'exclude without a selector excludes nothing: it removes file systems a selector picks; without one, list only the ids to copy',
      expected: 'exclude together with selector',
      target: 'key',
    });
  }
  return findings;
}

/** Items listed twice in a list, each reported at its second place. */
function duplicates(
  list: unknown,
  path: readonly PathSegment[],
  what: string,
  wellFormed: (item: unknown) => item is string,
): Finding[] {
  if (!Array.isArray(list)) return [];
  const name = String(path[path.length - 1]);
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of list.entries()) {
    if (!wellFormed(item)) continue;
    const first = seen.get(item);
    if (first === undefined) seen.set(item, index);
    else {
      findings.push({
        path: [...path, index],
        message: `${what} ${item} is already listed at ${name}[${first}]`,
        expected: `each ${what} once per policy`,
        target: 'value',
      });
    }
  }
  return findings;
}

function isFileSystemId(item: unknown): item is string {
  return typeof item === 'string' && FILE_SYSTEM_ID_PATTERN.test(item);
}

function isSelectableType(item: unknown): item is string {
  return (SELECTABLE_FILE_SYSTEM_TYPES as readonly unknown[]).includes(item);
}

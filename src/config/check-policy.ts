import { checkCronExpression } from '../schedule/check-cron-expression.js';
import { checkDestination } from './check-destination.js';
import { checkRetention } from './check-retention.js';
import { checkRpo } from './check-rpo.js';
import { checkSource } from './check-source.js';
import { checkTags, MAX_USER_TAGS, tagKeys } from './check-tags.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord, quote } from './finding.js';
import { partitionOf, REGION_PATTERN } from './partition.js';
import { isKnownTimeZone, suggestTimeZone, timeZoneProblem } from './time-zone.js';

/**
 * Checks of one policy that need more than its shape: the cron expression and time zone, partitions, in-Region
 * copies, duplicates, KMS keys, tags and what the source covers. Values of the wrong type are skipped; the schema
 * reports them. Its account is checked across files (check-accounts.ts): accounts may be defined in another file.
 */
export function checkPolicy(policy: unknown, path: readonly PathSegment[]): Finding[] {
  if (!isRecord(policy)) return [];
  const findings: Finding[] = [];
  const { schedule, timezone, source, destinations, tags } = policy;

  findings.push(...checkSchedule(schedule, [...path, 'schedule']));
  if (typeof timezone === 'string' && timezone !== '') {
    findings.push(...checkTimeZone(timezone, [...path, 'timezone']));
  }
  findings.push(...checkRpo(policy, path));
  findings.push(...checkRetention(policy['retention'], [...path, 'retention']));

  const sourceRegion =
    isRecord(source) && typeof source['region'] === 'string' && REGION_PATTERN.test(source['region'])
      ? source['region']
      : undefined;
  findings.push(...checkSource(source, [...path, 'source']));
  findings.push(...checkTags(tags, [...path, 'tags']));
  const policyTagKeys = tagKeys(tags);
  if (policyTagKeys.length > MAX_USER_TAGS) {
    findings.push(tooManyTags([...path, 'tags'], policyTagKeys.length, 'the policy has'));
  }
  if (Array.isArray(destinations)) {
    findings.push(...checkDestinations(destinations, [...path, 'destinations'], sourceRegion, policyTagKeys));
    if (sourceRegion !== undefined) findings.push(...partitionFindings(destinations, path, sourceRegion));
  }
  return findings;
}

function checkSchedule(schedule: unknown, path: readonly PathSegment[]): Finding[] {
  if (typeof schedule !== 'string' || schedule === '') return [];
  if (schedule.trim() === '') {
    // The schema reports an empty string; one of spaces only is just as empty.
    return [{ path, message: 'the value is empty', expected: 'a cron expression', target: 'value' }];
  }
  const problem = checkCronExpression(schedule);
  if (problem === undefined) return [];
  return [
    {
      path,
      message: `cron expression ${quote(schedule)}: ${problem}`,
      expected:
        'a cron expression of 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first',
      target: 'value',
    },
  ];
}

/** Each destination on its own, then what only the list shows: Regions listed twice, merged tag counts. */
function checkDestinations(
  destinations: readonly unknown[],
  path: readonly PathSegment[],
  sourceRegion: string | undefined,
  policyTagKeys: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const [index, destination] of destinations.entries()) {
    const destinationPath = [...path, index];
    findings.push(...checkDestination(destination, destinationPath, sourceRegion));
    if (!isRecord(destination)) continue;
    const region = destination['region'];
    const first = typeof region === 'string' ? seen.get(region) : undefined;
    if (typeof region === 'string' && first === undefined) seen.set(region, index);
    if (typeof region === 'string' && first !== undefined) {
      findings.push({
        path: [...destinationPath, 'region'],
        message: `destination Region ${region} is already listed at destinations[${first}]; copy to each Region once`,
        expected: 'each destination Region once per policy',
        target: 'value',
      });
    }
    const merged = new Set([...policyTagKeys, ...tagKeys(destination['tags'])]);
    if (policyTagKeys.length <= MAX_USER_TAGS && merged.size > MAX_USER_TAGS) {
      findings.push(tooManyTags([...destinationPath, 'tags'], merged.size, 'copies here would carry'));
    }
  }
  return findings;
}

function tooManyTags(path: readonly PathSegment[], count: number, subject: string): Finding {
  return {
    path,
    message: `${subject} ${count} tags (policy and destination tags merged); FSx allows 50 per backup and this service adds ${50 - MAX_USER_TAGS} of its own`,
    expected: `at most ${MAX_USER_TAGS} tags per copy`,
    target: 'key',
  };
}

function partitionFindings(
  destinations: unknown,
  path: readonly PathSegment[],
  sourceRegion: string,
): Finding[] {
  if (!Array.isArray(destinations)) return [];
  const sourcePartition = partitionOf(sourceRegion);
  const findings: Finding[] = [];
  for (const [index, destination] of destinations.entries()) {
    if (!isRecord(destination)) continue;
    const region = destination['region'];
    if (typeof region !== 'string' || !REGION_PATTERN.test(region)) continue;
    const partition = partitionOf(region);
    if (partition !== sourcePartition) {
      findings.push({
        path: [...path, 'destinations', index, 'region'],
        message: `${region} is in partition ${partition} but the source ${sourceRegion} is in ${sourcePartition}; FSx copies backups only within a partition`,
        expected: `a Region in partition ${sourcePartition}`,
        target: 'value',
      });
    }
  }
  return findings;
}

function checkTimeZone(zone: string, path: readonly PathSegment[]): Finding[] {
  const expected = 'an IANA time zone such as Europe/Berlin, America/New_York or UTC';
  if (!isKnownTimeZone(zone)) {
    const suggestion = suggestTimeZone(zone);
    const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
    return [{ path, message: `unknown time zone ${quote(zone)}${hint}`, expected, target: 'value' }];
  }
  const problem = timeZoneProblem(zone);
  return problem === undefined ? [] : [{ path, message: problem, expected, target: 'value' }];
}

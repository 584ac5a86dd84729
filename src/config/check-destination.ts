import { checkRetention } from './check-retention.js';
import { checkTags } from './check-tags.js';
import type { Finding, PathSegment } from './finding.js';
import { isRecord, quote } from './finding.js';
import { partitionOf, REGION_PATTERN } from './partition.js';

const KMS_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;
const KMS_KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const KMS_ALIAS = /^alias\/[A-Za-z0-9/_-]+$/;

/**
 * Checks of one destination against its policy's source: in-Region copies must be meant, and a KMS key must live
 * in the destination Region. Partitions are checked by the caller, once per policy.
 */
export function checkDestination(
  destination: unknown,
  path: readonly PathSegment[],
  sourceRegion: string | undefined,
): Finding[] {
  if (!isRecord(destination)) return [];
  const findings: Finding[] = [];
  const region =
    typeof destination['region'] === 'string' && REGION_PATTERN.test(destination['region'])
      ? destination['region']
      : undefined;
  const inRegion = destination['inRegion'];

  if (region !== undefined && sourceRegion !== undefined) {
    if (region === sourceRegion && inRegion !== true) {
      findings.push({
        path: [...path, 'region'],
        message: `destination ${region} is the source Region; if you mean an in-Region copy, add inRegion: true`,
        expected: 'a Region other than the source, or inRegion: true',
        target: 'value',
      });
    }
    if (region !== sourceRegion && inRegion === true) {
      findings.push({
        path: [...path, 'inRegion'],
        message: `inRegion is true but ${region} is not the source Region ${sourceRegion}`,
        expected: `inRegion: true only on a destination in ${sourceRegion}`,
        target: 'value',
      });
    }
  }
  const kmsKeyId = destination['kmsKeyId'];
  if (typeof kmsKeyId === 'string' && kmsKeyId !== '') {
    const problem = kmsProblem(kmsKeyId, region);
    if (problem !== undefined) findings.push({ path: [...path, 'kmsKeyId'], ...problem, target: 'value' });
  }
  findings.push(...checkTags(destination['tags'], [...path, 'tags']));
  findings.push(...checkRetention(destination['retention'], [...path, 'retention']));
  return findings;
}

function kmsProblem(
  key: string,
  region: string | undefined,
): { message: string; expected: string } | undefined {
  if (key.startsWith('arn:')) {
    const match = KMS_ARN.exec(key);
    if (match === null) {
      return {
        message: `${quote(key)} is not a KMS key or alias ARN`,
        expected: 'arn:<partition>:kms:<region>:<account>:key/<key-id> (or alias/<name>)',
      };
    }
    const [, partition, keyRegion] = match;
    if (region !== undefined && keyRegion !== region) {
      return {
        message: `the key is in ${keyRegion}, but copies to ${region} need a key in ${region}`,
        expected: `a KMS key in ${region}`,
      };
    }
    if (region !== undefined && partition !== partitionOf(region)) {
      return {
        message: `the key ARN names partition ${partition}, but ${region} is in ${partitionOf(region)}`,
        expected: `a KMS key ARN starting arn:${partitionOf(region)}:kms:${region}:`,
      };
    }
    return undefined;
  }
  if (KMS_KEY_ID.test(key) || KMS_ALIAS.test(key)) return undefined;
  return {
    message: `${quote(key)} is not a KMS key id, key ARN, alias or alias ARN`,
    expected: 'a key id (1234abcd-...), a key ARN, alias/<name> or an alias ARN, in the destination Region',
  };
}

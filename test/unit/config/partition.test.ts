import { describe, expect, it } from 'vitest';
import { partitionOf, REGION_PATTERN } from '../../../src/config/partition.js';

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['ap-southeast-4', 'aws'],
    ['il-central-1', 'aws'],
    ['mx-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
  ])('%s is in %s', (region, partition) => {
    expect(REGION_PATTERN.test(region)).toBe(true);
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('REGION_PATTERN', () => {
  it.each([
    'us-east1',
    'useast-1',
    'US-EAST-1',
    'us-east-',
    'us-east-123',
    'u-east-1',
    'us_east_1',
    ' us-east-1',
    '',
  ])('rejects %j', (region) => {
    expect(REGION_PATTERN.test(region)).toBe(false);
  });
});

/** AWS partitions. FSx copies a backup only between Regions of the same partition. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

/** Region name prefixes that mark a partition other than the commercial `aws`. Longest prefixes first. */
const PARTITION_PREFIXES: readonly (readonly [string, Partition])[] = [
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
];

/**
 * The partition a Region belongs to, from its name (`cn-north-1` is `aws-cn`, `us-gov-west-1` is `aws-us-gov`, ...).
 * Any other well-formed name is taken to be commercial `aws`, so new commercial Regions need no code change.
 */
export function partitionOf(region: string): Partition {
  for (const [prefix, partition] of PARTITION_PREFIXES) {
    if (region.startsWith(prefix)) return partition;
  }
  return 'aws';
}

/** The shape of a Region name: `us-east-1`, `ap-southeast-4`, `us-gov-west-1`, `us-isob-east-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Which AWS partition a Region belongs to. FSx refuses a copy whose source and destination are in different
 * partitions (`InvalidRegion`), and a Region name that does not look like one at all.
 */
export type AwsPartition =
  'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f';

const REGION_SHAPE = /^[a-z]{2}(-gov|-iso|-isob|-isoe|-isof)?-[a-z]+-\d{1,2}$/;

/** The partition of a Region, or undefined when the name does not look like a Region. */
export function partitionOf(region: string): AwsPartition | undefined {
  if (!REGION_SHAPE.test(region)) return undefined;
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (/^[a-z]{2}-(gov|iso|isob|isoe|isof)-/.test(region)) return undefined;
  return 'aws';
}

/** The ARN partition segment for resources in a Region (`aws` for anything unrecognised, as a fallback). */
export function arnPartitionOf(region: string): AwsPartition {
  return partitionOf(region) ?? 'aws';
}

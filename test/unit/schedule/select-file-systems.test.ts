import { describe, expect, it } from 'vitest';
import type { Policy } from '../../../src/config/types.js';
import { selectFileSystems, type DescribedFileSystem } from '../../../src/schedule/select-file-systems.js';

function fs(id: string, over: Partial<DescribedFileSystem> = {}): DescribedFileSystem {
  return {
    fileSystemId: id,
    type: 'WINDOWS',
    lifecycle: 'AVAILABLE',
    tags: { 'dr-tier': 'gold' },
    s3Linked: false,
    ...over,
  };
}

function source(over: Partial<Policy['source']> = {}): Pick<Policy, 'source'> {
  return {
    source: {
      region: 'us-east-1',
      fileSystemIds: [],
      selector: { tags: { 'dr-tier': 'gold' }, fileSystemTypes: ['WINDOWS', 'LUSTRE', 'OPENZFS'] },
      exclude: [],
      ...over,
    },
  };
}

describe('selectFileSystems', () => {
  it('selects the copyable file systems whose tags all match, and says why each other match is left out', () => {
    const listed = [
      fs('fs-0000000000000000a'),
      fs('fs-0000000000000000b', { type: 'LUSTRE', deploymentType: 'PERSISTENT_2' }),
      fs('fs-0000000000000000c', { type: 'OPENZFS', storageType: 'SSD' }),
      fs('fs-0000000000000000d', { type: 'ONTAP' }),
      fs('fs-0000000000000000e', { type: 'LUSTRE', deploymentType: 'SCRATCH_2' }),
      fs('fs-0000000000000000f', { type: 'LUSTRE', deploymentType: 'PERSISTENT_1', s3Linked: true }),
      fs('fs-00000000000000010', { type: 'OPENZFS', storageType: 'INTELLIGENT_TIERING' }),
      fs('fs-00000000000000011', { lifecycle: 'CREATING' }),
      fs('fs-00000000000000012', { lifecycle: 'UPDATING' }),
      fs('fs-00000000000000013', { tags: { 'dr-tier': 'silver' } }),
      fs('fs-00000000000000014', { tags: {} }),
    ];
    const selection = selectFileSystems(source(), listed);
    expect(selection.selected).toEqual([
      'fs-0000000000000000a',
      'fs-0000000000000000b',
      'fs-0000000000000000c',
      'fs-00000000000000012',
    ]);
    // A file system in trouble is not copied now, but stays covered (watched by the RPO, kept by retention).
    expect(selection.covered).toEqual([...selection.selected, 'fs-00000000000000011'].sort());
    expect(selection.leftOut.map((l) => [l.fileSystemId, l.reason])).toEqual([
      ['fs-0000000000000000d', 'ontap-not-copyable'],
      ['fs-0000000000000000e', 'lustre-scratch'],
      ['fs-0000000000000000f', 'lustre-s3-linked'],
      ['fs-00000000000000010', 'openzfs-intelligent-tiering'],
      ['fs-00000000000000011', 'not-available'],
    ]);
  });

  it('matches every listed tag, case-sensitively, with * for any value of a present key', () => {
    const listed = [
      fs('fs-0000000000000000a', { tags: { 'dr-tier': 'gold', team: 'x' } }),
      fs('fs-0000000000000000b', { tags: { 'dr-tier': 'Gold', team: 'x' } }),
      fs('fs-0000000000000000c', { tags: { 'dr-tier': 'gold' } }),
      fs('fs-0000000000000000d', { tags: { 'DR-tier': 'gold', team: 'y' } }),
    ];
    const selector = { tags: { 'dr-tier': 'gold', team: '*' }, fileSystemTypes: ['WINDOWS'] as const };
    expect(selectFileSystems(source({ selector }), listed).selected).toEqual(['fs-0000000000000000a']);
  });

  it('leaves out a type the selector does not name, and excluded ids, but an uncopyable kind keeps its own reason', () => {
    const listed = [
      fs('fs-0000000000000000a'),
      fs('fs-0000000000000000b', { type: 'OPENZFS' }),
      fs('fs-0000000000000000c', { type: 'ONTAP' }),
      fs('fs-0000000000000000d'),
    ];
    const selection = selectFileSystems(
      source({
        selector: { tags: { 'dr-tier': 'gold' }, fileSystemTypes: ['WINDOWS'] },
        exclude: ['fs-0000000000000000d'],
      }),
      listed,
    );
    expect(selection.selected).toEqual(['fs-0000000000000000a']);
    expect(selection.leftOut.map((l) => [l.fileSystemId, l.reason])).toEqual([
      ['fs-0000000000000000b', 'type-not-selected'],
      ['fs-0000000000000000c', 'ontap-not-copyable'],
      ['fs-0000000000000000d', 'excluded'],
    ]);
  });

  it('selects nothing without a selector', () => {
    const { selector: _none, ...withoutSelector } = source().source;
    expect(selectFileSystems({ source: withoutSelector }, [fs('fs-0000000000000000a')])).toEqual({
      selected: [],
      covered: [],
      leftOut: [],
    });
  });
});

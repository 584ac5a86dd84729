import * as z from 'zod';
import { quote } from './finding.js';
import { field, fileSystemId, region, tags } from './schema-field.js';
import { SELECTABLE_FILE_SYSTEM_TYPES } from './types.js';

/**
 * The `source:` of a policy: its Region, and which file systems in it are covered, by id, by a selector of tags and
 * types, or both, less `exclude`. "At least one of fileSystemIds and selector", a selector that is not empty and the
 * contradictions between the lists are check-source.ts's.
 */

const TYPES = SELECTABLE_FILE_SYSTEM_TYPES.join(', ');

function fileSystemTypeProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.toUpperCase() === 'ONTAP') {
    return `ONTAP backups cannot be copied with CopyBackup (FSx copies only ${TYPES} backups); remove ${quote(value)}`;
  }
  const meant = SELECTABLE_FILE_SYSTEM_TYPES.find((type) => type === value.toUpperCase());
  return meant === undefined
    ? undefined
    : `${quote(value)} is not a file system type; did you mean "${meant}"? (types are upper case)`;
}

export const selectorSchema = field(
  z
    .strictObject({
      tags: tags(
        'Tags a file system must carry to be selected: every one, keys and values case-sensitive; the value "*" matches any value of a key the file system has.',
      ).optional(),
      fileSystemTypes: field(
        z
          .array(
            field(z.enum(SELECTABLE_FILE_SYSTEM_TYPES), 'A file system type whose backups FSx can copy.', {
              expected: `one of ${TYPES} (ONTAP backups cannot be copied)`,
              noun: 'a file system type',
              invalid: fileSystemTypeProblem,
            }),
          )
          .min(1),
        `The file system types selected, each once. Default: all of ${TYPES}.`,
        { expected: `a list of at least one file system type, e.g. [${TYPES}]`, hint: 'list' },
      ).optional(),
    })
    .meta({
      // For editors; validation says the same in words (check-source.ts).
      anyOf: [
        { required: ['tags'], properties: { tags: { minProperties: 1 } } },
        { required: ['fileSystemTypes'] },
      ],
    }),
  'Selects the file systems of the source Region by tags and type, at each slot. At least one tag, or fileSystemTypes.',
  { expected: `a mapping with tags and/or fileSystemTypes, e.g. { tags: { dr-tier: gold } }` },
);

export const sourceSchema = field(
  z
    .strictObject({
      region: region('The Region the source backups are in.'),
      fileSystemIds: field(
        z.array(fileSystemId('An FSx file system id.')).min(1),
        'The file systems whose backups are copied. Optional when a selector is given; both together mean their union.',
        { expected: 'a list of at least one file system id, e.g. [fs-0123456789abcdef0]', hint: 'list' },
      ).optional(),
      selector: selectorSchema.optional(),
      exclude: field(
        z.array(fileSystemId('An FSx file system id the selector must not pick.')),
        'File systems never covered, even when the selector picks them.',
        { expected: 'a list of file system ids, e.g. [fs-0123456789abcdef0]', hint: 'list' },
      ).optional(),
    })
    .meta({ anyOf: [{ required: ['fileSystemIds'] }, { required: ['selector'] }] }),
  'Where the backups come from: a Region, and fileSystemIds, a selector, or both.',
  {
    expected: 'a mapping with region, and fileSystemIds and/or selector (and optionally exclude)',
  },
);

export type SourceInput = z.infer<typeof sourceSchema>;
export type SelectorInput = z.infer<typeof selectorSchema>;

import type { FileSystemSelector } from './types.js';

/** The value of a selector's tag that matches any value of the key. */
export const ANY_TAG_VALUE = '*';

/** What a selector looks at of a file system: FSx's FileSystemType and its tags. */
export interface SelectableFileSystem {
  readonly type: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Whether a policy's selector picks a file system: its type is one of `fileSystemTypes`, and it carries every tag
 * of `tags` (keys and values compared exactly, as FSx does; the value `*` matches any value of a key it has). Pure,
 * so the planner decides with the listing it already holds and tests need no FSx.
 */
export function matchesSelector(selector: FileSystemSelector, fs: SelectableFileSystem): boolean {
  return (
    (selector.fileSystemTypes as readonly string[]).includes(fs.type) && matchesSelectorTags(selector, fs)
  );
}

/**
 * The tag half of {@link matchesSelector}: whether the file system carries every tag of the selector, whatever its
 * type. A tag match of a type the selector leaves out, or FSx cannot copy, is worth saying why it is left out.
 */
export function matchesSelectorTags(
  selector: Pick<FileSystemSelector, 'tags'>,
  fs: Pick<SelectableFileSystem, 'tags'>,
): boolean {
  return Object.entries(selector.tags).every(
    ([key, value]) => Object.hasOwn(fs.tags, key) && (value === ANY_TAG_VALUE || fs.tags[key] === value),
  );
}

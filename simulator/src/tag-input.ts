import type { WireTag } from './request-validation.js';

/** Tags as a test writes them: a plain record, or FSx's own `{ Key, Value }` list (which may repeat nothing). */
export type TagInput = Readonly<Record<string, string>> | readonly WireTag[];

function isTagList(tags: TagInput): tags is readonly WireTag[] {
  return Array.isArray(tags);
}

/** The wire list, copied, so a caller changing its object later does not change the simulator's state. */
export function toWireTags(tags: TagInput | undefined): WireTag[] {
  if (tags === undefined) return [];
  if (isTagList(tags)) return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

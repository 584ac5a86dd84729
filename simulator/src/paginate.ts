import { createHash } from 'node:crypto';
import { badRequest } from './simulated-fsx-error.js';

/**
 * FSx-style pages over a listing: at most 50 items (or the simulator's smaller page size), a `NextToken` while
 * anything is left. The token is a cursor on the item id, over items sorted by id, so a listing walked page by page
 * returns every item that existed when it began exactly once, even if items are added or removed meanwhile. Ids
 * are random, so the order looks as arbitrary to the caller as FSx's "unspecified" order.
 */
export interface PageRequest {
  readonly region: string;
  /** What the listing asked for (ids, filters): a token from another listing is refused. */
  readonly query: unknown;
  readonly maxResults: number | undefined;
  readonly pageSize: number;
  readonly nextToken: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

interface Cursor {
  readonly r: string;
  readonly q: string;
  readonly a: string;
}

function fingerprint(query: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(query) ?? '')
    .digest('hex')
    .slice(0, 12);
}

function decodeCursor(token: string, region: string, q: string): string {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw badRequest('Invalid NextToken.');
  }
  const c = cursor as Partial<Cursor> | null;
  if (typeof c !== 'object' || c === null || typeof c.a !== 'string' || c.r !== region || c.q !== q) {
    throw badRequest('Invalid NextToken.');
  }
  return c.a;
}

export function paginate<T>(items: readonly T[], idOf: (item: T) => string, request: PageRequest): Page<T> {
  const q = fingerprint(request.query);
  const after =
    request.nextToken === undefined ? undefined : decodeCursor(request.nextToken, request.region, q);
  const sorted = [...items].sort((x, y) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0));
  const remaining = after === undefined ? sorted : sorted.filter((item) => idOf(item) > after);
  const size = Math.min(request.maxResults ?? 50, request.pageSize, 50);
  const pageItems = remaining.slice(0, size);
  const last = pageItems.at(-1);
  if (remaining.length <= size || last === undefined) return { items: pageItems };
  const cursor: Cursor = { r: request.region, q, a: idOf(last) };
  return { items: pageItems, nextToken: Buffer.from(JSON.stringify(cursor)).toString('base64') };
}

import type { BackupRecord } from './backup-record.js';
import type { OperationHandler } from './operation-context.js';
import { paginate } from './paginate.js';
import {
  RULES,
  optionalInteger,
  optionalList,
  optionalString,
  requestObject,
  requiredString,
  stringItem,
} from './request-validation.js';
import { backupNotFound, badRequest } from './simulated-fsx-error.js';

/**
 * DescribeBackups in one Region: `BackupIds` (up to 50, all must exist) or `Filters` (up to 10, each up to 20
 * values), never on Lifecycle, source or tag; always paginated.
 */
const FILTER_NAMES = [
  'file-system-id',
  'backup-type',
  'file-system-type',
  'volume-id',
  'data-repository-type',
  'file-cache-id',
  'file-cache-type',
] as const;
type FilterName = (typeof FILTER_NAMES)[number];

interface Filter {
  readonly Name: FilterName;
  readonly Values: readonly string[];
}

function parseFilter(value: unknown, path: string): Filter {
  const filter = requestObject(value);
  const name = requiredString(filter, 'Name', {});
  if (!(FILTER_NAMES as readonly string[]).includes(name)) {
    throw badRequest(
      `Value '${name}' at '${path}.name' failed to satisfy constraint: Member must satisfy enum.`,
    );
  }
  const values = optionalList(filter, 'Values', { min: 0, max: 20 }, stringItem(RULES.filterValue)) ?? [];
  return { Name: name as FilterName, Values: values };
}

/**
 * Values within a filter are alternatives; filters all apply. A copy's `file-system-id` is its source's; whether the
 * filter finds copies at all is `fileSystemFilterFindsCopies`.
 */
function matches(record: BackupRecord, filter: Filter, copiesByFileSystem: boolean): boolean {
  const attribute = ((): string | undefined => {
    switch (filter.Name) {
      case 'file-system-id':
        return record.source !== undefined && !copiesByFileSystem
          ? undefined
          : record.fileSystem.fileSystemId;
      case 'backup-type':
        return record.type;
      case 'file-system-type':
        return record.fileSystem.type;
      case 'volume-id':
        return record.volumeId;
      case 'data-repository-type':
      case 'file-cache-id':
      case 'file-cache-type':
        return undefined; // the simulator holds no data-repository or cache backups
    }
  })();
  return attribute !== undefined && filter.Values.includes(attribute);
}

export const describeBackups: OperationHandler = (ctx, body) => {
  const backupIds = optionalList(body, 'BackupIds', { min: 0, max: 50 }, stringItem(RULES.backupId));
  const filters = optionalList(body, 'Filters', { min: 0, max: 10 }, parseFilter);
  const maxResults = optionalInteger(body, 'MaxResults', 1, 2147483647);
  const nextToken = optionalString(body, 'NextToken', RULES.nextToken);

  const region = ctx.state.region(ctx.region);
  const listed = [...region.backups.values()].filter((r) =>
    ctx.state.isListed(r, ctx.now, ctx.behaviour.deletedVisibleMs),
  );
  let selected: BackupRecord[];
  if (backupIds !== undefined && backupIds.length > 0) {
    const byId = new Map(listed.map((r) => [r.backupId, r]));
    selected = [];
    for (const id of new Set(backupIds)) {
      const record = byId.get(id);
      if (!record) throw backupNotFound(id);
      selected.push(record);
    }
  } else {
    const copies = ctx.behaviour.fileSystemFilterFindsCopies;
    selected = listed.filter((r) => (filters ?? []).every((f) => matches(r, f, copies)));
  }
  const page = paginate(selected, (r) => r.backupId, {
    region: ctx.region,
    query: { backupIds: backupIds ?? null, filters: filters ?? null },
    maxResults,
    pageSize: ctx.behaviour.pageSize,
    nextToken,
  });
  return {
    Backups: page.items.map((r) => ctx.renderBackup(r)),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
};

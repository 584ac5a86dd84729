import type { OperationHandler } from './operation-context.js';
import { paginate } from './paginate.js';
import { RULES, optionalInteger, optionalList, optionalString, stringItem } from './request-validation.js';
import { SimulatedFsxError } from './simulated-fsx-error.js';
import { renderFileSystem } from './render-backup.js';

/**
 * DescribeFileSystems in one Region of the caller's account, so code that selects file systems (by tag, type,
 * Lifecycle, deployment type, S3 link) has something to ask: ONTAP, Lustre scratch and S3-linked Lustre included.
 */
export const describeFileSystems: OperationHandler = (ctx, body) => {
  const ids = optionalList(body, 'FileSystemIds', { min: 0, max: 50 }, stringItem(RULES.fileSystemId));
  const maxResults = optionalInteger(body, 'MaxResults', 1, 2147483647);
  const nextToken = optionalString(body, 'NextToken', RULES.nextToken);
  const all = ctx.state.region(ctx.region).fileSystems;
  const selected =
    ids !== undefined && ids.length > 0
      ? [...new Set(ids)].map((id) => {
          const fs = all.get(id);
          if (!fs) throw new SimulatedFsxError('FileSystemNotFound', `File system ${id} does not exist.`);
          return fs;
        })
      : [...all.values()];
  const page = paginate(selected, (fs) => fs.fileSystemId, {
    region: ctx.region,
    query: { fileSystemIds: ids ?? null },
    maxResults,
    pageSize: ctx.behaviour.pageSize,
    nextToken,
  });
  return {
    FileSystems: page.items.map((fs) => renderFileSystem(fs)),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
};

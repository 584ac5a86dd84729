import type { OperationHandler } from './operation-context.js';
import { paginate } from './paginate.js';
import { RULES, optionalInteger, optionalList, optionalString, stringItem } from './request-validation.js';
import { SimulatedFsxError } from './simulated-fsx-error.js';
import { renderFileSystem } from './render-backup.js';

/** DescribeFileSystems, so code that checks a file system's type (ONTAP cannot be copied) has something to ask. */
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
    FileSystems: page.items.map((fs) => renderFileSystem(fs, ctx.state.accountId)),
    ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
  };
};

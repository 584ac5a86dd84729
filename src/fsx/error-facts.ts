import type { FsxErrorFacts } from '../copy/fsx-error.js';

/** Takes the facts the classifier needs off whatever an FSx call threw (an SDK exception or a Node error). */
export function toFsxErrorFacts(err: unknown): FsxErrorFacts {
  if (typeof err !== 'object' || err === null) {
    return { name: 'Error', message: String(err) };
  }
  const e = err as Record<string, unknown>;
  const metadata = e['$metadata'] as { httpStatusCode?: unknown } | undefined;
  const status = metadata?.httpStatusCode;
  const code = typeof e['code'] === 'string' ? e['code'] : undefined;
  const fault = e['$fault'];
  return {
    name: typeof e['name'] === 'string' && e['name'] !== '' ? e['name'] : 'Error',
    message: typeof e['message'] === 'string' ? e['message'] : '',
    ...(typeof e['Limit'] === 'string' ? { limit: e['Limit'] } : {}),
    ...(fault === 'client' || fault === 'server' ? { fault } : {}),
    ...(typeof status === 'number' ? { httpStatus: status } : {}),
    ...(code && /^E[A-Z_]+$|^UND_ERR/.test(code) ? { networkCode: code } : {}),
    // An AssumeRoleError (src/fsx/assume-role.ts) says so: the request was never sent.
    ...(e['notSent'] === true ? { notSent: true as const } : {}),
  };
}

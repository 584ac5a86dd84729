import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCopyError } from '../../../src/copy/classify-copy-error.js';
import { classifyDeleteError } from '../../../src/copy/classify-delete-error.js';
import {
  DELETE_ERROR_NAMES,
  ERROR_CATALOGUE,
  FSX_ERROR_NAMES,
  SERVICE_ERROR_NAMES,
  type CatalogueEntry,
  type ErrorHandling,
} from '../../../src/copy/error-catalogue.js';
import { InvalidJobData, ProtocolError } from '../../../src/copy/service-errors.js';
import { toFsxErrorFacts } from '../../../src/fsx/error-facts.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The README's Errors table: name, then handling, meaning and what to do, as written there. */
function readmeErrorRows(): Map<string, CatalogueEntry> {
  const section = README.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = new Map<string, CatalogueEntry>();
  for (const line of section.split('\n')) {
    const m = /^\| `([^`]+)` \| ([a-z-]+) \| (.+) \| (.+) \|$/.exec(line);
    if (m?.[1] && m[2] && m[3] && m[4]) {
      rows.set(m[1], { handling: m[2] as ErrorHandling, meaning: m[3], action: m[4] });
    }
  }
  return rows;
}

describe('error catalogue', () => {
  it('is the README’s Errors table in both directions: every name, handling, meaning and action', () => {
    const rows = readmeErrorRows();
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
    for (const [name, entry] of Object.entries(ERROR_CATALOGUE)) expect(rows.get(name), name).toEqual(entry);
  });

  it('has real classes for the service’s own errors that cross a boundary, named as catalogued', () => {
    for (const error of [new ProtocolError('no id'), new InvalidJobData('no policy')]) {
      expect(error).toBeInstanceOf(Error);
      expect(SERVICE_ERROR_NAMES).toContain(error.name);
      expect(error.code).toBe(error.name);
      expect(toFsxErrorFacts(error).name).toBe(error.name);
    }
    expect(new ProtocolError('x', { cause: 'y' }).cause).toBe('y');
  });

  it('retries a ProtocolError, as its handling says (a retry with the same token is safe)', () => {
    expect(ERROR_CATALOGUE.ProtocolError.handling).toBe('retry');
    expect(classifyCopyError(toFsxErrorFacts(new ProtocolError('CopyBackup returned no backup id')))).toBe(
      'transient',
    );
  });

  it('says what the classifier does for every FSx error', () => {
    const expected: Record<string, ErrorHandling> = {};
    for (const name of FSX_ERROR_NAMES) expected[name] = ERROR_CATALOGUE[name].handling;
    const actual: Record<string, ErrorHandling> = {};
    for (const name of FSX_ERROR_NAMES) {
      const [errorName, limit] = name.startsWith('ServiceLimitExceeded')
        ? [
            'ServiceLimitExceeded',
            name.includes('TOTAL_IN_PROGRESS')
              ? 'TOTAL_IN_PROGRESS_COPY_BACKUPS'
              : 'TOTAL_USER_INITIATED_BACKUPS',
          ]
        : [name, undefined];
      const cls = classifyCopyError({
        name: errorName,
        message: '',
        ...(limit ? { limit } : {}),
        ...(errorName === 'InternalServerError' ? { fault: 'server' as const, httpStatus: 500 } : {}),
        ...(errorName === 'TimeoutError'
          ? {}
          : { httpStatus: errorName === 'InternalServerError' ? 500 : 400 }),
      });
      actual[name] =
        cls === 'region-full'
          ? 'pause-region'
          : cls === 'source-not-ready'
            ? 'wait'
            : cls === 'transient'
              ? 'retry'
              : 'fail';
    }
    expect(actual).toEqual(expected);
  });

  it('says what a retention deletion does for every DeleteBackup error', () => {
    const handling = (name: string): ErrorHandling => {
      const cls = classifyDeleteError({
        name: name.replace(' (DeleteBackup)', ''),
        message: '',
        httpStatus: 400,
      });
      return cls === 'gone' ? 'gone' : cls === 'retry' ? 'retry' : 'fail';
    };
    for (const name of DELETE_ERROR_NAMES) expect(handling(name), name).toBe(ERROR_CATALOGUE[name].handling);
    // And for the FSx errors a deletion can meet too: faults retry, the rest (AccessDenied above all) fail.
    expect(
      classifyDeleteError({ name: 'InternalServerError', message: '', httpStatus: 500, fault: 'server' }),
    ).toBe('retry');
    expect(classifyDeleteError({ name: 'ThrottlingException', message: '', httpStatus: 400 })).toBe('retry');
    expect(classifyDeleteError({ name: 'AccessDeniedException', message: '', httpStatus: 400 })).toBe('fail');
    expect(classifyDeleteError({ name: 'BadRequest', message: '', httpStatus: 400 })).toBe('fail');
  });
});

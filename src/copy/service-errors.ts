import type { ServiceErrorName } from './error-catalogue.js';

/**
 * The service's own errors that cross a boundary (thrown by an adapter, or met by a worker): marker classes with
 * a catalogued `name` (and the same `code`), recognised by name as BullMQ recognises its markers, so a copy of the
 * module loaded twice still matches.
 */
abstract class CataloguedError extends Error {
  abstract override readonly name: ServiceErrorName;
  get code(): ServiceErrorName {
    return this.name;
  }
}

/** FSx answered without what its protocol promises; transient (a retry with the same token is safe). */
export class ProtocolError extends CataloguedError {
  override readonly name = 'ProtocolError';
}

/** A copy job the worker cannot run: unreadable data, or no job id (which would share one ClientRequestToken). */
export class InvalidJobData extends CataloguedError {
  override readonly name = 'InvalidJobData';
}

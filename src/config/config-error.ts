/** The error code of every configuration problem, in the error catalogue as `FSXDR_CONFIG_INVALID`. */
export const CONFIG_ERROR_CODE = 'FSXDR_CONFIG_INVALID';

/**
 * One problem found in the configuration, located so an editor can jump to it.
 * `line` and `column` are 1-based; both are 0 when the problem concerns the whole file (it is missing, unreadable,
 * too large).
 */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where in the policy file, e.g. `policies[0].destinations[1].region`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  /** What would have been accepted, when that is not obvious from the message. */
  readonly expected?: string;
}

/**
 * The configuration cannot be used. Carries every problem found in every file, so a user fixes them in one pass
 * rather than one per run. A user mistake, never a bug: print `issues` (see `formatConfigIssues`), not the stack.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = CONFIG_ERROR_CODE;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    const summary =
      first === undefined
        ? 'configuration invalid'
        : `configuration invalid: ${issues.length} problem${issues.length === 1 ? '' : 's'}, first: ${first.file}:${first.line}:${first.column}: ${first.message}`;
    super(summary, options);
    this.issues = Object.freeze([...issues]);
  }
}

/** True for a `ConfigError`, also across module copies (checked by name and code, as BullMQ does for its markers). */
export function isConfigError(error: unknown): error is ConfigError {
  return (
    error instanceof ConfigError ||
    (error instanceof Error &&
      error.name === 'ConfigError' &&
      (error as { code?: unknown }).code === CONFIG_ERROR_CODE)
  );
}

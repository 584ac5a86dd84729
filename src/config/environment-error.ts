/** The error code of a bad environment, in the error catalogue as `FSXDR_ENV_INVALID`. */
export const ENV_ERROR_CODE = 'FSXDR_ENV_INVALID';

/**
 * The environment cannot be used. Carries every bad variable at once, so an operator fixes them in one pass
 * rather than one per restart. A user mistake, never a bug: print `problems`, not the stack.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly code = ENV_ERROR_CODE;
  /** One line per bad variable: `NAME="value": what was expected`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      problems.length === 1
        ? (problems[0] ?? '')
        : `${problems.length} environment variables are invalid: ${problems.join('; ')}`,
    );
    this.problems = Object.freeze([...problems]);
  }
}

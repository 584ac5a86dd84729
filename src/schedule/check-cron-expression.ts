import { CronExpressionParser } from 'cron-parser';

/** The fields of a 6-field expression, seconds first; a 5-field expression has all but `second`. */
const FIELD_NAMES = ['second', 'minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;

/** What each macro stands for, so the hint can say what to write instead. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A fixed instant to evaluate expressions from, so validation is pure and repeatable. */
const EVALUATION_START = new Date('2000-01-01T00:00:00Z');

/**
 * Why `expression` is not a usable schedule, or undefined when it is. Accepts 5 fields
 * (minute hour day-of-month month day-of-week) or 6 with seconds first, in cron-parser's syntax (`*`, `,`, `-`, `/`,
 * names, `?`, `L`, `#`). Rejects what cron-parser would accept but this service must not: other field counts,
 * `@` macros (write the fields), and `H`, whose random value differs between replicas unless seeded. Names the
 * wrong field where one field alone is wrong, and says so when the fields together never fire (`0 0 30 2 *`).
 */
export function checkCronExpression(expression: string): string | undefined {
  const text = expression.trim();
  if (text === '') return 'the schedule is empty';
  if (text.startsWith('@')) {
    const equivalent = MACROS[text.toLowerCase()];
    return equivalent === undefined
      ? `"${text}" is not supported: write the cron fields`
      : `"${text}" is not supported: write the cron fields, e.g. "${equivalent}"`;
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return `has ${fields.length} field${fields.length === 1 ? '' : 's'}; a schedule has 5 (minute hour day-of-month month day-of-week) or 6 (with seconds first)`;
  }
  const names = fields.length === 6 ? FIELD_NAMES : FIELD_NAMES.slice(1);
  for (const [index, field] of fields.entries()) {
    const name = names[index] ?? 'unknown';
    if (/(?<![A-Za-z])H(?![A-Za-z])/.test(field)) {
      return `${name} field "${field}": H (a random value) is not supported, because every replica would pick its own; write the value`;
    }
    const alone = fieldAlone(fields.length, index, field);
    const problem = parseProblem(alone);
    if (problem !== undefined) return `${name} field "${field}": ${problem}`;
  }
  const problem = parseProblem(text);
  if (problem !== undefined) {
    return /day of month/i.test(problem)
      ? 'never fires: the day-of-month never occurs in the month(s) given'
      : `never fires: ${problem}`;
  }
  return undefined;
}

/** A 6-field expression with `field` at its place and the other fields permissive, to test one field alone. */
function fieldAlone(count: number, index: number, field: string): string {
  const all = ['0', '*', '*', '*', '*', '*'];
  all[count === 6 ? index : index + 1] = field;
  return all.join(' ');
}

/** cron-parser's complaint about `expression`, including ones that surface only on the first `next()`. */
function parseProblem(expression: string): string | undefined {
  try {
    CronExpressionParser.parse(expression, { currentDate: EVALUATION_START, tz: 'UTC' }).next();
    return undefined;
  } catch (error) {
    return cleanMessage(error instanceof Error ? error.message : String(error));
  }
}

function cleanMessage(message: string): string {
  return message
    .replace(/^Constraint error, /, '')
    .replace(/^got value (\S+) expected range (\S+)$/, '$1 is outside $2')
    .replace(/^Invalid characters, got value: (.*)$/, 'unexpected characters in "$1"');
}

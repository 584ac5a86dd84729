import { describe, expect, it } from 'vitest';
import { checkCronExpression } from '../../../src/schedule/check-cron-expression.js';

describe('checkCronExpression', () => {
  it.each([
    '0 */6 * * *',
    '*/30 * * * * *',
    '0 4 * * SUN',
    '0 0 * * THU',
    '0 0 L * *',
    '0 0 * * 5#3',
    '0 0 ? * *',
    '0 0 1,15 * *',
    '0 0 29 2 *',
    '  0   3 * * *  ',
  ])('accepts %j', (expression) => {
    expect(checkCronExpression(expression)).toBeUndefined();
  });

  it.each([
    ['', 'the schedule is empty'],
    ['@daily', 'write the cron fields, e.g. "0 0 * * *"'],
    ['@every 5m', 'is not supported'],
    ['* * * *', 'has 4 fields'],
    ['* * * * * * *', 'has 7 fields'],
    ['60 * * * *', 'minute field "60": 60 is outside 0-59'],
    ['0 24 * * *', 'hour field "24": 24 is outside 0-23'],
    ['0 0 32 * *', 'day-of-month field "32"'],
    ['0 0 0 * *', 'day-of-month field "0"'],
    ['0 0 * 13 *', 'month field "13"'],
    ['0 0 * * 8', 'day-of-week field "8"'],
    ['61 0 * * * *', 'second field "61"'],
    ['foo * * * *', 'minute field "foo"'],
    ['*/0 * * * *', 'minute field "*/0"'],
    ['5-1 * * * *', 'minute field "5-1"'],
    ['H * * * *', 'H (a random value) is not supported'],
    ['0 0 30 2 *', 'never fires'],
    ['0 0 31 4,6,9,11 *', 'never fires'],
  ])('rejects %j: %s', (expression, fragment) => {
    expect(checkCronExpression(expression)).toContain(fragment);
  });
});

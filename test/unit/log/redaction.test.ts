import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields } from '../../../src/log.js';
import { redactRedisUrl } from '../../../src/config/redis-target.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('log redaction', () => {
  it('blanks credentials, tokens and passwords wherever they sit in a line', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        event: 'test',
        accessKeyId: 'AKIDLEAKLEAKLEAK',
        credentials: {
          accessKeyId: 'AKIDNESTED',
          secretAccessKey: 'nested-secret',
          sessionToken: 'nested-session',
        },
        request: {
          headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDHEADER/...' },
          ClientRequestToken: 'fsxdr-token',
        },
        redis: { password: 'hunter2' },
        clientRequestToken: 'fsxdr-top-token',
        token: 'bearer-xyz',
      },
      'message',
    );
    const text = lines.join('');
    for (const secret of [
      'AKIDLEAKLEAKLEAK',
      'AKIDNESTED',
      'nested-secret',
      'nested-session',
      'AKIDHEADER',
      'fsxdr-token',
      'hunter2',
      'fsxdr-top-token',
      'bearer-xyz',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(text)).toMatchObject({
      event: 'test',
      accessKeyId: '[redacted]',
      redis: { password: '[redacted]' },
    });
  });

  it('never logs the command ioredis hangs on its errors (after a failed AUTH: the password)', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('WRONGPASS invalid username-password pair'), {
      command: { name: 'auth', args: ['default', 'hunter2-pw'] },
    });
    logger.error({ event: 'worker.error', err }, 'worker error');
    logger.error({ event: 'worker.error', ...errorFields(err) }, 'worker error');
    const text = lines.join('');
    expect(text).not.toContain('hunter2-pw');
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({
      errorName: 'Error',
      errorMessage: 'WRONGPASS invalid username-password pair',
    });
  });

  it('shows a Redis URL without its password', () => {
    expect(redactRedisUrl('rediss://user:p%40ss@redis.internal:6380/2')).toBe(
      'rediss://user:***@redis.internal:6380/2',
    );
    expect(redactRedisUrl('redis://:secret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('not a url secret')).toBe('<unparseable REDIS_URL>');
  });
});

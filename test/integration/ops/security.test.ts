import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { runCli } from '../../support/service-process.js';

const SECRET_KEY = 'wJalrXUtnFEMI-very-secret-key-K7MDENG';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjSESSIONTOKENVALUE';
const REDIS_PASSWORD = 'r3dis-pa55word';

describe('secrets and transport', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs over rediss:// with a password, and no credential, token or password reaches its output', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 }, { tls: true, password: REDIS_PASSWORD });
    expect(h.redis.url.startsWith(`rediss://:${REDIS_PASSWORD}@`)).toBe(true);
    h.seed([fsId(1)]);
    const config = await h.policyFile([{ fileSystemIds: [fsId(1)], destinations: ['us-west-2'] }]);
    const env = {
      NODE_EXTRA_CA_CERTS: h.redis.caFile ?? '',
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      LOG_LEVEL: 'trace',
    };
    const svc = h.run(config, 'all', env);
    const [outcome] = await h.waitForOutcomes(1);
    expect(outcome?.status).toBe('succeeded');
    const outcomes = await runCli(['outcomes', '--json'], h.env(env));
    expect(outcomes.code, outcomes.stderr).toBe(0);
    await svc.stop('SIGTERM');

    const everything = [
      ...svc.logs.map((l) => JSON.stringify(l)),
      ...svc.stderr,
      outcomes.stdout,
      outcomes.stderr,
    ].join('\n');
    expect(everything).not.toContain(SECRET_KEY);
    expect(everything).not.toContain(SESSION_TOKEN);
    expect(everything).not.toContain(REDIS_PASSWORD);
    expect(svc.events('service.starting')[0]?.['redis']).toBe(`rediss://:***@127.0.0.1:${h.redis.port}`);
    // The idempotency token never appears either: it would let anyone replay the copy request.
    expect(everything).not.toMatch(/fsxdr-[0-9a-f]{40}/);
  });

  it('prints readable lines at a terminal (LOG_FORMAT=pretty), with the same events', async () => {
    h = await PipelineHarness.start({ copyDuration: 100 });
    h.seed([fsId(2)]);
    const svc = h.run(
      await h.policyFile([{ fileSystemIds: [fsId(2)], destinations: ['us-west-2'] }]),
      'all',
      {
        LOG_FORMAT: 'pretty',
        AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      },
    );
    await h.waitForOutcomes(1);
    await svc.stop('SIGTERM');
    const text = svc.logs.map((l) => String(l.msg)).join('\n');
    expect(svc.logs.every((l) => l.event === 'non-json')).toBe(true);
    expect(text).toMatch(/INFO.*copy\.succeeded copy succeeded/);
    expect(text).toMatch(/destinationBackupId: "backup-[0-9a-f]+"/);
    expect(text).not.toContain(SECRET_KEY);
  });
});

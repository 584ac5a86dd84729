import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assumeRoleCredentials, AssumeRoleError } from '../../../src/fsx/assume-role.js';
import { startFsxSimulator, type FsxSimulator } from '../../../simulator/src/index.js';

const ROLE = 'arn:aws:iam::111111111111:role/fsx-dr-copier';
const MIN = 60_000;

/** The credentials of an account through the real STS client of the SDK, against the simulator's STS. */
describe('assumeRoleCredentials (real SDK STS client, simulator)', () => {
  let sim: FsxSimulator;
  beforeAll(async () => {
    sim = await startFsxSimulator();
  });
  afterAll(async () => {
    await sim.close();
  });

  /** A clock the test moves: the provider's notion of now. */
  function clock(start = Date.now()) {
    let t = start;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  }
  const assumed = () => sim.stsRequests.filter((r) => r.action === 'AssumeRole');

  it('asks STS once for many callers, names the session fsx-dr, and asks again only near expiry', async () => {
    sim.reset();
    sim.addRole({ roleArn: ROLE });
    const c = clock();
    const credentials = assumeRoleCredentials(
      { name: 'team-a', roleArn: ROLE },
      { stsEndpoint: sim.endpoint, now: c.now },
    );
    const all = await Promise.all(Array.from({ length: 5 }, () => credentials()));
    expect(new Set(all.map((x) => x.accessKeyId)).size).toBe(1);
    expect(assumed()).toHaveLength(1);
    expect(assumed()[0]).toMatchObject({ roleArn: ROLE, roleSessionName: 'fsx-dr-team-a', status: 200 });
    const expiry = all[0]?.expiration?.getTime() ?? 0;
    expect(expiry).toBeGreaterThan(c.now() + 50 * MIN);

    c.advance(expiry - c.now() - 6 * MIN);
    await credentials();
    expect(assumed()).toHaveLength(1);
    c.advance(2 * MIN);
    const renewed = await credentials();
    expect(assumed()).toHaveLength(2);
    expect(renewed.accessKeyId).not.toBe(all[0]?.accessKeyId);
  });

  it('remembers a refusal for ten seconds, then asks again', async () => {
    sim.reset();
    const c = clock();
    const credentials = assumeRoleCredentials(
      { name: 'team-c', roleArn: 'arn:aws:iam::333333333333:role/fsx-dr-copier' },
      { stsEndpoint: sim.endpoint, now: c.now },
    );
    const first = await credentials().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AssumeRoleError);
    expect(first).toMatchObject({ name: 'AccessDenied', account: 'team-c' });
    await expect(credentials()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(assumed()).toHaveLength(1);
    c.advance(10_001);
    await expect(credentials()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(assumed()).toHaveLength(2);
  });

  it('does not remember a throttled AssumeRole: the next call asks STS again and gets credentials', async () => {
    sim.reset();
    sim.addRole({ roleArn: ROLE, externalId: 'the-external-id' });
    sim.failNext({ operation: 'AssumeRole', name: 'Throttling', status: 400, count: 2 });
    const credentials = assumeRoleCredentials(
      { name: 'team-a', roleArn: ROLE, externalId: 'the-external-id' },
      { stsEndpoint: sim.endpoint },
    );
    // The STS client's own two attempts both meet the throttling.
    await expect(credentials()).rejects.toMatchObject({ name: 'Throttling' });
    const got = await credentials();
    expect(got.accessKeyId).toMatch(/^ASIA/);
    expect(assumed().filter((r) => r.status === 200)).toHaveLength(1);
    expect(assumed().every((r) => r.externalIdGiven)).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { fsId, PipelineHarness } from '../../support/pipeline-harness.js';
import { eventually, runCli, writePolicyFile } from '../../support/service-process.js';

const SOURCE = 'us-east-1';
const DEST = 'us-west-2';
const OWN = '123456789012';
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const role = (account: string) => `arn:aws:iam::${account}:role/fsx-dr-copier`;
const GOLD = { 'dr-tier': 'gold' };

/**
 * The whole estate through `fsx-dr run`: file systems chosen by tag at each slot, and copies in other accounts made
 * with the credentials of the role the service assumes there (STS on the simulator, real SDK over HTTP).
 */
describe('accounts and selectors (fsx-dr run, FSx and STS simulator, real SDK)', () => {
  let h: PipelineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('copies exactly the tag-matched file systems FSx can copy, of three types, and says why the others are left out', async () => {
    h = await PipelineHarness.start();
    const sim = h.sim;
    const made = (id: string, type: 'WINDOWS' | 'LUSTRE' | 'OPENZFS' | 'ONTAP', extra = {}, tags = GOLD) => {
      sim.addFileSystem({ region: SOURCE, fileSystemId: id, type, tags, ...extra });
      return sim.addBackup({ region: SOURCE, fileSystemId: id, creationTime: Date.now() - 60_000 });
    };
    const windows = made(fsId(1), 'WINDOWS', { deploymentType: 'MULTI_AZ_1' });
    const lustre = made(fsId(2), 'LUSTRE', { deploymentType: 'PERSISTENT_2' });
    const openzfs = made(fsId(3), 'OPENZFS', { deploymentType: 'SINGLE_AZ_2', storageType: 'SSD' });
    const ontap = made(fsId(4), 'ONTAP', { deploymentType: 'MULTI_AZ_1' });
    sim.addFileSystem({
      region: SOURCE,
      fileSystemId: fsId(5),
      type: 'LUSTRE',
      deploymentType: 'SCRATCH_2',
      tags: GOLD,
    });
    const silver = made(fsId(6), 'WINDOWS', {}, { 'dr-tier': 'silver' });
    const excluded = made(fsId(7), 'WINDOWS');
    const config = await writePolicyFile(`settings:
  pollInterval: 100ms
policies:
  - name: gold
    schedule: "0 0 1 1 *"
    source:
      region: ${SOURCE}
      selector:
        tags: { dr-tier: gold }
      exclude: [${fsId(7)}]
    destinations:
      - region: ${DEST}
`);
    const service = h.run(config);
    const outcomes = await h.waitForOutcomes(3);
    await service.waitForEvents('plan.skipped', 2);
    await service.stop();

    expect(outcomes.map((o) => o.fileSystemId).sort()).toEqual([fsId(1), fsId(2), fsId(3)]);
    expect(outcomes.every((o) => o.status === 'succeeded')).toBe(true);
    for (const b of [windows, lustre, openzfs]) expect(sim.copiesOf(b, DEST)).toHaveLength(1);
    for (const b of [ontap, silver, excluded]) expect(sim.copiesOf(b, DEST)).toHaveLength(0);
    // Never sent to CopyBackup: only the three copyable ones were asked for.
    expect(
      h
        .copyRequests()
        .map((r) => (r.params as { SourceBackupId: string }).SourceBackupId)
        .sort(),
    ).toEqual([windows, lustre, openzfs].sort());
    const skipped = service.events('plan.skipped').map((e) => [e['fileSystemId'], e['reason']]);
    expect(skipped).toEqual(
      expect.arrayContaining([
        [fsId(4), 'ontap-not-copyable'],
        [fsId(5), 'lustre-scratch'],
      ]),
    );
    expect(skipped).toHaveLength(2);
    expect(service.events('plan.selector_empty')).toHaveLength(0);
    expect(service.events('schedule.planned')[0]).toMatchObject({ fileSystems: 3, planned: 3 });

    // What the operator sees: the next slot's selection, and the last slot's.
    const plan = await runCli(['plan', '--config', config, '--json'], h.env());
    const rows = JSON.parse(plan.stdout) as { fileSystemId: string; action: string; selected?: boolean }[];
    const actionOf = (id: string) => rows.filter((r) => r.fileSystemId === id).map((r) => r.action);
    expect(actionOf(fsId(1))).toEqual(['already-copied']);
    expect(actionOf(fsId(4))).toEqual(['left-out:ontap-not-copyable']);
    expect(actionOf(fsId(5))).toEqual(['left-out:lustre-scratch']);
    expect(actionOf(fsId(7))).toEqual(['left-out:excluded']);
    expect(actionOf(fsId(6))).toEqual([]);
    const table = await runCli(['plan', '--config', config], h.env());
    expect(table.stdout).toMatch(new RegExp(`${fsId(5)}\\s+LUSTRE\\s.*left-out:lustre-scratch`));
    const status = JSON.parse((await runCli(['status', '--config', config, '--json'], h.env())).stdout) as {
      policies: { policy: string; fileSystems: number; selection: { selected: number; leftOut: number } }[];
    };
    expect(status.policies[0]).toMatchObject({
      policy: 'gold',
      fileSystems: 3,
      selection: { selected: 3, leftOut: 3 },
    });
  });

  it('says once per slot when a selector matches nothing it can copy', async () => {
    h = await PipelineHarness.start();
    h.sim.addFileSystem({ region: SOURCE, fileSystemId: fsId(1), type: 'ONTAP', tags: GOLD });
    const config = await writePolicyFile(`policies:
  - name: gold
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, selector: { tags: { dr-tier: gold } } }
    destinations: [{ region: ${DEST} }]
`);
    const service = h.run(config);
    const empty = await service.waitForEvent('plan.selector_empty');
    await service.waitForEvent('schedule.planned');
    await service.stop();
    expect(empty).toMatchObject({ level: 'warn', policy: 'gold', leftOut: 1 });
    expect(service.events('plan.selector_empty')).toHaveLength(1);
    expect(h.copyRequests()).toHaveLength(0);
  });

  it('says what a selector left out once per slot, even when the slot’s planning is retried', async () => {
    h = await PipelineHarness.start();
    h.sim.addFileSystem({ region: SOURCE, fileSystemId: fsId(1), type: 'ONTAP', tags: GOLD });
    h.sim.addFileSystem({ region: SOURCE, fileSystemId: fsId(2), type: 'WINDOWS', tags: GOLD });
    const backup = h.sim.addBackup({
      region: SOURCE,
      fileSystemId: fsId(2),
      creationTime: Date.now() - 60_000,
    });
    // The first attempt's listing of backups fails (every one of the SDK's attempts): the plan job is retried.
    h.sim.failNext({ operation: 'DescribeBackups', region: SOURCE, name: 'BadRequest', status: 400 });
    const config = await writePolicyFile(`settings:
  pollInterval: 100ms
policies:
  - name: gold
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, selector: { tags: { dr-tier: gold } } }
    destinations: [{ region: ${DEST} }]
`);
    const service = h.run(config);
    await service.waitForEvent('schedule.plan_retry');
    await h.waitForOutcomes(1);
    await service.waitForEvent('schedule.planned');
    await service.stop();
    expect(h.sim.copiesOf(backup, DEST)).toHaveLength(1);
    expect(h.sim.requests.filter((r) => r.operation === 'DescribeFileSystems').length).toBeGreaterThan(1);
    expect(service.events('plan.skipped').map((e) => e['fileSystemId'])).toEqual([fsId(1)]);
  });

  it('keeps five copies in flight in each of two accounts to one Region at once, never six in one, each made with its account’s credentials', async () => {
    h = await PipelineHarness.start({ clock: 'manual', copyDuration: () => 500 });
    const sim = h.sim;
    sim.addRole({ roleArn: role(A) });
    sim.addRole({ roleArn: role(B), externalId: 'b-secret-id' });
    const backups = new Map<string, string[]>();
    for (const [account, base] of [
      [A, 0x100],
      [B, 0x200],
    ] as const) {
      const ids: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        const id = fsId(base + i);
        sim.addFileSystem({
          accountId: account,
          region: SOURCE,
          fileSystemId: id,
          type: 'WINDOWS',
          tags: GOLD,
        });
        ids.push(
          sim.addBackup({
            accountId: account,
            region: SOURCE,
            fileSystemId: id,
            creationTime: Date.now() - 60_000,
          }),
        );
      }
      backups.set(account, ids);
    }
    const config = await writePolicyFile(`settings:
  pollInterval: 100ms
accounts:
  - name: team-a
    roleArn: ${role(A)}
  - name: team-b
    roleArn: ${role(B)}
    externalId: b-secret-id
policies:
  - name: a-gold
    account: team-a
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, selector: { tags: { dr-tier: gold } } }
    destinations: [{ region: ${DEST} }]
  - name: b-gold
    account: team-b
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, selector: { tags: { dr-tier: gold } } }
    destinations: [{ region: ${DEST} }]
`);
    const workers = [h.run(config, 'worker'), h.run(config, 'worker')];
    await Promise.all(workers.map((w) => w.waitForEvent('worker.started')));
    h.run(config, 'scheduler');
    await eventually('five copies in flight in each account', () =>
      [A, B].every((account) => sim.inFlight(DEST, account).service === 5),
    );
    expect(sim.inFlight(DEST, OWN).total).toBe(0);
    await eventually('16 outcomes', async () => {
      sim.clock.advance(100);
      return (await h!.outcomes()).length >= 16;
    });
    const outcomes = await h.outcomes();
    expect(outcomes.every((o) => o.status === 'succeeded')).toBe(true);
    expect(outcomes.filter((o) => o.account === 'team-a')).toHaveLength(8);
    expect(outcomes.filter((o) => o.account === 'team-b')).toHaveLength(8);
    for (const account of [A, B]) {
      expect(sim.peakInFlight(DEST, account).service).toBe(5);
      expect(sim.peakInFlight(DEST, account).total).toBeLessThanOrEqual(5);
      for (const b of backups.get(account) ?? []) expect(sim.copiesOf(b, DEST, account)).toHaveLength(1);
    }
    // Each account's CopyBackup was signed with the credentials STS issued for its role, never the service's own.
    const copies = h.copyRequests();
    expect(copies).toHaveLength(16);
    for (const account of [A, B]) {
      const mine = copies.filter((r) => r.accountId === account);
      expect(mine).toHaveLength(8);
      expect(mine.every((r) => r.accessKeyId?.startsWith('ASIA') === true)).toBe(true);
    }
    expect(copies.some((r) => r.accountId === OWN)).toBe(false);
    const assumed = sim.stsRequests.filter((r) => r.status === 200);
    expect(new Set(assumed.map((r) => r.roleArn))).toEqual(new Set([role(A), role(B)]));
    expect(assumed.every((r) => /^fsx-dr-team-[ab]$/.test(r.roleSessionName ?? ''))).toBe(true);

    const status = JSON.parse((await runCli(['status', '--config', config, '--json'], h.env())).stdout) as {
      regions: { account: string; region: string }[];
      accounts: { account: string; reachable: boolean }[];
    };
    expect(status.regions.map((r) => `${r.account}/${r.region}`).sort()).toEqual([
      `team-a/${DEST}`,
      `team-b/${DEST}`,
    ]);
    expect(status.accounts).toEqual([
      expect.objectContaining({ account: 'team-a', reachable: true }),
      expect.objectContaining({ account: 'team-b', reachable: true }),
    ]);
    const table = (await runCli(['outcomes', '--limit', '16'], h.env())).stdout.split('\n');
    expect(table[0]).toMatch(/^FINISHED\s+STATUS\s+ACCOUNT\s+POLICY/);
    expect(table.filter((l) => /\ssucceeded\s+team-b\s+b-gold\s/.test(l))).toHaveLength(8);
  });

  it('fails the slots of an account whose role cannot be assumed, loudly, while another account copies', async () => {
    h = await PipelineHarness.start();
    const sim = h.sim;
    sim.addRole({ roleArn: role(A) });
    // C's role is not assumable by the service: STS answers AccessDenied.
    for (const [account, id] of [
      [A, fsId(0x100)],
      [C, fsId(0x300)],
    ] as const) {
      sim.addFileSystem({ accountId: account, region: SOURCE, fileSystemId: id, type: 'WINDOWS' });
      sim.addBackup({
        accountId: account,
        region: SOURCE,
        fileSystemId: id,
        creationTime: Date.now() - 60_000,
      });
    }
    const config = await writePolicyFile(`settings:
  pollInterval: 100ms
accounts:
  - { name: team-a, roleArn: "${role(A)}" }
  - { name: team-c, roleArn: "${role(C)}" }
policies:
  - name: a-prod
    account: team-a
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, fileSystemIds: [${fsId(0x100)}] }
    destinations: [{ region: ${DEST} }]
  - name: c-prod
    account: team-c
    schedule: "0 0 1 1 *"
    source: { region: ${SOURCE}, fileSystemIds: [${fsId(0x300)}] }
    destinations: [{ region: ${DEST} }]
`);
    const service = h.run(config);
    const failed = await service.waitForEvent('plan.account_failed');
    const [outcome] = await h.waitForOutcomes(1);
    expect(failed).toMatchObject({
      level: 'error',
      policy: 'c-prod',
      account: 'team-c',
      roleArn: role(C),
      errorName: 'AccessDenied',
    });
    expect(outcome).toMatchObject({ status: 'succeeded', account: 'team-a', fileSystemId: fsId(0x100) });
    expect(h.copyRequests().filter((r) => r.accountId === C)).toHaveLength(0);

    const status = JSON.parse((await runCli(['status', '--config', config, '--json'], h.env())).stdout) as {
      accounts: { account: string; reachable: boolean; errorName?: string }[];
    };
    expect(status.accounts).toEqual([
      expect.objectContaining({ account: 'team-a', reachable: true }),
      expect.objectContaining({ account: 'team-c', reachable: false, errorName: 'AccessDenied' }),
    ]);
    const text = (await runCli(['status', '--config', config], h.env())).stdout;
    expect(text).toMatch(/team-c\s+arn:aws:iam::333333333333:role\/fsx-dr-copier\s+no: AccessDenied/);
    const port = Number((await service.waitForEvent('http.listening'))['port']);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('fsxdr_account_unreachable{account="team-c",error_name="AccessDenied"} 1');
    expect(metrics).toContain('fsxdr_account_unreachable{account="team-a",error_name=""} 0');
    await service.stop();
  });
});

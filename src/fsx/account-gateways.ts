import { DEFAULT_ACCOUNT } from '../copy/account-region.js';
import type { Account } from '../config/types.js';
import { assumeRoleCredentials, type AssumeRoleOptions } from './assume-role.js';
import { FsxGateway, type FsxGatewayOptions } from './fsx-gateway.js';

/**
 * One FSx gateway per account, so one SDK client per (account, Region): the service's own account on its own
 * credentials, every other on its assumed role. A reload that changes an account's role (or external id) gets a new
 * gateway; an account a reload removed keeps its gateway, because copies already queued in it must still finish.
 */
export class AccountGateways {
  private readonly gateways = new Map<
    string,
    { readonly fingerprint: string; readonly gateway: FsxGateway }
  >();
  private readonly own: FsxGateway;
  /**
   * Gateways a reload replaced (a new role or external id for an account). A call that looked one up just before
   * may still be using it, and nothing says when the last one ends, so they are closed with the rest at shutdown:
   * one per change of an account's role, a handful over a process's life.
   */
  private readonly retired: FsxGateway[] = [];

  constructor(
    private readonly options: FsxGatewayOptions & AssumeRoleOptions = {},
    accounts: readonly Account[] = [],
  ) {
    this.own = new FsxGateway(options);
    this.apply(accounts);
  }

  /** Takes the accounts of a (re)loaded config. */
  apply(accounts: readonly Account[]): void {
    for (const account of accounts) {
      const fingerprint = JSON.stringify([account.roleArn, account.externalId ?? null]);
      const current = this.gateways.get(account.name);
      if (current?.fingerprint === fingerprint) continue;
      // The old gateway's in-flight calls finish on their own; its clients are closed with the rest at the end.
      const gateway = new FsxGateway({
        ...this.options,
        credentials: assumeRoleCredentials(account, this.options),
      });
      if (current) this.retired.push(current.gateway);
      this.gateways.set(account.name, { fingerprint, gateway });
    }
  }

  /**
   * The gateway of an account. An account no config ever named (a job queued by another deployment's config, say)
   * has none: its copies fail with that reason rather than being made with the wrong credentials.
   */
  gateway(account: string): FsxGateway {
    if (account === DEFAULT_ACCOUNT) return this.own;
    const known = this.gateways.get(account);
    if (!known) throw new UnknownAccountError(account);
    return known.gateway;
  }

  destroy(): void {
    this.own.destroy();
    for (const { gateway } of this.gateways.values()) gateway.destroy();
    for (const gateway of this.retired) gateway.destroy();
    this.gateways.clear();
  }
}

/** A job or slot names an account the loaded config does not define. */
export class UnknownAccountError extends Error {
  constructor(readonly account: string) {
    super(`account ${account} is not in the config's accounts: add it, or its queued copies cannot be made`);
    this.name = 'UnknownAccount';
  }
}

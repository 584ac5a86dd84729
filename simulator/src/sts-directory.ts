import type { SeededRandom } from './seeded-random.js';
import type { SigV4Credential } from './sigv4-credential.js';
import { arnPartitionOf } from './partitions.js';

/**
 * The IAM and STS side of the simulated world: roles a caller may assume (each in its own account), the temporary
 * credentials AssumeRole issued, and whose account a request acts in. A request's account is its access key's: a
 * key issued here maps to its role's account, any other key to the default account (so static test credentials
 * keep working as they always did).
 */
export interface AddRoleInput {
  /** `arn:aws:iam::<12 digits>:role/<name>`; the 12 digits are the account the role's credentials act in. */
  readonly roleArn: string;
  /** When set, AssumeRole must pass exactly this ExternalId (a trust policy's `sts:ExternalId` condition). */
  readonly externalId?: string | undefined;
  /** The role's MaxSessionDuration, 3600–43200 s (default 3600, as IAM's): a longer DurationSeconds is refused. */
  readonly maxSessionDurationSeconds?: number | undefined;
}

export interface RoleRecord {
  readonly roleArn: string;
  readonly partition: string;
  readonly accountId: string;
  readonly roleName: string;
  /** `AROA...`: the role's unique id, the first half of `AssumedRoleId`. */
  readonly roleId: string;
  readonly externalId?: string;
  readonly maxSessionDurationSeconds: number;
}

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch ms on the simulator clock; a request signed with the key at or after it is refused. */
  readonly expiration: number;
  readonly role: RoleRecord;
  readonly roleSessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` */
  readonly assumedRoleArn: string;
  /** `<role id>:<session name>` */
  readonly assumedRoleId: string;
}

/** Who signed a request, as GetCallerIdentity and AccessDenied messages name them. */
export interface CallerIdentity {
  readonly accessKeyId?: string;
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
  /** Present when the key is one AssumeRole issued. */
  readonly issued?: IssuedCredentials;
}

/** A caller, and whether its credentials may be used now. */
export type CallerCheck =
  | { readonly kind: 'valid'; readonly caller: CallerIdentity }
  | { readonly kind: 'expired'; readonly caller: CallerIdentity }
  | { readonly kind: 'invalid-token'; readonly caller: CallerIdentity };

const ROLE_ARN = /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
/** AWS key ids are base32 (A–Z, 2–7) after their prefix: uppercase alphanumerics, as `ASIA` + 16 needs. */
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function draw(random: SeededRandom, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(random.next() * alphabet.length)] ?? 'A';
  return out;
}

/** The parts of a role ARN, or undefined when it is not one. */
export function parseRoleArn(
  roleArn: string,
): { partition: string; accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(roleArn);
  if (!match) return undefined;
  const [, partition = 'aws', accountId = '', roleName = ''] = match;
  return { partition, accountId, roleName };
}

export class StsDirectory {
  readonly #roles = new Map<string, RoleRecord>();
  readonly #issued = new Map<string, IssuedCredentials>();
  /** Keys issued before a reset: refused, so a client kept across `sim.reset()` does not quietly act elsewhere. */
  readonly #revoked = new Set<string>();

  /** `random` is the simulator's own stream for credentials, so assuming a role moves no backup id. */
  constructor(
    readonly defaultAccountId: string,
    readonly random: SeededRandom,
  ) {}

  addRole(input: AddRoleInput): RoleRecord {
    const parts = parseRoleArn(input.roleArn);
    if (!parts) throw new Error(`${input.roleArn} is not a role ARN (arn:aws:iam::<12 digits>:role/<name>)`);
    const max = input.maxSessionDurationSeconds ?? 3600;
    if (!Number.isInteger(max) || max < 3600 || max > 43200) {
      throw new Error(`maxSessionDurationSeconds ${max} is not an integer in 3600–43200`);
    }
    if (input.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(input.externalId)) {
      throw new Error(`externalId ${input.externalId} is not 2–1224 of [\\w+=,.@:/-]`);
    }
    const role: RoleRecord = {
      roleArn: input.roleArn,
      ...parts,
      roleId: `AROA${draw(this.random, UPPER_ALPHANUMERIC, 17)}`,
      ...(input.externalId !== undefined && { externalId: input.externalId }),
      maxSessionDurationSeconds: max,
    };
    this.#roles.set(role.roleArn, role);
    return role;
  }

  role(roleArn: string): RoleRecord | undefined {
    return this.#roles.get(roleArn);
  }

  /** New credentials for a session of the role, valid until `expiration` on the simulator clock. */
  issue(role: RoleRecord, roleSessionName: string, expiration: number): IssuedCredentials {
    let accessKeyId: string;
    do accessKeyId = `ASIA${draw(this.random, UPPER_ALPHANUMERIC, 16)}`;
    while (this.#issued.has(accessKeyId));
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: draw(this.random, SECRET_ALPHABET, 40),
      sessionToken: `IQoJb3JpZ2luX2Vj${draw(this.random, SECRET_ALPHABET, 200)}`,
      expiration,
      role,
      roleSessionName,
      assumedRoleArn: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.roleName}/${roleSessionName}`,
      assumedRoleId: `${role.roleId}:${roleSessionName}`,
    };
    this.#issued.set(accessKeyId, issued);
    this.#revoked.delete(accessKeyId);
    return issued;
  }

  /**
   * The caller of a request at `now`. A key issued here must come with its own session token and before its
   * expiration; a key issued before a reset is refused; any other key (or none) is the default account's root
   * user, which may do anything.
   */
  identify(credential: SigV4Credential | undefined, now: number): CallerCheck {
    const issued = credential === undefined ? undefined : this.#issued.get(credential.accessKeyId);
    if (!issued) {
      const revoked = credential !== undefined && this.#revoked.has(credential.accessKeyId);
      const partition = arnPartitionOf(credential?.region ?? '');
      const caller: CallerIdentity = {
        ...(credential !== undefined && { accessKeyId: credential.accessKeyId }),
        accountId: this.defaultAccountId,
        arn: `arn:${partition}:iam::${this.defaultAccountId}:root`,
        userId: this.defaultAccountId,
      };
      return { kind: revoked ? 'invalid-token' : 'valid', caller };
    }
    const caller: CallerIdentity = {
      accessKeyId: issued.accessKeyId,
      accountId: issued.role.accountId,
      arn: issued.assumedRoleArn,
      userId: issued.assumedRoleId,
      issued,
    };
    if (credential?.sessionToken !== issued.sessionToken) return { kind: 'invalid-token', caller };
    if (now >= issued.expiration) return { kind: 'expired', caller };
    return { kind: 'valid', caller };
  }

  /** Forgets every role and every credential issued (their keys are refused from now on, until issued again). */
  reset(): void {
    for (const key of this.#issued.keys()) this.#revoked.add(key);
    this.#roles.clear();
    this.#issued.clear();
  }
}

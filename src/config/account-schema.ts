import * as z from 'zod';
import { quote } from './finding.js';
import { field, POLICY_NAME_PATTERN } from './schema-field.js';

/**
 * One entry of `accounts:`: a name policies refer to, the IAM role the service assumes for that account's FSx calls,
 * and the external id the role's trust policy may ask for. Names unique across files, the reserved `default` and
 * the role's partition against the policies' Regions are check-accounts.ts's.
 */

/** `arn:<partition>:iam::<account>:role/<path/><name>`: IAM's role path and name characters. */
export const ROLE_ARN_PATTERN =
  /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role\/((?:[\u0021-\u002E\u0030-\u007E]+\/)*[\w+=,.@-]{1,64})$/;
/** STS's rule for AssumeRole's ExternalId: 2 to 1224 of these characters. */
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]+$/;

const ROLE_ARN_FORM = 'arn:<partition>:iam::<12-digit account id>:role/<name>';

function roleArnProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{12}$/.test(value)) {
    return `${quote(value)} is an account id, not a role ARN; write arn:aws:iam::${value}:role/<name>`;
  }
  if (/^arn:[a-z-]+:iam::\d{12}:user\//.test(value)) {
    return `${quote(value)} is an IAM user ARN; the service reaches an account by assuming a role: give the role's ARN, ${ROLE_ARN_FORM}`;
  }
  if (/^arn:[a-z-]+:sts::\d{12}:assumed-role\//.test(value)) {
    return `${quote(value)} is the ARN of a role session; give the role's own ARN, ${ROLE_ARN_FORM}`;
  }
  return undefined;
}

export const accountSchema = field(
  z.strictObject({
    name: field(
      z.string().regex(POLICY_NAME_PATTERN),
      "Unique account name, used in policies' account: lowercase letters, digits and -, 1 to 63 characters; not default (the service's own account).",
      {
        expected:
          'lowercase letters, digits and -, 1 to 63 characters, starting and ending with a letter or digit',
        noun: 'a valid account name',
      },
    ),
    roleArn: field(
      z.string().max(2048).regex(ROLE_ARN_PATTERN),
      "The IAM role the service assumes for this account's FSx calls, in the partition of the Regions its policies use.",
      {
        expected: `an IAM role ARN, ${ROLE_ARN_FORM}, e.g. arn:aws:iam::111122223333:role/fsx-dr-copier`,
        noun: 'an IAM role ARN',
        invalid: roleArnProblem,
      },
    ),
    externalId: field(
      z.string().min(2).max(1224).regex(EXTERNAL_ID_PATTERN),
      "The external id AssumeRole passes, when the role's trust policy asks for one (sts:ExternalId).",
      {
        expected: 'an external id: 2 to 1224 characters, letters, digits and _ + = , . @ : / -',
        noun: 'a valid external id',
      },
    ).optional(),
  }),
  'An AWS account reached by assuming a role. Policies name it in account.',
  { expected: 'a mapping with name and roleArn, and optionally externalId' },
);

export type AccountInput = z.infer<typeof accountSchema>;

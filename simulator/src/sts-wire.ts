import type { CallerIdentity, IssuedCredentials } from './sts-directory.js';
import type { SimulatedStsError } from './sts-error.js';

/**
 * STS's awsQuery wire format, as the SDK's STS client (`@aws-sdk/nested-clients` sts, `AwsQueryProtocol`) sends
 * and parses it: a form-encoded POST `Action=...&Version=2011-06-15&...`, answered with XML
 * `<{Action}Response><{Action}Result>...</{Action}Result><ResponseMetadata>` or an `ErrorResponse`.
 */
export const STS_VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** Elements in order; values are escaped, nested element lists rendered in place. */
type XmlNode = readonly [name: string, value: string | readonly XmlNode[]];

function renderNodes(nodes: readonly XmlNode[]): string {
  return nodes
    .map(
      ([name, value]) =>
        `<${name}>${typeof value === 'string' ? escapeXml(value) : renderNodes(value)}</${name}>`,
    )
    .join('');
}

/** ISO 8601 to the second, as STS writes `Expiration` (the SDK then refreshes a little early, never late). */
function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function response(action: string, result: readonly XmlNode[], requestId: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}">` +
    renderNodes([
      [`${action}Result`, result],
      ['ResponseMetadata', [['RequestId', requestId]]],
    ]) +
    `</${action}Response>`
  );
}

export function assumeRoleXml(issued: IssuedCredentials, requestId: string): string {
  return response(
    'AssumeRole',
    [
      [
        'AssumedRoleUser',
        [
          ['AssumedRoleId', issued.assumedRoleId],
          ['Arn', issued.assumedRoleArn],
        ],
      ],
      [
        'Credentials',
        [
          ['AccessKeyId', issued.accessKeyId],
          ['SecretAccessKey', issued.secretAccessKey],
          ['SessionToken', issued.sessionToken],
          ['Expiration', isoSeconds(issued.expiration)],
        ],
      ],
    ],
    requestId,
  );
}

export function getCallerIdentityXml(caller: CallerIdentity, requestId: string): string {
  return response(
    'GetCallerIdentity',
    [
      ['Arn', caller.arn],
      ['UserId', caller.userId],
      ['Account', caller.accountId],
    ],
    requestId,
  );
}

export function stsErrorXml(error: SimulatedStsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}">` +
    renderNodes([
      [
        'Error',
        [
          ['Type', error.type],
          ['Code', error.name],
          ['Message', error.message],
        ],
      ],
      ['RequestId', requestId],
    ]) +
    '</ErrorResponse>'
  );
}

import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a request's SigV4 `authorization` header says about its caller: the access key, and the scope's Region and
 * service. One endpoint serves every Region, FSx and STS alike, so these decide where a request goes and whose
 * account it acts in. No signature is checked.
 */
export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  /** `x-amz-security-token`: sent with temporary credentials. */
  readonly sessionToken?: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The credential of a signed request, or undefined when it carries none. */
export function sigV4CredentialOf(headers: IncomingHttpHeaders): SigV4Credential | undefined {
  const match = CREDENTIAL.exec(headerValue(headers, 'authorization'));
  if (!match) return undefined;
  const [, accessKeyId = '', region = '', service = ''] = match;
  const sessionToken = headerValue(headers, 'x-amz-security-token');
  return { accessKeyId, region, service, ...(sessionToken !== '' && { sessionToken }) };
}

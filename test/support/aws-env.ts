/**
 * The environment every test (and every process a test starts) runs with, so nothing tries to reach AWS:
 * a fixed Region, static credentials and no instance-metadata look-up. The endpoint is the FSx simulator's.
 */
export function awsTestEnv(fsxEndpoint?: string): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key-never-logged',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (fsxEndpoint) {
    env['AWS_ENDPOINT_URL_FSX'] = fsxEndpoint;
    env['AWS_ENDPOINT_URL_STS'] = fsxEndpoint;
  }
  return env;
}

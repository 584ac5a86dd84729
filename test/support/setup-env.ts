import { awsTestEnv } from './aws-env.js';

// Applied to every test file: no test may reach AWS or an instance-metadata endpoint.
for (const [k, v] of Object.entries(awsTestEnv())) process.env[k] = v;
delete process.env['AWS_PROFILE'];

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EnvironmentError, readEnvironment, ROLES } from '../config/environment.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { runCopyNow } from './copy-now.js';
import { runOutcomes } from './outcomes.js';
import { runPlan } from './plan.js';
import { runStatus } from './status.js';
import type { Output } from './output.js';
import { runService } from './run.js';
import { formatConfigIssues, runValidate } from './validate.js';

const USAGE = `Usage: fsx-dr <command> [options]

Commands:
  run --config <file|dir> [--role all|scheduler|worker]
                      Run the scheduler and the copy workers (or one of them) until SIGTERM.
  validate --config <file|dir>
                      Check policy files; print a summary and the next fire times, or every error.
  outcomes [--json] [--limit N] [--policy P]
                      Show recorded copy outcomes, newest first.
  plan --config <file|dir> [--json]
                      What the next fire of each policy would copy (reads FSx and Redis; enqueues nothing).
  status [--config <file|dir>] [--json]
                      Per Region: copies in flight, waiting, delayed, failed. Per policy: last and next fire,
                      last outcome, recovery point age and RPO.
  copy-now --policy <name> --config <file|dir> [--json]
                      Fire one slot of a policy now (a running scheduler plans it).

Environment: REDIS_URL (default redis://127.0.0.1:6379), LOG_LEVEL (info), FSXDR_ROLE (all), FSXDR_PREFIX
(fsx-dr), and the AWS SDK's own variables (AWS_REGION, credentials, AWS_ENDPOINT_URL_FSX).`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

class UsageError extends Error {}

function requireConfig(value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError('--config <file|dir> is required');
  return value;
}

/** The `fsx-dr` entry point. Returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, out: Output): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string', short: 'c' }, role: { type: 'string' } },
          strict: true,
        });
        const role = values.role;
        if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
          throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        }
        const environment = readEnvironment(
          { ...env, ...(role !== undefined ? { FSXDR_ROLE: role } : {}) },
          process.stdout.isTTY,
        );
        const configPath = requireConfig(values.config);
        const config = await loadConfig(configPath);
        return await runService(configPath, config, environment);
      }
      case 'validate': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string', short: 'c' } },
          strict: true,
        });
        return await runValidate({ config: requireConfig(values.config), now: new Date() }, out);
      }
      case 'outcomes': {
        const { values } = parseArgs({
          args: rest,
          options: { json: { type: 'boolean' }, limit: { type: 'string' }, policy: { type: 'string' } },
          strict: true,
        });
        const limit = values.limit === undefined ? 50 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
          throw new UsageError('--limit must be 1..100000');
        return await runOutcomes(
          {
            json: values.json ?? false,
            limit,
            ...(values.policy !== undefined ? { policy: values.policy } : {}),
          },
          readEnvironment(env),
          out,
        );
      }
      case 'plan': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
          strict: true,
        });
        const config = await loadConfig(requireConfig(values.config));
        return await runPlan({ json: values.json ?? false }, config, readEnvironment(env), out);
      }
      case 'status': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
          strict: true,
        });
        const config = values.config !== undefined ? await loadConfig(values.config) : undefined;
        return await runStatus({ json: values.json ?? false }, config, readEnvironment(env), out);
      }
      case 'copy-now': {
        const { values } = parseArgs({
          args: rest,
          options: {
            config: { type: 'string', short: 'c' },
            policy: { type: 'string', short: 'p' },
            json: { type: 'boolean' },
          },
          strict: true,
        });
        if (values.policy === undefined) throw new UsageError('--policy <name> is required');
        const config = await loadConfig(requireConfig(values.config));
        return await runCopyNow(
          { policy: values.policy, json: values.json ?? false },
          config,
          readEnvironment(env),
          out,
        );
      }
      case '--version':
      case 'version':
        out.stdout(version());
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      out.stderr(formatConfigIssues(err.issues));
      return 1;
    }
    if (err instanceof EnvironmentError) {
      out.stderr(`fsx-dr: ${err.message}`);
      return 1;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      out.stderr(`fsx-dr: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
}

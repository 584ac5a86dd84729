import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EnvironmentError, readEnvironment, ROLES, type Environment } from '../config/environment.js';
import { ConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { REPORT_FORMATS, type ReportFormat } from './report-formats.js';
import type { Output } from './output.js';
import { formatConfigIssues, runValidate } from './validate.js';

/**
 * The long-running `run` verb. It is wired in `workers/` (the composition root), which `src/` never imports, so the
 * bin entry hands it in.
 */
export type ServeCommand = (configPath: string, config: Config, env: Environment) => Promise<number>;

/** What each verb gets: its own parsed options, the process environment, where to print, and `run`'s runtime. */
interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
  readonly serve: ServeCommand;
}

interface Command {
  /** The synopsis after the verb, and what it does (one or two lines), for USAGE. */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly run: (ctx: CommandContext) => Promise<number>;
}

class UsageError extends Error {
  readonly code = 'FSXDR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const;
const JSON_OPTION = { json: { type: 'boolean' } } as const;

function text(values: CommandContext['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function requireConfig(values: CommandContext['values']): string {
  const value = text(values, 'config');
  if (value === undefined || value === '') throw new UsageError('--config <file|dir> is required');
  return value;
}

const asJson = (values: CommandContext['values']): boolean => values['json'] === true;

/** Every verb of `fsx-dr`; a verb missing here cannot be dispatched, and USAGE is built from this table. */
const COMMANDS = {
  run: {
    synopsis: 'run --config <file|dir> [--role all|scheduler|worker]',
    summary: 'Run the scheduler and the copy workers (or one of them) until SIGTERM.',
    options: { ...CONFIG_OPTION, role: { type: 'string' } },
    run: async ({ values, env, serve }) => {
      const role = text(values, 'role');
      if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      }
      const environment = readEnvironment(
        { ...env, ...(role !== undefined ? { FSXDR_ROLE: role } : {}) },
        process.stdout.isTTY,
      );
      const configPath = requireConfig(values);
      return serve(configPath, await loadConfig(configPath), environment);
    },
  },
  validate: {
    synopsis: 'validate --config <file|dir>',
    summary: 'Check policy files; print a summary and the next fire times, or every error.',
    options: CONFIG_OPTION,
    run: ({ values, out }) => runValidate({ config: requireConfig(values), now: new Date() }, out),
  },
  outcomes: {
    synopsis: 'outcomes [--json] [--limit N] [--policy P]',
    summary: 'Show recorded copy outcomes, newest first.',
    options: { ...JSON_OPTION, limit: { type: 'string' }, policy: { type: 'string' } },
    run: async ({ values, env, out }) => {
      const rawLimit = text(values, 'limit');
      const limit = rawLimit === undefined ? 50 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
        throw new UsageError('--limit must be 1..100000');
      const policy = text(values, 'policy');
      const { runOutcomes } = await import('./outcomes.js');
      return runOutcomes(
        { json: asJson(values), limit, ...(policy !== undefined ? { policy } : {}) },
        readEnvironment(env),
        out,
      );
    },
  },
  plan: {
    synopsis: 'plan --config <file|dir> [--json]',
    summary: 'What the next fire of each policy would copy (reads FSx and Redis; enqueues nothing).',
    options: { ...CONFIG_OPTION, ...JSON_OPTION },
    run: async ({ values, env, out }) => {
      const config = await loadConfig(requireConfig(values));
      const { runPlan } = await import('./plan.js');
      return runPlan({ json: asJson(values) }, config, readEnvironment(env), out);
    },
  },
  retention: {
    synopsis: 'retention --config <file|dir> [--json]',
    summary:
      'Per pair, every copy with keep (why) or delete (why), as the next sweep would decide\n' +
      '(reads FSx and Redis; deletes nothing).',
    options: { ...CONFIG_OPTION, ...JSON_OPTION },
    run: async ({ values, env, out }) => {
      const config = await loadConfig(requireConfig(values));
      const { runRetention } = await import('./retention.js');
      return runRetention({ json: asJson(values) }, config, readEnvironment(env), out);
    },
  },
  status: {
    synopsis: 'status [--config <file|dir>] [--json]',
    summary:
      'Per Region: copies in flight, waiting, delayed, failed. Per policy: last and next fire,\n' +
      'last outcome, recovery point age and RPO. Copies held per pair; backups against the quota.',
    options: { ...CONFIG_OPTION, ...JSON_OPTION },
    run: async ({ values, env, out }) => {
      const path = text(values, 'config');
      const config = path !== undefined ? await loadConfig(path) : undefined;
      const { runStatus } = await import('./status.js');
      return runStatus({ json: asJson(values) }, config, readEnvironment(env), out);
    },
  },
  'copy-now': {
    synopsis: 'copy-now --policy <name> --config <file|dir> [--json]',
    summary: 'Fire one slot of a policy now (a running scheduler plans it).',
    options: { ...CONFIG_OPTION, ...JSON_OPTION, policy: { type: 'string', short: 'p' } },
    run: async ({ values, env, out }) => {
      const policy = text(values, 'policy');
      if (policy === undefined) throw new UsageError('--policy <name> is required');
      const config = await loadConfig(requireConfig(values));
      const { runCopyNow } = await import('./copy-now.js');
      return runCopyNow({ policy, json: asJson(values) }, config, readEnvironment(env), out);
    },
  },
  report: {
    synopsis: 'report [--config <file|dir>] [--since 30d] [--format html|md|json] [--out FILE]',
    summary:
      'DR evidence per policy, file system and destination: newest copy, share of the period within\n' +
      'the RPO, every breach, copies by outcome (--config gives the RPOs).',
    options: {
      ...CONFIG_OPTION,
      since: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string', short: 'o' },
    },
    run: async ({ values, env, out }) => {
      const since = text(values, 'since') ?? '30d';
      const periodMs = parseDuration(since, ['m', 'h', 'd']);
      if (periodMs === undefined || periodMs < 60_000 || periodMs > 3_660 * 86_400_000) {
        throw new UsageError('--since must be a duration such as 30d, 92d or 12h (1m to 3660d)');
      }
      const format = text(values, 'format') ?? 'html';
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
      }
      const path = text(values, 'config');
      const config = path !== undefined ? await loadConfig(path) : undefined;
      const file = text(values, 'out');
      const { runReport } = await import('./report.js');
      return runReport(
        {
          periodMs,
          format: format as ReportFormat,
          now: Date.now(),
          ...(file !== undefined ? { out: file } : {}),
        },
        config,
        readEnvironment(env),
        out,
      );
    },
  },
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

function usage(): string {
  const lines = Object.values(COMMANDS).map((c: Command) => {
    const summary = c.summary
      .split('\n')
      .map((l) => `                      ${l}`)
      .join('\n');
    return `  ${c.synopsis}\n${summary}`;
  });
  return `Usage: fsx-dr <command> [options]

Commands:
${lines.join('\n')}

Environment: REDIS_URL (default redis://127.0.0.1:6379), LOG_LEVEL (info), FSXDR_ROLE (all), FSXDR_PREFIX
(fsx-dr), and the AWS SDK's own variables (AWS_REGION, credentials, AWS_ENDPOINT_URL_FSX).`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const isCommandName = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

async function dispatch(argv: readonly string[], ctx: Omit<CommandContext, 'values'>): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') {
    ctx.out.stdout(version());
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    ctx.out.stdout(usage());
    return command === undefined ? 2 : 0;
  }
  if (!isCommandName(command)) throw new UsageError(`unknown command: ${command}`);
  const spec: Command = COMMANDS[command];
  const { values } = parseArgs({ args: rest, options: spec.options, strict: true });
  return spec.run({ ...ctx, values });
}

/** The `fsx-dr` entry point. Returns the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
  serve: ServeCommand,
): Promise<number> {
  try {
    return await dispatch(argv, { env, out, serve });
  } catch (err) {
    if (err instanceof ConfigError) {
      out.stderr(formatConfigIssues(err.issues));
      return 1;
    }
    if (err instanceof EnvironmentError) {
      for (const problem of err.problems) out.stderr(`fsx-dr: ${problem}`);
      return 1;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      out.stderr(`fsx-dr: ${(err as Error).message}\n\n${usage()}`);
      return 2;
    }
    throw err;
  }
}

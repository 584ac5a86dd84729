/**
 * docker-compose.yml, without a Docker engine: Debian's docker-compose (v1) parses and validates it (`config`, with
 * and without the demo profile) and renders what it would run; the checks below read that rendering. Then what the
 * services run is run here: the policy file each fsx-dr service is given goes through the real `fsx-dr validate`,
 * and the demo's FSx simulator is started from its seed file and asked for the file systems config/demo.yaml copies.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { DescribeBackupsCommand, FSxClient } from '@aws-sdk/client-fsx';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  durationMs,
  effective,
  execForm,
  hostPathOf,
  imagePathOf,
  parseDockerfile,
  readPackageJson,
  readRepoFile,
  requireBuilt,
  requireTool,
  run,
  runAsync,
  stageChain,
  type RunResult,
} from './container-files.js';

interface Healthcheck {
  readonly test?: string[];
}
interface Service {
  readonly image?: string;
  readonly build?: { context: string; target?: string };
  readonly profiles?: string[];
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly environment?: Record<string, string | null>;
  readonly volumes?: string[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly network_mode?: string;
  readonly healthcheck?: Healthcheck;
  readonly stop_grace_period?: string;
  readonly container_name?: string;
  readonly ports?: unknown[];
  readonly hostname?: string;
  readonly read_only?: boolean;
  readonly user?: string;
}
interface ComposeConfig {
  readonly services: Record<string, Service>;
  readonly volumes?: Record<string, unknown>;
}

const INSTALL_COMPOSE =
  'apt-get install -y --no-install-recommends docker-compose (Debian 12: v1.29, which knows profiles; .ci/run installs it)';
const FSX_DR_SERVICES = ['scheduler', 'worker', 'demo'];
const stages = parseDockerfile(readRepoFile('Dockerfile'));
const pkg = readPackageJson();

/** A clean environment: none of the test process's AWS_* variables, a HOME of its own. */
function composeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: mkdtempSync(join(tmpdir(), 'compose-home-')), ...extra };
}

/** An empty env file, so a developer's own .env does not change what the tests see. */
const EMPTY_ENV_FILE = join(mkdtempSync(join(tmpdir(), 'compose-env-')), 'empty.env');
writeFileSync(EMPTY_ENV_FILE, '');

function compose(args: readonly string[], extra: Record<string, string> = {}): RunResult {
  return run(
    'docker-compose',
    ['--env-file', EMPTY_ENV_FILE, '-f', 'docker-compose.yml', ...args],
    composeEnv(extra),
  );
}

function renderConfig(args: readonly string[] = [], extra: Record<string, string> = {}): ComposeConfig {
  const result = compose([...args, 'config'], extra);
  if (result.status !== 0)
    throw new Error(`docker-compose ${args.join(' ')} config failed:\n${result.stderr}`);
  return parse(result.stdout) as ComposeConfig;
}

function service(config: ComposeConfig, name: string): Service {
  const s = config.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

/** Services `docker compose [--profile P] up` starts: those without profiles, and those of the profiles given. */
function enabledServices(config: ComposeConfig, profiles: readonly string[]): Set<string> {
  return new Set(
    Object.entries(config.services)
      .filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)))
      .map(([name]) => name),
  );
}

/** Services a service needs running: depends_on and `network_mode: service:X`. */
function dependenciesOf(s: Service): string[] {
  const network = s.network_mode?.startsWith('service:') ? [s.network_mode.slice('service:'.length)] : [];
  return [...Object.keys(s.depends_on ?? {}), ...network];
}

/** The host file behind a path in a service's container: a bind mount first, else what the image copied. */
function hostFileOf(s: Service, containerPath: string): string {
  for (const volume of s.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (!source || !target || !source.startsWith('/')) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`))
      return posix.join(source, containerPath.slice(target.length));
  }
  const chain = stageChain(stages, s.build?.target ?? '');
  const origin = hostPathOf(stages, chain, imagePathOf(chain, containerPath));
  if (!origin) throw new Error(`${containerPath} is neither mounted nor in the image`);
  return join(REPO_ROOT, origin.hostPath);
}

/** What the container runs: the compose entrypoint or the image's, then the compose command or the image's. */
function argvOf(s: Service): string[] {
  const chain = stageChain(stages, s.build?.target ?? '');
  const entrypoint = s.entrypoint ?? execForm(effective(chain, 'ENTRYPOINT')?.args ?? '[]');
  const command = s.command ?? execForm(effective(chain, 'CMD')?.args ?? '[]');
  return [...entrypoint, ...command];
}

function optionValue(argv: readonly string[], option: string): string {
  const index = argv.indexOf(option);
  const value = index >= 0 ? argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`${argv.join(' ')} has no ${option}`);
  return value;
}

/**
 * The rendered configs, made once. Each test asks for them in beforeEach, so a missing docker-compose fails every
 * test with the install line (a failing beforeAll would only mark them skipped).
 */
let rendered: { config: ComposeConfig; demoConfig: ComposeConfig } | undefined;
function configs(): { config: ComposeConfig; demoConfig: ComposeConfig } {
  if (rendered) return rendered;
  requireTool('docker-compose', ['version'], INSTALL_COMPOSE);
  rendered = { config: renderConfig(), demoConfig: renderConfig(['--profile', 'demo']) };
  return rendered;
}
let config: ComposeConfig;
let demoConfig: ComposeConfig;

/** The config as rendered from a shell that exports credentials and picks a policy file. */
let shellRendered: ComposeConfig | undefined;
function shellConfig(): ComposeConfig {
  shellRendered ??= renderConfig([], {
    AWS_ACCESS_KEY_ID: 'AKIDPASSEDTHROUGH000',
    AWS_SECRET_ACCESS_KEY: 'from-the-shell',
    FSXDR_POLICY_FILE: 'mine.yaml',
  });
  return shellRendered;
}

beforeEach(() => {
  ({ config, demoConfig } = configs());
});

describe('docker-compose config', () => {
  it('parses and validates, with and without the demo profile', () => {
    expect(Object.keys(config.services).sort()).toEqual([
      'demo',
      'fsx-simulator',
      'redis',
      'scheduler',
      'worker',
    ]);
    expect(Object.keys(demoConfig.services)).toEqual(expect.arrayContaining(['demo', 'fsx-simulator']));
  });

  it('rejects a broken file (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-broken-'));
    writeFileSync(
      join(dir, 'docker-compose.yml'),
      'services:\n  worker:\n    image: x\n    stop_grace_peroid: 20s\n',
    );
    const broken = run('docker-compose', ['-f', 'docker-compose.yml', 'config'], composeEnv(), dir);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('stop_grace_peroid');
  });

  it('`up` starts Redis, the scheduler and the workers; the demo profile adds the simulator and the demo', () => {
    expect([...enabledServices(config, [])].sort()).toEqual(['redis', 'scheduler', 'worker']);
    expect([...enabledServices(config, ['demo'])].sort()).toEqual([
      'demo',
      'fsx-simulator',
      'redis',
      'scheduler',
      'worker',
    ]);
    for (const profiles of [[], ['demo']]) {
      const enabled = enabledServices(config, profiles);
      for (const name of enabled)
        for (const needed of dependenciesOf(service(config, name)))
          expect(enabled.has(needed), `${name} needs ${needed} with profiles [${profiles.join(',')}]`).toBe(
            true,
          );
    }
  });
});

describe('redis', () => {
  it('persists with AOF on a named volume, never evicts, and reports health', () => {
    const redis = service(config, 'redis');
    expect(redis.image).toMatch(/^redis:7(\.|$|-)/);
    const command = (redis.command ?? []).join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    const dataVolume = (redis.volumes ?? []).find((v) => v.split(':')[1] === '/data');
    const volumeName = dataVolume?.split(':')[0] ?? '';
    expect(volumeName, 'a named volume at /data').toMatch(/^[a-z][a-z0-9_-]*$/);
    expect(Object.keys(config.volumes ?? {})).toContain(volumeName);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.ports, 'Redis is not published on the host').toBeUndefined();
  });
});

describe('the fsx-dr services', () => {
  it.each(FSX_DR_SERVICES)(
    '%s: built from this Dockerfile, waits for a healthy Redis, stops gracefully',
    (name) => {
      const s = service(config, name);
      expect(s.build?.context).toBe(REPO_ROOT);
      expect(stages.map((st) => st.name)).toContain(s.build?.target);
      expect(s.depends_on?.['redis']?.condition).toBe('service_healthy');
      expect(durationMs(s.stop_grace_period ?? '10s')).toBeGreaterThanOrEqual(15_000);
      expect(s.environment?.['REDIS_URL']).toBe('redis://redis:6379');
      expect(s.user, 'the image USER (non-root) is not overridden').toBeUndefined();
      expect(s.volumes).toContain(`${REPO_ROOT}/config:/etc/fsx-dr:ro`);
    },
  );

  it.each(FSX_DR_SERVICES)('%s: runs node with package.json bin, as the image does', (name) => {
    const argv = argvOf(service(config, name));
    expect(argv.slice(0, 2)).toEqual(['node', pkg.bin['fsx-dr']]);
    expect(argv[2]).toBe('run');
    requireBuilt(pkg.bin['fsx-dr'] ?? '');
  });

  it('scheduler and worker: one role each', () => {
    expect(service(config, 'scheduler').environment?.['FSXDR_ROLE']).toBe('scheduler');
    expect(service(config, 'worker').environment?.['FSXDR_ROLE']).toBe('worker');
  });

  it('worker: scales (`--scale worker=3`): no container name, host port or hostname that replicas would share', () => {
    const worker = service(config, 'worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.hostname).toBeUndefined();
    expect(service(config, 'scheduler').ports).toBeUndefined();
  });

  it('scheduler and worker: AWS credentials come from the environment, none is written down', () => {
    for (const name of ['scheduler', 'worker']) {
      const env = service(config, name).environment ?? {};
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
        expect(env[key], `${name} ${key} is passed through, unset here`).toBeNull();
      expect(Object.keys(env).filter((k) => k.startsWith('AWS_ENDPOINT_URL'))).toEqual([]);
      expect(env['AWS_EC2_METADATA_DISABLED'], 'instance roles stay usable').toBeUndefined();
    }
    const withCredentials = shellConfig();
    expect(service(withCredentials, 'worker').environment?.['AWS_ACCESS_KEY_ID']).toBe(
      'AKIDPASSEDTHROUGH000',
    );
    expect(service(withCredentials, 'scheduler').environment?.['AWS_SECRET_ACCESS_KEY']).toBe(
      'from-the-shell',
    );
    expect(service(withCredentials, 'demo').environment?.['AWS_ACCESS_KEY_ID']).not.toBe(
      'AKIDPASSEDTHROUGH000',
    );
  });

  it('every policy file a service is given is accepted by the real `fsx-dr validate`', async () => {
    const cli = requireBuilt(pkg.bin['fsx-dr'] ?? '');
    const files = new Set(
      FSX_DR_SERVICES.map((name) => {
        const s = service(config, name);
        return hostFileOf(s, optionValue(argvOf(s), '--config'));
      }),
    );
    expect([...files].sort()).toEqual(
      [`${REPO_ROOT}/config/demo.yaml`, `${REPO_ROOT}/config/policies.example.yaml`].sort(),
    );
    const results = await Promise.all(
      [...files].map(async (file) => {
        const result = await runAsync(process.execPath, [cli, 'validate', '--config', file], composeEnv());
        return { file, ...result };
      }),
    );
    for (const { file, status, stdout, stderr } of results)
      expect(status, `fsx-dr validate --config ${file}:\n${stdout}${stderr}`).toBe(0);
  });

  it('FSXDR_POLICY_FILE picks another policy file in ./config', () => {
    expect(service(shellConfig(), 'worker').command).toEqual(['run', '--config', '/etc/fsx-dr/mine.yaml']);
  });
});

describe('the demo profile', () => {
  it('the simulator runs the launcher from the simulator target, seeded from config/', () => {
    const sim = service(config, 'fsx-simulator');
    expect(sim.profiles).toEqual(['demo']);
    expect(sim.build?.target).toBe('simulator');
    const argv = argvOf(sim);
    expect(argv.slice(0, 2)).toEqual(['node', 'dist/simulator/main.js']);
    expect(hostFileOf(sim, optionValue(argv, '--seed-file'))).toBe(`${REPO_ROOT}/config/demo-simulator.json`);
    expect(sim.image).not.toBe(service(config, 'worker').image);
  });

  it('the demo needs no AWS: simulator endpoint, dummy static credentials, no instance metadata, its own prefix', () => {
    const demo = service(config, 'demo');
    const env = demo.environment ?? {};
    expect(demo.profiles).toEqual(['demo']);
    const simPort = optionValue(argvOf(service(config, 'fsx-simulator')), '--port');
    // The simulator listens on 127.0.0.1 only: the demo shares its network namespace to reach it.
    expect(env['AWS_ENDPOINT_URL_FSX']).toBe(`http://127.0.0.1:${simPort}`);
    expect(demo.network_mode).toBe('service:fsx-simulator');
    expect(demo.depends_on?.['fsx-simulator']?.condition).toBe('service_healthy');
    expect(env['AWS_EC2_METADATA_DISABLED']).toBe('true');
    expect(env['AWS_ACCESS_KEY_ID']).toMatch(/^AKID/);
    expect(env['AWS_SECRET_ACCESS_KEY']).toMatch(/^demo-/);
    expect(env['AWS_REGION']).toBe('us-east-1');
    expect(env['FSXDR_PREFIX']).not.toBe(service(config, 'worker').environment?.['FSXDR_PREFIX']);
  });

  it('the seed file gives every file system config/demo.yaml copies an AVAILABLE backup, and the healthcheck passes', async () => {
    const launcher = requireBuilt('dist/simulator/main.js');
    const sim = service(config, 'fsx-simulator');
    const argv = argvOf(sim);
    const simPort = optionValue(argv, '--port');
    const seedFile = hostFileOf(sim, optionValue(argv, '--seed-file'));
    const child = spawn(process.execPath, [launcher, '--port', '0', '--seed-file', seedFile], {
      env: composeEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const endpoint = await new Promise<string>((res, rej) => {
        const stderr: string[] = [];
        child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
        child.once('exit', (code) => rej(new Error(`the simulator exited ${code}: ${stderr.join('')}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const parsed = JSON.parse(line) as { event?: string; endpoint?: string };
          if (parsed.event === 'simulator.listening' && parsed.endpoint) res(parsed.endpoint);
        });
      });
      const demo = parse(readRepoFile('config/demo.yaml')) as {
        policies: { source: { region: string; fileSystemIds: string[] } }[];
      };
      const wanted = demo.policies.flatMap((p) =>
        p.source.fileSystemIds.map((id) => [p.source.region, id] as const),
      );
      expect(wanted.length).toBeGreaterThan(0);
      // Asked the way the service asks: the real SDK, DescribeBackups per file system in the source Region.
      for (const [region, fileSystemId] of wanted) {
        const fsx = new FSxClient({
          region,
          endpoint,
          credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
          maxAttempts: 1,
        });
        const { Backups = [] } = await fsx.send(
          new DescribeBackupsCommand({ Filters: [{ Name: 'file-system-id', Values: [fileSystemId] }] }),
        );
        fsx.destroy();
        expect(
          Backups.some((b) => b.Lifecycle === 'AVAILABLE'),
          `${fileSystemId} has an AVAILABLE backup in ${region}`,
        ).toBe(true);
      }
      // The compose healthcheck of the simulator, run as Docker would, against this simulator's port.
      const [kind, command, flag, original] = sim.healthcheck?.test ?? [];
      expect([kind, command, flag]).toEqual(['CMD', 'node', '-e']);
      const port = new URL(endpoint).port;
      const script = (original ?? '').replace(`:${simPort}/`, `:${port}/`);
      expect(script).toContain(`:${port}/__sim/state`);
      expect(run(process.execPath, ['-e', script], composeEnv()).status).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

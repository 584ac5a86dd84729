/**
 * docker-compose.yml, without Docker or Compose: compose-model.ts reads it as Compose does (YAML merge keys, the
 * Compose Specification's JSON Schema, interpolation from a given environment, profiles, dependencies), and the
 * checks below read the rendered project. Then what the services run is run here: the file each one starts must be
 * one the build produces, the policy file each fsx-dr service is given goes through the real `fsx-dr validate`, and
 * the demo's FSx simulator is started from its seed file and asked for the file systems config/demo.yaml copies.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { DescribeBackupsCommand, FSxClient } from '@aws-sdk/client-fsx';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  enabledServices,
  interpolate,
  loadProject,
  type ComposeProject,
  type ComposeService,
} from './compose-model.js';
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
  run,
  runAsync,
  stageChain,
} from './container-files.js';

const FSX_DR_SERVICES = ['scheduler', 'worker', 'demo'];
const COMPOSE_TEXT = readRepoFile('docker-compose.yml');
const stages = parseDockerfile(readRepoFile('Dockerfile'));
const pkg = readPackageJson();

/** A clean environment for the processes these tests start: none of this process's AWS_* variables. */
function composeEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: mkdtempSync(join(tmpdir(), 'compose-home-')) };
}

function load(
  text: string,
  env: Readonly<Record<string, string>> = {},
  profiles: readonly string[] = [],
): ComposeProject {
  return loadProject(text, { env, profiles, projectDir: REPO_ROOT });
}

/** As `docker compose config` renders it from an empty environment, with and without the demo profile. */
const config = load(COMPOSE_TEXT);
const demoConfig = load(COMPOSE_TEXT, {}, ['demo']);
/** As rendered from a shell that exports credentials and picks a policy file. */
const shellConfig = load(COMPOSE_TEXT, {
  AWS_ACCESS_KEY_ID: 'AKIDPASSEDTHROUGH000',
  AWS_SECRET_ACCESS_KEY: 'from-the-shell',
  FSXDR_POLICY_FILE: 'mine.yaml',
});

function service(project: ComposeProject, name: string): ComposeService {
  const s = project.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

/** The host file behind a path in a service's container: a bind mount first, else what the image copied. */
function hostFileOf(s: ComposeService, containerPath: string): string {
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
function argvOf(s: ComposeService): string[] {
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
 * Services built from this Dockerfile whose `node <script>` is not a file the build produces (after `npm run
 * build`, which `npm test` runs first): the script, read against the image's WORKDIR, must come from a COPY of
 * the build stage's output, and that output must exist here.
 */
function scriptsNotBuilt(project: ComposeProject): string[] {
  const problems: string[] = [];
  for (const [name, s] of Object.entries(project.services)) {
    if (!s.build) continue;
    const [program, script] = argvOf(s);
    if (program !== 'node' || script === undefined) {
      problems.push(`${name} does not run \`node <script>\`: ${argvOf(s).join(' ')}`);
      continue;
    }
    let file: string;
    try {
      file = hostFileOf(s, script);
    } catch (error) {
      problems.push(`${name} runs ${script}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!existsSync(file))
      problems.push(`${name} runs ${script}, which the build does not produce (${file})`);
  }
  return problems;
}

/** Every problem loading `text` finds, with each profile set, plus scripts the build does not produce. */
function problemsOf(text: string, env: Readonly<Record<string, string>> = {}): string[] {
  const problems: string[] = [];
  for (const profiles of [[], ['demo']]) {
    try {
      problems.push(...scriptsNotBuilt(load(text, env, profiles)));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

describe('interpolation, as the Compose Specification defines it', () => {
  const env = { SET: 'value', EMPTY: '' };
  it.each([
    ['plain text', 'plain text'],
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${SET:-fallback}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${SET}}', 'value'],
    ['/etc/fsx-dr/${UNSET:-policies.example.yaml}', '/etc/fsx-dr/policies.example.yaml'],
    ['cost $$5', 'cost $5'],
  ])('%s → %s', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it.each([
    ['${UNSET:?needs a value}', /required variable UNSET is missing a value: needs a value/],
    ['${EMPTY:?needs a value}', /required variable EMPTY/],
    ['${UNSET?needs a value}', /required variable UNSET/],
    ['${SET', /unclosed/],
    ['${9LIVES}', /invalid interpolation format/],
    ['${SET:x}', /invalid interpolation format/],
    ['price: $', /lone "\$"/],
  ])('%s fails', (text, message) => {
    expect(() => interpolate(text, env)).toThrow(message);
  });

  it('`${EMPTY?x}` passes: the variable is set, if empty', () => {
    expect(interpolate('${EMPTY?x}', env)).toBe('');
  });
});

describe('docker-compose.yml against the Compose Specification', () => {
  it('is valid, with and without the demo profile, and every service it builds runs a file the build produces', () => {
    expect(problemsOf(COMPOSE_TEXT)).toEqual([]);
    expect(Object.keys(config.services).sort()).toEqual([
      'demo',
      'fsx-simulator',
      'redis',
      'scheduler',
      'worker',
    ]);
    expect(Object.keys(demoConfig.services)).toEqual(expect.arrayContaining(['demo', 'fsx-simulator']));
  });

  // Each row plants one mistake in a copy of the real file; the check it names must catch it.
  const planted: [string, string | RegExp, string, RegExp][] = [
    [
      'a misspelt key (schema)',
      'stop_grace_period: 30s',
      'stop_grace_peroid: 30s',
      /additional properties \(stop_grace_peroid\)/,
    ],
    [
      'a scalar where the spec wants a list (schema)',
      'cap_drop: [ALL]',
      'cap_drop: ALL',
      /cap_drop: must be array/,
    ],
    [
      'an unknown depends_on condition (schema)',
      'condition: service_healthy',
      'condition: service_up',
      /condition: must be equal to one of the allowed values/,
    ],
    [
      'a dependency on a service that does not exist',
      /fsx-simulator:\n(\s+)condition/,
      'fsx-simulatr:\n$1condition',
      /demo depends on undefined service fsx-simulatr/,
    ],
    [
      'a default service that needs a demo-only one',
      '\n  demo:\n    <<: *fsx-dr\n    profiles: [demo]\n',
      '\n  demo:\n    <<: *fsx-dr\n',
      /demo needs fsx-simulator, which profiles \[\] do not enable/,
    ],
    [
      'service_healthy on a service without a healthcheck',
      / {4}healthcheck:\n {6}test: \['CMD', 'redis-cli', 'ping'\]\n( {6}.*\n)*/,
      '',
      /scheduler waits for redis to be healthy, but redis has no healthcheck/,
    ],
    [
      'a named volume that is not declared',
      '\nvolumes:\n  redis-data:',
      '\nvolumes:\n  redis-date:',
      /redis uses undefined volume redis-data/,
    ],
    [
      'an unclosed interpolation',
      '${FSXDR_PREFIX:-fsx-dr}',
      '${FSXDR_PREFIX:-fsx-dr',
      /invalid interpolation format: unclosed/,
    ],
    [
      'a launcher the build does not produce',
      "entrypoint: ['node', 'dist/simulator/main.js']",
      "entrypoint: ['node', 'dist/simulator/mian.js']",
      /fsx-simulator runs dist\/simulator\/mian.js, which the build does not produce/,
    ],
  ];
  it.each(planted)('catches %s', (_what, find, replacement, message) => {
    const broken = COMPOSE_TEXT.replace(find, replacement);
    expect(broken, 'the mistake was planted').not.toBe(COMPOSE_TEXT);
    expect(problemsOf(broken).join('\n')).toMatch(message);
  });

  it('a required variable left unset fails the load, and the same file loads once it is set', () => {
    const strict = COMPOSE_TEXT.replace(
      '${FSXDR_IMAGE:-fsx-dr-scheduler:local}',
      '${FSXDR_IMAGE:?set FSXDR_IMAGE}',
    );
    expect(problemsOf(strict).join('\n')).toMatch(
      /required variable FSXDR_IMAGE is missing a value: set FSXDR_IMAGE/,
    );
    expect(problemsOf(strict, { FSXDR_IMAGE: 'registry.example/fsx-dr:1.0' })).toEqual([]);
  });

  it('variables left unset take the defaults the file writes down', () => {
    const worker = service(config, 'worker');
    expect(worker.image).toBe('fsx-dr-scheduler:local');
    expect(worker.environment?.['FSXDR_PREFIX']).toBe('fsx-dr');
    expect(worker.environment?.['LOG_LEVEL']).toBe('info');
    expect(service(config, 'fsx-simulator').image).toBe('fsx-dr-simulator:local');
    const set = load(COMPOSE_TEXT, {
      FSXDR_IMAGE: 'mine:2',
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://other:6379',
    });
    expect(service(set, 'scheduler').image).toBe('mine:2');
    expect(service(set, 'scheduler').environment).toMatchObject({
      LOG_LEVEL: 'debug',
      REDIS_URL: 'redis://other:6379',
    });
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
    const withCredentials = shellConfig;
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
    expect(service(shellConfig, 'worker').command).toEqual(['run', '--config', '/etc/fsx-dr/mine.yaml']);
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

/**
 * The Dockerfile, without a Docker engine: it lints clean (dockerfile-utils, the validator behind the VS Code
 * Docker extension), and the image runs what the tests run: package.json's `bin` as the entry point, compiled files
 * that the runtime stage actually copies, production dependencies only, Node 22, a non-root user, and a HEALTHCHECK
 * whose node one-liner is executed here against real HTTP servers.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as DockerfileUtilsModule from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  contextFiles,
  copiesOf,
  durationMs,
  effective,
  execForm,
  hostPathOf,
  imagePathOf,
  importClosure,
  instructionsOf,
  isIgnored,
  parseDockerfile,
  parseHealthcheck,
  readPackageJson,
  readRepoFile,
  requireBuilt,
  stageChain,
  stageNamed,
} from './container-files.js';

const dockerfileText = readRepoFile('Dockerfile');
const stages = parseDockerfile(dockerfileText);
const pkg = readPackageJson();
const CLI_BIN = 'dist/bin/fsx-dr.js';
type DockerfileUtils = typeof DockerfileUtilsModule;

/** dockerfile-utils is a devDependency; without it the lint cannot run, and the test says how to get it. */
async function loadDockerfileLinter(): Promise<DockerfileUtils> {
  try {
    return await import('dockerfile-utils');
  } catch (error) {
    throw new Error(
      `the Dockerfile linter is not installed (${String(error)}): npm install --save-dev dockerfile-utils@0.16.3`,
    );
  }
}

describe('Dockerfile lint', () => {
  it('has no finding from dockerfile-utils (syntax, flags, JSON forms, one CMD/ENTRYPOINT per stage)', async () => {
    const { validate } = await loadDockerfileLinter();
    const findings = validate(dockerfileText).map(
      (d) =>
        `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value} (severity ${String(d.severity)})`,
    );
    expect(findings).toEqual([]);
  });

  it('the linter does report a broken Dockerfile (the check can fail)', async () => {
    const { validate } = await loadDockerfileLinter();
    const broken =
      'FROM node:22-slim\nHEALTHCHECK --interval=soon CMD ["node"]\nENTRYPOINT [\'node\']\nUSER\n';
    expect(validate(broken).length).toBeGreaterThanOrEqual(3);
  });
});

describe('Dockerfile stages', () => {
  it('builds on Node 22 slim in every stage, and Node 22 satisfies package.json engines', () => {
    const stageNames = new Set(stages.map((s) => s.name));
    const baseImages = stages.map((s) => s.from).filter((from) => !stageNames.has(from));
    expect(baseImages.length).toBeGreaterThanOrEqual(3);
    for (const image of baseImages)
      expect(image).toMatch(/^node:22(\.\d+){0,2}-(bookworm-)?slim(@sha256:[0-9a-f]{64})?$/);
    const minimum = /^>=\s*(\d+)\.(\d+)/.exec(pkg.engines['node'] ?? '');
    expect(minimum, 'package.json engines.node is ">=MAJOR.MINOR"').not.toBeNull();
    expect(22).toBeGreaterThanOrEqual(Number(minimum?.[1]));
  });

  it('compiles in a build stage with npm ci and the same npm run build as the tests', () => {
    const build = stageNamed(stages, 'build');
    const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs[0]).toMatch(/^npm ci\b/);
    expect(runs).toContain('npm run build');
    expect(pkg.scripts['build']).toBeDefined();
    // The build stage sees every file tsconfig.build.json compiles.
    const buildConfig = JSON.parse(readRepoFile('tsconfig.build.json')) as { include: string[] };
    const copied = copiesOf([build]).flatMap((c) => c.sources);
    for (const included of buildConfig.include) expect(copied).toContain(included);
  });

  it('the last stage (the default target) is the production image, built from the runtime stage', () => {
    const last = stages.at(-1);
    expect(last?.name).toBe('production');
    expect(stageChain(stages, 'production').map((s) => s.name)).toContain('runtime');
  });

  for (const target of ['production', 'simulator']) {
    it(`${target}: production dependencies only (npm ci --omit=dev in prod-deps, no npm in the runtime chain)`, () => {
      const chain = stageChain(stages, target);
      expect(instructionsOf(chain, 'RUN'), 'no RUN in the runtime chain: nothing installed there').toEqual(
        [],
      );
      const nodeModules = copiesOf(chain).filter((c) => c.destination.endsWith('/node_modules'));
      expect(nodeModules).toHaveLength(1);
      expect(nodeModules[0]?.fromStage).toBe('prod-deps');
      const prodDeps = stageNamed(stages, 'prod-deps');
      const install = prodDeps.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
      expect(install.some((r) => /^npm ci .*--omit=dev\b/.test(r))).toBe(true);
      expect(JSON.stringify(prodDeps.instructions)).not.toMatch(/npm (install|i) /);
      expect(
        instructionsOf(chain, 'ENV').some((e) => /\bNODE_ENV=production\b/.test(e.args)),
        'NODE_ENV=production',
      ).toBe(true);
    });

    it(`${target}: runs as a non-root user`, () => {
      const user = effective(stageChain(stages, target), 'USER');
      expect(user, 'a USER instruction').toBeDefined();
      const [name] = (user?.args ?? '').split(':');
      expect(['', 'root', '0']).not.toContain(name);
    });
  }

  it('production: ENTRYPOINT is node + package.json bin, CMD runs the mounted policies, SIGTERM stops it', () => {
    const chain = stageChain(stages, 'production');
    const entrypoint = execForm(effective(chain, 'ENTRYPOINT')?.args ?? 'null');
    expect(entrypoint).toEqual(['node', CLI_BIN]);
    expect(pkg.bin['fsx-dr']).toBe(CLI_BIN);
    expect(execForm(effective(chain, 'CMD')?.args ?? 'null')).toEqual(['run', '--config', '/etc/fsx-dr']);
    expect(effective(chain, 'STOPSIGNAL')?.args).toBe('SIGTERM');
    // The path node is given in the image is the file `npm run build` made here, copied from the build stage.
    const origin = hostPathOf(stages, chain, imagePathOf(chain, CLI_BIN));
    expect(origin).toEqual({ hostPath: CLI_BIN, fromStage: 'build' });
    requireBuilt(CLI_BIN);
  });

  it('production: every compiled file the CLI imports is in the image, every package is a production dependency', () => {
    requireBuilt(CLI_BIN);
    const chain = stageChain(stages, 'production');
    const closure = importClosure(CLI_BIN);
    expect(closure.unresolved).toEqual([]);
    expect(closure.files.size).toBeGreaterThan(10);
    const missing = [...closure.files].filter(
      (file) => hostPathOf(stages, chain, imagePathOf(chain, file))?.hostPath !== file,
    );
    expect(missing, 'compiled files the CLI loads that the runtime stage does not copy').toEqual([]);
    const notProduction = [...closure.packages].filter((p) => pkg.dependencies[p] === undefined);
    expect(notProduction, 'packages imported at run time that npm ci --omit=dev leaves out').toEqual([]);
    expect(closure.packages).toContain('@aws-sdk/client-fsx');
  });

  it('production: ships no test code (the FSx simulator lives in the simulator target only)', () => {
    const chain = stageChain(stages, 'production');
    const copied = copiesOf(chain).flatMap((c) => c.sources);
    // By path segment: config/demo-simulator.json is the demo's seed data, not simulator code.
    const harnessFolders = ['test', 'scripts', 'simulator', 'bench', 'reliability'];
    const harness = copied.filter((s) => s.split('/').some((segment) => harnessFolders.includes(segment)));
    expect(copied.length).toBeGreaterThan(3);
    expect(harness).toEqual([]);
  });

  it('simulator: the launcher and everything it imports are in the image', () => {
    const launcher = 'dist/simulator/main.js';
    requireBuilt(launcher);
    const chain = stageChain(stages, 'simulator');
    expect(execForm(effective(chain, 'ENTRYPOINT')?.args ?? 'null')).toEqual(['node', launcher]);
    const closure = importClosure(launcher);
    expect(closure.unresolved).toEqual([]);
    const missing = [...closure.files].filter(
      (file) => hostPathOf(stages, chain, imagePathOf(chain, file))?.hostPath !== file,
    );
    expect(missing).toEqual([]);
    expect([...closure.packages].filter((p) => pkg.dependencies[p] === undefined)).toEqual([]);
  });

  it('runtime: copies package.json (ESM "type": "module", the version) and the example config that exists here', () => {
    const chain = stageChain(stages, 'runtime');
    for (const file of [
      'package.json',
      'config/policies.example.yaml',
      'config/demo.yaml',
      'config/demo-simulator.json',
    ]) {
      const imagePath = imagePathOf(chain, file);
      expect(hostPathOf(stages, chain, imagePath)?.hostPath, imagePath).toBe(file);
      expect(existsSync(`${REPO_ROOT}/${file}`)).toBe(true);
    }
  });

  it('labels the image with the title, license and version of package.json', () => {
    const chain = stageChain(stages, 'runtime');
    const labels = instructionsOf(chain, 'LABEL')
      .map((l) => l.args)
      .join(' ');
    expect(labels).toContain('org.opencontainers.image.title="fsx-dr-scheduler"');
    expect(labels).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
    expect(labels).toContain('org.opencontainers.image.version="${VERSION}"');
    expect(instructionsOf(chain, 'ARG').map((a) => a.args)).toContain(`VERSION=${pkg.version}`);
  });

  it('bakes no credentials into the image', () => {
    const env = stages.flatMap((s) => s.instructions.filter((i) => ['ENV', 'ARG'].includes(i.keyword)));
    expect(env.map((e) => e.args).join(' ')).not.toMatch(/AWS_|SECRET|PASSWORD|TOKEN|REDIS_URL/i);
  });
});

describe('.dockerignore', () => {
  const patterns = readRepoFile('.dockerignore').split('\n');

  it('lets in every file the Dockerfile copies from the build context', () => {
    const contextSources = stages.flatMap((s) =>
      copiesOf([s])
        .filter((c) => c.fromStage === undefined)
        .flatMap((c) => c.sources),
    );
    expect(contextSources).toContain('simulator/src');
    const files = contextSources.flatMap((source) => {
      const found = contextFiles(source);
      expect(found.length, `${source} holds files`).toBeGreaterThan(0);
      return found;
    });
    expect(files.filter((f) => isIgnored(patterns, f))).toEqual([]);
  });

  it('keeps out secrets, local builds, tests, and the bench and chaos harnesses', () => {
    for (const path of [
      '.env',
      'config/.env',
      '.aws/credentials',
      'node_modules/yaml/package.json',
      'dist/bin/fsx-dr.js',
      '.git/config',
      'test/unit/copy/copy-key.test.ts',
      'test/integration/container/dockerfile.test.ts',
      'test/support/redis-server.ts',
      'simulator/test/fsx-simulator-copy.test.ts',
      'bench/src/main.ts',
      'reliability/src/main.ts',
    ])
      expect(isIgnored(patterns, path), path).toBe(true);
    expect(isIgnored(patterns, 'simulator/src/index.ts')).toBe(false);
  });
});

describe('HEALTHCHECK', () => {
  const chain = stageChain(stages, 'production');
  const healthcheck = parseHealthcheck(effective(chain, 'HEALTHCHECK')?.args ?? '');
  const [node, flag, script] = healthcheck.command;
  let healthy: Server;
  let unhealthy: Server;
  const portOf = (s: Server): string => String((s.address() as AddressInfo).port);

  const listen = async (status: number): Promise<Server> => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? status : 404, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    return server;
  };

  /** Runs the HEALTHCHECK command as Docker would: the image's node, the container's environment. */
  const check = (env: Record<string, string>): Promise<number | null> =>
    new Promise((res, rej) => {
      const child = spawn(process.execPath, [flag ?? '', script ?? ''], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: 'ignore',
      });
      child.once('error', rej);
      child.once('exit', (code) => res(code));
    });

  beforeAll(async () => {
    healthy = await listen(200);
    unhealthy = await listen(503);
  });
  afterAll(async () => {
    await Promise.all([healthy, unhealthy].map((s) => new Promise((res) => s.close(res))));
  });

  it("is a node one-liner in exec form (no curl in slim images), with a timeout inside Docker's", () => {
    expect(node).toBe('node');
    expect(flag).toBe('-e');
    expect(script).toContain('/healthz');
    expect(script).toContain("process.env.FSXDR_HTTP_PORT||'8080'");
    const inner = /AbortSignal\.timeout\((\d+)\)/.exec(script ?? '');
    expect(Number(inner?.[1])).toBeLessThan(durationMs(healthcheck.options['timeout'] ?? '30s'));
    expect(instructionsOf(chain, 'ENV').some((e) => /\bFSXDR_HTTP_PORT=8080\b/.test(e.args))).toBe(true);
    expect(instructionsOf(chain, 'EXPOSE').map((e) => e.args)).toContain('8080');
  });

  it('passes when /healthz answers 200 on FSXDR_HTTP_PORT', async () => {
    expect(await check({ FSXDR_HTTP_PORT: portOf(healthy) })).toBe(0);
  });

  it('fails when /healthz answers 503', async () => {
    expect(await check({ FSXDR_HTTP_PORT: portOf(unhealthy) })).toBe(1);
  });

  it('fails when nothing listens on the port', async () => {
    const closed = await listen(200);
    const port = portOf(closed);
    await new Promise((res) => closed.close(res));
    expect(await check({ FSXDR_HTTP_PORT: port })).toBe(1);
  });

  it('passes when the HTTP port is switched off (FSXDR_HTTP_PORT=off): nothing to ask', async () => {
    expect(await check({ FSXDR_HTTP_PORT: 'off' })).toBe(0);
  });
});

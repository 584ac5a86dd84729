/**
 * Reading the container files the way Docker does, so the tests can check that what the image and the compose file
 * run is what the rest of the test suite runs: the Dockerfile's stages and instructions, which host file a path in
 * the image comes from, which files .dockerignore keeps out, and the import closure of a compiled entry point.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

export interface PackageJson {
  readonly version: string;
  readonly license: string;
  readonly bin: Readonly<Record<string, string>>;
  readonly engines: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readRepoFile('package.json')) as PackageJson;
}

// ---------------------------------------------------------------------------------------------------------------
// Dockerfile

export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  /** The image or earlier stage this one starts from. */
  readonly from: string;
  readonly instructions: readonly Instruction[];
}

/** Splits a Dockerfile into stages of instructions: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const first = lines[i]?.trim() ?? '';
    if (first === '' || first.startsWith('#')) continue;
    const start = i + 1;
    let joined = first;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      joined = joined.slice(0, -1);
      i += 1;
      const next = lines[i]?.trim() ?? '';
      if (next.startsWith('#')) continue;
      joined = `${joined.trimEnd()} ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (!match) continue;
    instructions.push({
      keyword: (match[1] ?? '').toUpperCase(),
      args: (match[2] ?? '').trim(),
      line: start,
    });
  }
  const stages: { name: string | undefined; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const parts = instruction.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const asIndex = parts.findIndex((p) => p.toUpperCase() === 'AS');
      stages.push({
        from: parts[0] ?? '',
        name: asIndex >= 0 ? parts[asIndex + 1] : undefined,
        instructions: [],
      });
    } else {
      const current = stages.at(-1);
      if (!current)
        throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
      current.instructions.push(instruction);
    }
  }
  return stages;
}

export function stageNamed(stages: readonly Stage[], name: string): Stage {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`the Dockerfile has no stage named ${name}`);
  return stage;
}

/** The stage and every stage it is built FROM, base first: what the target's image is made of. */
export function stageChain(stages: readonly Stage[], target: string): Stage[] {
  const chain: Stage[] = [];
  let stage: Stage | undefined = stageNamed(stages, target);
  while (stage) {
    chain.unshift(stage);
    const from: string = stage.from;
    stage = stages.find((s) => s.name === from);
  }
  return chain;
}

export function instructionsOf(chain: readonly Stage[], keyword: string): Instruction[] {
  return chain.flatMap((s) => s.instructions.filter((i) => i.keyword === keyword));
}

/** The instruction in force for a target (the last one in its chain), e.g. ENTRYPOINT, CMD, USER, HEALTHCHECK. */
export function effective(chain: readonly Stage[], keyword: string): Instruction | undefined {
  return instructionsOf(chain, keyword).at(-1);
}

/** The JSON (exec) form of ENTRYPOINT, CMD or HEALTHCHECK CMD; throws on the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`not an exec-form JSON array of strings: ${args}`);
  return parsed;
}

export interface Healthcheck {
  readonly options: Readonly<Record<string, string>>;
  readonly command: readonly string[];
}

export function parseHealthcheck(args: string): Healthcheck {
  const match = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(.+)$/s.exec(args);
  if (!match) throw new Error(`HEALTHCHECK is not "[--option=value ...] CMD [...]": ${args}`);
  const options = Object.fromEntries(
    (match[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((o) => o !== '')
      .map((o) => {
        const [key, value] = o.slice(2).split('=');
        return [key ?? '', value ?? ''];
      }),
  );
  return { options, command: execForm(match[2] ?? '') };
}

/** A Docker duration (`1m30s`, `500ms`, `30s`) in milliseconds. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = text.replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, unit: string) => {
    total += Number(n) * (units[unit] ?? NaN);
    return '';
  });
  if (rest !== '' || text === '') throw new Error(`not a duration: ${text}`);
  return total;
}

function workdirAt(chain: readonly Stage[], stage: Stage, index: number): string {
  let workdir = '/';
  for (const s of chain) {
    for (const [i, instruction] of s.instructions.entries()) {
      if (s === stage && i >= index) return workdir;
      if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.args);
    }
  }
  return workdir;
}

export interface CopyInstruction {
  /** The stage copied from (`--from=`), or undefined for the build context. */
  readonly fromStage: string | undefined;
  /** Sources as written: absolute paths in the source stage, or context paths. */
  readonly sources: readonly string[];
  /** Absolute destination in the image. */
  readonly destination: string;
  /** Whether the sources go into the destination as a directory (`dest/`, or several sources). */
  readonly intoDirectory: boolean;
}

/** Every COPY of a target's chain, destinations made absolute against the WORKDIR in force. */
export function copiesOf(chain: readonly Stage[]): CopyInstruction[] {
  const copies: CopyInstruction[] = [];
  for (const stage of chain) {
    for (const [index, instruction] of stage.instructions.entries()) {
      if (instruction.keyword !== 'COPY') continue;
      const words = instruction.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const fromFlag = flags.find((f) => f.startsWith('--from='));
      const destination = paths.at(-1) ?? '';
      copies.push({
        fromStage: fromFlag?.slice('--from='.length),
        sources: paths.slice(0, -1),
        destination: posix.resolve(workdirAt(chain, stage, index), destination),
        intoDirectory: destination.endsWith('/') || paths.length > 2,
      });
    }
  }
  return copies;
}

/**
 * Where a file of the image comes from on this machine: a path under a `COPY --from=<buildStage>` destination maps
 * to the same path the build stage produced (its WORKDIR being the repository root), a path under a context COPY to
 * the context file. Undefined when no COPY put it there.
 */
export function hostPathOf(
  stages: readonly Stage[],
  chain: readonly Stage[],
  imagePath: string,
): { hostPath: string; fromStage: string | undefined } | undefined {
  for (const copy of copiesOf(chain).reverse()) {
    for (const source of copy.sources) {
      const cleanSource = source.replace(/\/$/, '');
      // Where the source is on this machine: a context path, or the build stage's output below its WORKDIR.
      let hostSource = cleanSource;
      if (copy.fromStage !== undefined) {
        const sourceStage = stageChain(stages, copy.fromStage);
        const buildWorkdir = workdirAt(sourceStage, sourceStage.at(-1)!, Number.MAX_SAFE_INTEGER);
        hostSource = posix.relative(buildWorkdir, cleanSource);
        if (hostSource.startsWith('..')) continue;
      }
      // Docker copies a directory's contents to the destination, and a file into it when it ends with `/`.
      const isDirectory =
        existsSync(join(REPO_ROOT, hostSource)) && statSync(join(REPO_ROOT, hostSource)).isDirectory();
      const target =
        copy.intoDirectory && !isDirectory
          ? posix.join(copy.destination, posix.basename(cleanSource))
          : copy.destination;
      if (imagePath !== target && !imagePath.startsWith(`${target}/`)) continue;
      return { hostPath: `${hostSource}${imagePath.slice(target.length)}`, fromStage: copy.fromStage };
    }
  }
  return undefined;
}

/** The image path of an exec-form argument: relative paths are read against the final WORKDIR. */
export function imagePathOf(chain: readonly Stage[], path: string): string {
  const last = chain.at(-1)!;
  return posix.resolve(workdirAt(chain, last, Number.MAX_SAFE_INTEGER), path);
}

// ---------------------------------------------------------------------------------------------------------------
// .dockerignore

/** Whether .dockerignore keeps `path` (relative to the context, `/`-separated) out of the build context. */
export function isIgnored(patterns: readonly string[], path: string): boolean {
  const rules = patterns
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'))
    .map((p) => {
      const negated = p.startsWith('!');
      const body = posix.normalize((negated ? p.slice(1) : p).replace(/^\/+/, '')).replace(/\/+$/, '');
      const regex = body
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => {
          if (part === '**/') return '(?:.*/)?';
          if (part === '**') return '.*';
          if (part === '*') return '[^/]*';
          if (part === '?') return '[^/]';
          return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      return { negated, regex: new RegExp(`^${regex}(?:/.*)?$`) };
    });
  let ignored = false;
  for (const rule of rules) if (rule.regex.test(path)) ignored = !rule.negated;
  return ignored;
}

/** Every file under a context path that git tracks or could add (untracked but not git-ignored). */
export function contextFiles(path: string): string[] {
  const result = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', path], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`git ls-files ${path} failed: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((f) => f !== '')
    .filter((f) => existsSync(join(REPO_ROOT, f)));
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled import closure

export interface ImportClosure {
  /** Compiled files reached, relative to the repository root. */
  readonly files: ReadonlySet<string>;
  /** npm packages imported by those files. */
  readonly packages: ReadonlySet<string>;
  /** Relative imports that point at no file. */
  readonly unresolved: readonly string[];
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Follows static and literal dynamic imports from a compiled entry file (comments and strings are not imports). */
export function importClosure(entry: string): ImportClosure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const unresolved: string[] = [];
  const queue = [resolve(REPO_ROOT, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const rel = relative(REPO_ROOT, file).split('\\').join('/');
    if (files.has(rel)) continue;
    files.add(rel);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (isBuiltin(specifier)) continue;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(file), specifier);
        if (existsSync(target)) queue.push(target);
        else unresolved.push(`${rel} -> ${specifier}`);
      } else {
        packages.add(packageNameOf(specifier));
      }
    }
  }
  return { files, packages, unresolved };
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = REPO_ROOT,
): RunResult {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runAsync(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((res, rej) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', rej);
    child.once('close', (status) =>
      res({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
  });
}

export function requireBuilt(path: string): string {
  const full = join(REPO_ROOT, path);
  if (!existsSync(full))
    throw new Error(`${path} does not exist: build first (npm run build; npm test does)`);
  return full;
}

/**
 * docker-compose.yml read the way Compose reads it, without Compose: YAML with merge keys (`<<: *anchor`), checked
 * against the Compose Specification's JSON Schema (the copy the dclint package ships, which it keeps in step with
 * compose-spec/compose-spec), then interpolated (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`, ... from an
 * environment given here, never this process's), with the short forms Compose expands made long (relative paths
 * against the project folder, `depends_on` lists as maps). On top come the checks Compose itself makes when it
 * loads a project: every `depends_on` and `network_mode: service:X` names a service that runs with the same
 * profiles, `service_healthy` waits only for a service that has a healthcheck, and every named volume is declared.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';

export interface ComposeHealthcheck {
  readonly test?: string[] | string;
}
export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly target?: string };
  readonly profiles?: string[];
  readonly entrypoint?: string[];
  readonly command?: string[];
  readonly environment?: Record<string, string | null>;
  readonly volumes?: string[];
  readonly depends_on?: Record<string, { readonly condition: string }>;
  readonly network_mode?: string;
  readonly healthcheck?: ComposeHealthcheck;
  readonly stop_grace_period?: string;
  readonly container_name?: string;
  readonly ports?: unknown[];
  readonly hostname?: string;
  readonly read_only?: boolean;
  readonly user?: string;
}
export interface ComposeProject {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

/** Where dclint keeps the schema: `schemas/compose.schema.json` in its package (listed in its `files`). */
export const COMPOSE_SCHEMA_FILE = join(
  dirname(createRequire(import.meta.url).resolve('dclint/package.json')),
  'schemas',
  'compose.schema.json',
);

let validator: ReturnType<Ajv['compile']> | undefined;

/** Schema violations of a parsed compose document, as `path: message` lines; empty when it is valid. */
export function schemaErrors(document: unknown): string[] {
  if (!validator) {
    const { $schema, ...schema } = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<
      string,
      unknown
    >;
    // It declares draft-07 as `https://json-schema.org/draft-07/schema`, a spelling Ajv does not register; draft-07
    // is Ajv's default, so the schema is compiled (and itself checked) against that. Strict mode stays on for
    // unknown keywords and formats; union types (`type: [string, number]`) and keywords without a `type` beside
    // them (`additionalProperties` in a `oneOf` branch) are the spec's own style, so those two checks are off.
    if ($schema !== 'https://json-schema.org/draft-07/schema')
      throw new Error(`${COMPOSE_SCHEMA_FILE} now declares ${String($schema)}: compile it with that draft`);
    validator = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false }).compile(schema);
  }
  if (validator(document)) return [];
  return (validator.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: unknown }).additionalProperty)})`
      : '';
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
}

/** YAML as Compose reads it: merge keys on, so `<<: *fsx-dr` copies the anchored mapping in. */
export function parseComposeYaml(text: string): unknown {
  return parse(text, { merge: true });
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/** The text inside `${...}` starting at `start` (just after `${`), braces balanced; throws when unclosed. */
function braced(text: string, start: number): { body: string; end: number } {
  let depth = 1;
  for (let i = start; i < text.length; i += 1) {
    if (text.startsWith('${', i)) {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return { body: text.slice(start, i), end: i + 1 };
    }
  }
  throw new Error(`invalid interpolation format: unclosed "\${" in ${JSON.stringify(text)}`);
}

function expandBraced(body: string, env: Readonly<Record<string, string>>, text: string): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined)
    throw new Error(`invalid interpolation format: "\${${body}}" in ${JSON.stringify(text)}`);
  const rest = body.slice(name.length);
  const value = env[name];
  const isSet = value !== undefined;
  const isSetNonEmpty = isSet && value !== '';
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (operator === undefined) {
    if (rest !== '')
      throw new Error(`invalid interpolation format: "\${${body}}" in ${JSON.stringify(text)}`);
    return value ?? '';
  }
  const word = (): string => interpolate(rest.slice(operator.length), env);
  switch (operator) {
    case ':-':
      return isSetNonEmpty ? value : word();
    case '-':
      return isSet ? value : word();
    case ':?':
    case '?':
      if (operator === ':?' ? isSetNonEmpty : isSet) return value ?? '';
      throw new Error(`required variable ${name} is missing a value: ${word()}`);
    case ':+':
      return isSetNonEmpty ? word() : '';
    case '+':
      return isSet ? word() : '';
    default:
      throw new Error(`invalid interpolation operator ${operator}`);
  }
}

/** One string, interpolated as Compose does: `$$` is a `$`, `$VAR` and `${VAR...}` are looked up in `env`. */
export function interpolate(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('$', i);
    if (at < 0) return out + text.slice(i);
    out += text.slice(i, at);
    const next = text[at + 1];
    if (next === '$') {
      out += '$';
      i = at + 2;
    } else if (next === '{') {
      const { body, end } = braced(text, at + 2);
      out += expandBraced(body, env, text);
      i = end;
    } else {
      const name = NAME.exec(text.slice(at + 1))?.[0];
      if (name === undefined)
        throw new Error(`invalid interpolation format: lone "$" in ${JSON.stringify(text)}`);
      out += env[name] ?? '';
      i = at + 1 + name.length;
    }
  }
  return out;
}

function interpolateAll(value: unknown, env: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

/** A bind-mount source in the short syntax is a path (`./x`, `../x`, `/x`, `~/x`); anything else names a volume. */
function isPathSource(source: string): boolean {
  return /^(\.{1,2}(\/|$)|\/|~)/.test(source);
}

function normaliseService(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string>>,
  projectDir: string,
) {
  const s: Record<string, unknown> = { ...raw };
  const build = s['build'];
  if (typeof build === 'string') s['build'] = { context: resolve(projectDir, build) };
  else if (build && typeof build === 'object') {
    const b = build as { context?: string };
    s['build'] = { ...b, context: resolve(projectDir, b.context ?? '.') };
  }
  if (Array.isArray(s['volumes'])) {
    s['volumes'] = (s['volumes'] as unknown[]).map((v) => {
      if (typeof v !== 'string') return v;
      const [source = '', ...rest] = v.split(':');
      return isPathSource(source) ? [resolve(projectDir, source), ...rest].join(':') : v;
    });
  }
  const dependsOn = s['depends_on'];
  if (Array.isArray(dependsOn))
    s['depends_on'] = Object.fromEntries(
      dependsOn.map((name) => [String(name), { condition: 'service_started' }]),
    );
  // `KEY:` with no value passes the variable through from the environment of `docker compose`.
  const environment = s['environment'];
  if (Array.isArray(environment)) {
    s['environment'] = Object.fromEntries(
      environment.map((entry) => {
        const [key = '', ...value] = String(entry).split('=');
        return [key, value.length > 0 ? value.join('=') : (env[key] ?? null)];
      }),
    );
  } else if (environment && typeof environment === 'object') {
    s['environment'] = Object.fromEntries(
      Object.entries(environment).map(([k, v]) => [k, v === null ? (env[k] ?? null) : String(v)]),
    );
  }
  return s as ComposeService;
}

/** What `docker compose config` gives: the document interpolated from `env` and in its long form. */
export function renderProject(
  document: unknown,
  env: Readonly<Record<string, string>>,
  projectDir: string,
): ComposeProject {
  const interpolated = interpolateAll(document, env) as {
    services?: Record<string, Record<string, unknown>>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.fromEntries(
    Object.entries(interpolated.services ?? {}).map(([name, s]) => [
      name,
      normaliseService(s, env, projectDir),
    ]),
  );
  return { services, ...(interpolated.volumes ? { volumes: interpolated.volumes } : {}) };
}

/** Services `docker compose [--profile P] up` starts: those without profiles, and those of the profiles given. */
export function enabledServices(project: ComposeProject, profiles: readonly string[]): Set<string> {
  return new Set(
    Object.entries(project.services)
      .filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)))
      .map(([name]) => name),
  );
}

/** Services a service needs running: depends_on and `network_mode: service:X`. */
export function dependenciesOf(s: ComposeService): string[] {
  const network = s.network_mode?.startsWith('service:') ? [s.network_mode.slice('service:'.length)] : [];
  return [...Object.keys(s.depends_on ?? {}), ...network];
}

/**
 * What Compose refuses when it loads the project (or fails on at `up`), beyond the schema: a dependency that does
 * not exist or is not enabled with these profiles, `service_healthy` on a service without a healthcheck, a named
 * volume that is not declared.
 */
export function projectErrors(project: ComposeProject, profiles: readonly string[]): string[] {
  const errors: string[] = [];
  const enabled = enabledServices(project, profiles);
  const declaredVolumes = new Set(Object.keys(project.volumes ?? {}));
  for (const name of enabled) {
    const s = project.services[name];
    if (!s) continue;
    for (const needed of dependenciesOf(s)) {
      if (!(needed in project.services)) errors.push(`${name} depends on undefined service ${needed}`);
      else if (!enabled.has(needed))
        errors.push(`${name} needs ${needed}, which profiles [${profiles.join(',')}] do not enable`);
    }
    for (const [needed, { condition }] of Object.entries(s.depends_on ?? {})) {
      const test = project.services[needed]?.healthcheck?.test;
      const hasCheck = test !== undefined && !(Array.isArray(test) && test[0] === 'NONE');
      if (condition === 'service_healthy' && needed in project.services && !hasCheck)
        errors.push(`${name} waits for ${needed} to be healthy, but ${needed} has no healthcheck`);
    }
    for (const volume of s.volumes ?? []) {
      const source = volume.split(':')[0] ?? '';
      if (!source.startsWith('/') && !declaredVolumes.has(source))
        errors.push(`${name} uses undefined volume ${source}`);
    }
  }
  return errors;
}

/** The whole load: parse, schema, interpolate, normalise, project checks. Throws with every problem found. */
export function loadProject(
  text: string,
  opts: { env?: Readonly<Record<string, string>>; profiles?: readonly string[]; projectDir: string },
): ComposeProject {
  const document = parseComposeYaml(text);
  const invalid = schemaErrors(document);
  if (invalid.length > 0) throw new Error(`does not match the Compose Specification:\n${invalid.join('\n')}`);
  const project = renderProject(document, opts.env ?? {}, opts.projectDir);
  const rendered = schemaErrors(project);
  if (rendered.length > 0)
    throw new Error(`interpolated, does not match the Compose Specification:\n${rendered.join('\n')}`);
  const problems = projectErrors(project, opts.profiles ?? []);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return project;
}

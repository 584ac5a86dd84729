import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOG_EVENTS, type LogEventSpec } from '../../../src/log-events.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's log events table: event, then level, when and fields, as written there. */
function readmeEventRows(): Map<string, LogEventSpec> {
  const start = README.indexOf('| event | level | when | fields |');
  const rows = new Map<string, LogEventSpec>();
  for (const line of README.slice(start).split('\n').slice(2)) {
    const m = /^\| `([^`]+)` \| ([a-z]+) \| (.+) \| (.*) \|$/.exec(line);
    if (!m?.[1] || !m[2] || !m[3] || m[4] === undefined) break;
    const fields = m[4].trim() === '' ? [] : m[4].split(', ').map((f) => f.replace(/^`|`$/g, ''));
    rows.set(m[1], { level: m[2] as LogEventSpec['level'], when: m[3], fields });
  }
  return rows;
}

/** Every TypeScript file of the production code (src/ and workers/), path and text. */
function productionSources(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts'))
        out.push({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'workers'));
  return out;
}

describe('log event catalogue', () => {
  it('is the README’s log events table in both directions: every event, level, when and field', () => {
    const rows = readmeEventRows();
    expect([...rows.keys()]).toEqual(Object.keys(LOG_EVENTS));
    for (const [name, spec] of Object.entries(LOG_EVENTS)) {
      expect(rows.get(name), name).toEqual({ level: spec.level, when: spec.when, fields: [...spec.fields] });
    }
  });

  it('is the only way an event gets into a line: no `event:` written by hand in src/ or workers/', () => {
    const offenders = productionSources()
      .filter((f) => f.path !== join('src', 'log.ts'))
      .flatMap((f) =>
        f.text
          .split('\n')
          .map((line, i) => ({ line, where: `${f.path}:${i + 1}` }))
          .filter(({ line }) => /\bevent\s*:/.test(line) && !line.trimStart().startsWith('*')),
      )
      .map((o) => o.where);
    expect(offenders).toEqual([]);
  });

  it('lists no event the code never logs', () => {
    const code = productionSources()
      .filter((f) => f.path !== join('src', 'log-events.ts'))
      .map((f) => f.text)
      .join('\n');
    const unused = Object.keys(LOG_EVENTS).filter((name) => !code.includes(`'${name}'`));
    expect(unused).toEqual([]);
  });
});

import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const PROMETHEUS_DIR = join(ROOT, 'deploy/prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

export async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
}

/** The rule groups of every file in deploy/prometheus/rules, in file order. */
export async function loadRuleGroups(dir = RULES_DIR): Promise<RuleGroup[]> {
  const out: RuleGroup[] = [];
  for (const f of await yamlFiles(dir)) {
    const doc = parse(await readFile(join(dir, f), 'utf8')) as { groups: RuleGroup[] };
    out.push(...doc.groups);
  }
  return out;
}

export async function loadRules(dir = RULES_DIR): Promise<Rule[]> {
  return (await loadRuleGroups(dir)).flatMap((g) => g.rules);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyFileJsonSchema } from '../../../src/config/policy-schema.js';

const SCHEMA_FILE = new URL('../../../config/policy.schema.json', import.meta.url);
const EXAMPLE_FILE = new URL('../../../config/policies.example.yaml', import.meta.url);

describe('config/policy.schema.json', () => {
  it('is what the zod schema generates (regenerate: npm run schema)', () => {
    const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as unknown;
    expect(committed).toEqual(policyFileJsonSchema());
  });

  it('is strict and carries the formats editors can check', () => {
    const schema = policyFileJsonSchema() as {
      additionalProperties: unknown;
      properties: {
        policies: {
          items: {
            required: string[];
            additionalProperties: unknown;
            properties: Record<string, { pattern?: string; default?: unknown }>;
          };
        };
      };
    };
    const policy = schema.properties.policies.items;
    expect(schema.additionalProperties).toBe(false);
    expect(policy.additionalProperties).toBe(false);
    expect(policy.required).toEqual(['name', 'schedule', 'source', 'destinations']);
    expect(policy.properties['name']?.pattern).toBeDefined();
    expect(policy.properties['timezone']?.default).toBe('UTC');
  });

  it('is referenced from the first line of the example', () => {
    expect(readFileSync(EXAMPLE_FILE, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./policy.schema.json',
    );
  });
});

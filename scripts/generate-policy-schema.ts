/**
 * Writes config/policy.schema.json, the JSON Schema of a policy file, from the zod schema the service validates
 * with, so editors and the service agree. Run from the repository root after a build:
 *   node dist/scripts/generate-policy-schema.js [output-path]
 * test/unit/config/policy-schema.test.ts fails when the committed file falls behind the zod schema.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { policyFileJsonSchema } from '../src/config/policy-schema.js';

const target = resolve(process.argv[2] ?? 'config/policy.schema.json');
const prettierOptions = (await resolveConfig(target)) ?? {};
const text = await format(JSON.stringify(policyFileJsonSchema(), null, 2), {
  ...prettierOptions,
  parser: 'json',
});
await writeFile(target, text, 'utf8');
process.stdout.write(`wrote ${target}\n`);

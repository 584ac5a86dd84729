import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigIssue } from './config-error.js';
import { ConfigError } from './config-error.js';
import type { Config } from './types.js';
import type { ConfigDocument, ValidationOptions } from './validate-config-documents.js';
import { validateConfigDocuments } from './validate-config-documents.js';
import { DEFAULT_LIMITS } from './yaml-source.js';

/** Policy files a directory contributes: `*.yaml` and `*.yml`, not hidden (editors' backup files start with `.`). */
const POLICY_FILE = /^[^.].*\.ya?ml$/i;

/**
 * Reads the policy configuration from a YAML file, or from every `*.yaml`/`*.yml` file in a directory (sorted by
 * name; not recursive), validates it and returns it frozen. The only place that reads policy files.
 *
 * @throws ConfigError with every problem in every file (syntax, schema, semantics, unreadable or oversized files).
 */
export async function loadConfig(
  path: string,
  options: Omit<ValidationOptions, 'requirePolicies'> = {},
): Promise<Config> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes;
  const { files, issues } = await listFiles(path);
  const documents: ConfigDocument[] = [];
  for (const file of files) {
    const read = await readPolicyFile(file, maxFileBytes);
    if (typeof read === 'string') documents.push({ file, text: read });
    else issues.push(read);
  }
  if (documents.length === 0 && issues.length > 0) throw new ConfigError(issues);
  const result = validateConfigDocuments(documents, { ...options, requirePolicies: issues.length === 0 });
  if (!result.ok) throw new ConfigError([...issues, ...result.issues]);
  if (issues.length > 0) throw new ConfigError(issues);
  return result.config;
}

async function listFiles(path: string): Promise<{ files: string[]; issues: ConfigIssue[] }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return {
      files: [],
      issues: [wholeFileIssue(path, describeFsError(error, 'cannot read the configuration'))],
    };
  }
  if (!info.isDirectory()) return { files: [path], issues: [] };
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    return { files: [], issues: [wholeFileIssue(path, describeFsError(error, 'cannot list the directory'))] };
  }
  const files = names
    .filter((name) => POLICY_FILE.test(name))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) {
    return { files: [], issues: [wholeFileIssue(path, 'the directory holds no .yaml or .yml files')] };
  }
  return { files, issues: [] };
}

async function readPolicyFile(file: string, maxFileBytes: number): Promise<string | ConfigIssue> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return wholeFileIssue(file, 'not a regular file');
    if (info.size > maxFileBytes) {
      return wholeFileIssue(
        file,
        `the file is ${info.size} bytes; the limit is ${maxFileBytes} bytes (1 MiB) per file: split the policies across files in a directory`,
      );
    }
    return await readFile(file, 'utf8');
  } catch (error) {
    return wholeFileIssue(file, describeFsError(error, 'cannot read the file'));
  }
}

function wholeFileIssue(file: string, message: string): ConfigIssue {
  return { file, line: 0, column: 0, path: '', message };
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

function describeFsError(error: unknown, doing: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `${doing}: ${FS_ERRORS[code] ?? 'error'} (${code})`;
  return `${doing}: ${error instanceof Error ? error.message : String(error)}`;
}

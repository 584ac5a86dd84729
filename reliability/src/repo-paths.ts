import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where things are, found from this file (it runs from `dist/reliability/src` or, under a TypeScript runner, from
 * `reliability/src`): the repository root is the nearest folder up with a package.json.
 */
function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRoot(resolve(import.meta.dirname));
/** The built CLI, what package.json's `bin` points at: the chaos run starts the service as users do. */
export const CLI_PATH = join(REPO_ROOT, 'dist', 'bin', 'fsx-dr.js');
export const RELIABILITY_DIR = join(REPO_ROOT, 'reliability');

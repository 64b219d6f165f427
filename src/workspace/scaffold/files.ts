/**
 * What a workspace is made of, for `init --workspace` (which copies it) and `upgrade` (which keeps part of
 * it current). The scaffold, examples/workspace of the package, holds two kinds of files:
 * - the county's own: nianbao.yaml, the reports, the templates, the README. They are the county's to
 *   change, and no later nianbao touches them;
 * - the tooling, every dot file and dot folder (the CI files, VS Code's settings): it works with the
 *   nianbao that wrote it, so a newer nianbao may bring new files or newer forms of them (`upgrade`:
 *   tooling.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../format/paths.js';
import { CACHE_DIR } from '../checks/own-cache.js';

export const SCAFFOLD_DIR = path.join(packageRoot, 'examples', 'workspace');

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'out' && entry.name !== 'node_modules' && entry.name !== CACHE_DIR) out.push(...listFiles(full, base));
    } else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out;
}

/** The scaffold's files, relative to it, in a fixed order (the package's own build output and caches left out). */
export function scaffoldFiles(): string[] {
  return listFiles(SCAFFOLD_DIR);
}

/** Whether a scaffold file (relative path) is tooling: it is, or lies in, a dot file or folder. */
export function isTooling(file: string): boolean {
  return file.split(/[\\/]/)[0].startsWith('.');
}

/**
 * The scaffold's CI files. A county keeps the one for its CI and may delete or rename the other (or both,
 * for a CI of its own): a missing one is not brought back, where a missing editor setting is.
 */
export const CI_FILES: readonly string[] = ['.github/workflows/nianbao.yml', '.gitlab-ci.yml'];

/**
 * The lines of a workspace's .gitignore: the built site, the installed packages and the check's memory
 * (`.nianbao-cache/`, which a workspace made before the memory existed did not list).
 */
export const IGNORED = ['out/', 'node_modules/', `${CACHE_DIR}/`] as const;

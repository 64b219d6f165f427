/**
 * A digest of the running nianbao's own code and data: what a cached result (the workspace check's
 * memory of each report, the batch build's manifest) must have been made by. The version alone is not
 * enough: a checkout of nianbao changes its code many times between two version numbers, and a result
 * made by other code could hide a finding or publish a stale file.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDir, packageRoot, schemasDir } from './format/paths.js';

/** The folder this module runs from: dist/ after a build, src/ under tsx or vitest. */
const codeDir = path.dirname(fileURLToPath(import.meta.url));

let memo: string | undefined;

/**
 * The code folder, the official format data, the schemas and package.json (its exact dependency
 * versions), file by file in a fixed order. About 1.5 MB hashed once per process (some 10 ms).
 */
export function codeDigest(): string {
  return (memo ??= treeDigest(packageRoot, [codeDir, formatDir, schemasDir], ['package.json']));
}

/**
 * Every file under `folders` and each of `files`, with its path relative to `root`: a file's bytes, its
 * name and where it lies all count, and the order of a folder's listing does not.
 */
export function treeDigest(root: string, folders: readonly string[], files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const dir of folders) hashTree(hash, dir, path.relative(root, dir));
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

function hashTree(hash: Hash, dir: string, label: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const name = `${label}/${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, full, name);
    else if (entry.isFile()) hash.update(`${name}\0`).update(readFileSync(full)).update('\0');
  }
}

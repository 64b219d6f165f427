/**
 * Finding a workspace's report files: every *.yaml / *.yml under the configured report folders,
 * skipping hidden folders, node_modules and the output folder, in a stable order (by path) so that
 * shards and index pages never depend on the file system's listing order.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, DEFAULTS, isWithin, loadWorkspaceConfig, type WorkspaceConfig } from './config.js';

export function discoverReports(config: Pick<WorkspaceConfig, 'root' | 'reports' | 'output'>): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isDirectory()) {
        if (!isWithin(config.output, full)) walk(full);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name) && !(dir === config.root && entry.name === CONFIG_FILE)) {
        found.add(full);
      }
    }
  };
  for (const dir of config.reports) walk(dir);
  return [...found].sort((a, b) => compareStable(toPosix(path.relative(config.root, a)), toPosix(path.relative(config.root, b))));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Code-point order: the same on every machine and locale. */
export function compareStable(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For folder walks of `nianbao check <文件夹>` / `nianbao build <文件夹>` that are no workspace run (e.g.
 * `nianbao check examples/` at the repository root, above examples/workspace/): `skip(dir, entry)`
 * says an entry of `dir` holds no report — hidden entries, node_modules, any nianbao.yaml, and the
 * output folder of a workspace met on the way. Parents must be visited before their subfolders.
 */
export function folderWalkSkipper(): (dir: string, entry: { readonly name: string; isDirectory(): boolean }) => boolean {
  const outputs: string[] = [];
  const seen = new Set<string>();
  return (dir, entry) => {
    const absolute = path.resolve(dir);
    if (!seen.has(absolute)) {
      seen.add(absolute);
      if (existsSync(path.join(absolute, CONFIG_FILE))) outputs.push(workspaceOutput(absolute));
    }
    if (entry.name.startsWith('.') || entry.name === 'node_modules') return true;
    if (!entry.isDirectory()) return entry.name === CONFIG_FILE;
    const full = path.join(absolute, entry.name);
    return outputs.some((output) => isWithin(output, full));
  };
}

/** A workspace's output folder, under the path the walk uses (a broken nianbao.yaml: the default out/). */
function workspaceOutput(root: string): string {
  try {
    const config = loadWorkspaceConfig(root);
    return path.join(root, path.relative(config.root, config.output));
  } catch {
    return path.join(root, DEFAULTS.output);
  }
}

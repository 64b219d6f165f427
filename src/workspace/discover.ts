/**
 * Finding a workspace's report files: every *.yaml / *.yml under the configured report folders,
 * skipping hidden folders, node_modules and the output folder, in a stable order (by path) so that
 * shards and index pages never depend on the file system's listing order.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, isWithin, type WorkspaceConfig } from './config.js';

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

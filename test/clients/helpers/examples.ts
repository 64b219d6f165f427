import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../../src/format/paths.js';

/** Every report YAML under examples/reports, sorted, so each client check covers all examples. */
export function exampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) out.push(full);
    }
  };
  const dir = path.join(packageRoot, 'examples/reports');
  // no examples folder: the tests that require examples fail and say so
  if (existsSync(dir)) walk(dir);
  return out;
}

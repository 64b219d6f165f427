/**
 * Global setup of the county suite: nianbao's sources copied as a fresh clone holds them, packed with
 * `npm pack` (its prepare script builds dist/), and `init --workspace` run from that copy, once for
 * all the suite's files (provided to them as `county`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { packageRoot } from '../../src/format/paths.js';

export interface CountySetup {
  /** the copy of nianbao's sources, built by npm pack */
  readonly clone: string;
  /** what npm pack made of it */
  readonly tarball: string;
  /** the workspace `init --workspace` wrote (never installed: tests copy it) */
  readonly workspace: string;
  readonly version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    county: CountySetup;
  }
}

function must(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  const out = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${out}`);
  return out;
}

export default function setup(project: TestProject): void {
  const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const clone = path.join(mkdtempSync(path.join(tmpdir(), 'nianbao-clone-')), 'nianbao');
  mkdirSync(clone);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'src', 'scripts', 'format', 'schemas', 'templates', 'examples']) {
    cpSync(path.join(packageRoot, entry), path.join(clone, entry), { recursive: true, filter: (p) => path.basename(p) !== 'out' });
  }
  // `npm ci` in the clone would install the very tree this checkout has: linked instead of copied (300 MB)
  symlinkSync(path.join(packageRoot, 'node_modules'), path.join(clone, 'node_modules'));
  must('npm', ['pack', '--pack-destination', path.dirname(clone)], clone);
  const tarball = path.join(path.dirname(clone), `nianbao-${version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`npm pack made no ${tarball}`);
  const workspace = path.join(mkdtempSync(path.join(tmpdir(), 'nianbao-county-')), '云溪县年报');
  const init = must(process.execPath, [path.join(clone, 'bin', 'nianbao.js'), 'init', '--workspace', workspace], path.dirname(workspace));
  if (init.includes('注意')) throw new Error(`init --workspace could not finish:\n${init}`);
  project.provide('county', { clone, tarball, workspace, version });
}

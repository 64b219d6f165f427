/** Shared by the county suite's files: running npm and the installed nianbao, and what a complete site is. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { listTree, type SimResult } from '../ci-sim.js';

export const REPORTS = ['2020/红椿镇', '2020/青石镇', '2021/红椿镇', '2021/青石镇'];
export const SITE_FILES = REPORTS.flatMap((r) => ['docx', 'html', 'pdf'].map((f) => `${r}.${f}`)).sort();

export function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_config_update_notifier: 'false' }, maxBuffer: 64 << 20 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}
export const npm = (args: string[], cwd: string) => run('npm', args, cwd);
/** The nianbao installed in the workspace at cwd (never one fetched from elsewhere). */
export const nianbao = (args: string[], cwd: string) => run('npx', ['--no-install', 'nianbao', ...args], cwd);

/** The published site: index.html links every report's files, every link resolves, nothing else is there. */
export function expectCompleteSite(site: string | undefined): void {
  expect(site, 'no site was published').toBeDefined();
  const files = listTree(site!).sort();
  expect(files).toEqual(['index.html', ...SITE_FILES].sort());
  const index = readFileSync(path.join(site!, 'index.html'), 'utf8');
  const links = [...index.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)).sort();
  expect(links).toEqual(SITE_FILES);
  for (const link of links) expect(existsSync(path.join(site!, link)), link).toBe(true);
  expect(index).toContain('共 4 份报告：通过 4 份');
}

export const jobsLog = (result: SimResult) => result.jobs.map((j) => `== ${j.name}: ${j.status}\n${j.log}`).join('\n');

/** Reports a build job rendered, from the build's summary line (`已生成 N 份报告（其中 M 份未改动…`): N − M. */
export function renderedBy(log: string): number {
  const m = /已生成 (\d+) 份报告(?:（其中 (\d+) 份未改动)?/.exec(log);
  if (!m) throw new Error(`no build summary in the job log:\n${log}`);
  return Number(m[1]) - Number(m[2] ?? 0);
}

/** The jobs' names and statuses, and of the build jobs how many reports each rendered. */
export const buildSummary = (result: SimResult) =>
  Object.fromEntries(result.jobs.filter((j) => j.status === 'success' && /^build/.test(j.name)).map((j) => [j.name, renderedBy(j.log)]));

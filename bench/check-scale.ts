/**
 * `npm run bench -- --check-scale`: how the workspace check grows with the workspace (issue 17: 3× the
 * reports in at most 3.3× the CPU time, at most 400 MB at 3,000 reports). For each size it generates a
 * workspace the bench's way (bench/lib/workspace.ts) and runs `node bin/nianbao.js check` in it, as a
 * county's clerk would: wall time, CPU time (every thread), peak RSS of the process tree. Each of those runs
 * checks from scratch (the check's memory, .nianbao-cache/, removed first); one more run then checks with
 * the memory the last one left, as a county's next push does when no report changed.
 *
 * Options: --sizes 1000,3000 (workspace sizes), --runs N (runs per size; the figures are medians),
 * --build (also `nianbao build --jobs 2` once per size, for the 10,000-report figures), --skip-build
 * (use dist/ as it is), --keep (keep the generated workspaces).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateWorkspace } from './lib/workspace.js';
import { mb, ms, runMeasured, stats, type RunResult } from './lib/measure.js';
import { CACHE_DIR } from '../src/workspace/checks/own-cache.js';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'nianbao.js');
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const sizes = (option('--sizes') ?? '1000,3000').split(',').map(Number).filter((n) => n > 0);
const runs = Number(option('--runs')) || 1;
const log = (line = '') => process.stdout.write(`${line}\n`);
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100).join(' ');

interface Figures {
  reports: number;
  exitCode: number | null;
  wallMs: number;
  cpuMs: number;
  peakTreeRssMb: number;
}

function figures(reports: number, list: RunResult[]): Figures {
  return {
    reports,
    exitCode: list.at(-1)!.code,
    wallMs: ms(stats(list.map((r) => r.wallMs)).median),
    cpuMs: ms(stats(list.map((r) => r.cpuMs)).median),
    peakTreeRssMb: mb(Math.max(...list.map((r) => r.peakTreeRss))),
  };
}

const line = (what: string, f: Figures) => `  ${what}: exit ${f.exitCode}, ${f.wallMs} ms wall, ${f.cpuMs} ms CPU, peak RSS of the process tree ${f.peakTreeRssMb} MB`;

export async function checkScale(): Promise<void> {
  if (!args.includes('--skip-build')) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`workspace check at scale — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}, ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${process.version}, load average ${load()}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nianbao-check-scale-'));
  const env = { ...process.env, CI: 'true' };
  const checks: Figures[] = [];
  try {
    for (const size of sizes) {
      const dir = path.join(tmp, String(size));
      mkdirSync(dir, { recursive: true });
      const files = generateWorkspace(dir, size);
      const list: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        rmSync(path.join(dir, CACHE_DIR), { recursive: true, force: true });
        list.push(await runMeasured(process.execPath, [bin, 'check'], { cwd: dir, env }));
      }
      const check = figures(files.length, list);
      checks.push(check);
      log(line(`${files.length} reports, nianbao check from scratch (${runs} run${runs > 1 ? 's' : ''}, load ${load()})`, check));
      if (check.exitCode !== 0) log(`    it said: ${(list.at(-1)!.stdout + list.at(-1)!.stderr).split('\n').slice(-4).join(' | ')}`);
      const remembered = await runMeasured(process.execPath, [bin, 'check'], { cwd: dir, env });
      log(line(`${files.length} reports, nianbao check again, nothing changed (each report's own checks from ${CACHE_DIR}/; load ${load()})`, figures(files.length, [remembered])));
      if (args.includes('--build')) {
        // from scratch as well: the build's check does not take the reports' own checks from the runs above
        rmSync(path.join(dir, CACHE_DIR), { recursive: true, force: true });
        const build = await runMeasured(process.execPath, [bin, 'build', '--jobs', '2'], { cwd: dir, env });
        log(line(`${files.length} reports, nianbao build --jobs 2 (load ${load()})`, figures(files.length, [build])));
        if (build.code !== 0) log(`    it said: ${(build.stdout + build.stderr).split('\n').slice(-4).join(' | ')}`);
      }
      if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    }
    for (let i = 1; i < checks.length; i++) {
      const [a, b] = [checks[i - 1], checks[i]];
      const size = b.reports / a.reports;
      log(`  ${a.reports} → ${b.reports} reports (${Math.round(size * 100) / 100}×): CPU ${Math.round((b.cpuMs / a.cpuMs) * 100) / 100}×, wall ${Math.round((b.wallMs / a.wallMs) * 100) / 100}× (linear within 10%: CPU at most ${Math.round(size * 1.1 * 100) / 100}×)`);
    }
  } finally {
    if (args.includes('--keep')) log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Measuring helpers for the benchmark: timing statistics, and the peak memory of a process tree
 * (the CLI's main process plus any child processes; worker threads count in their process's RSS).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';

export interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0],
    max: sorted.at(-1)!,
  };
}

/** Milliseconds of one call (awaited), by the monotonic clock. */
export async function timeIt(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times measured. */
export async function bench(fn: () => unknown, runs: number, warmup = 3): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timeIt(fn));
  return stats(samples);
}

/** Resident set size in bytes of one process, or 0 once it has gone. */
function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Every descendant of `root` (children of children …), read from /proc. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // field 4 (ppid) comes after the parenthesised command name, which may contain spaces
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

export interface RunResult {
  code: number | null;
  wallMs: number;
  /** highest sum of RSS over the process tree seen while sampling (bytes); 0 where /proc is missing */
  peakTreeRss: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command and samples the RSS of its whole process tree every `intervalMs`. Sampling can miss
 * a spike shorter than the interval; the main process's own VmHWM (kernel-kept peak) is folded in
 * when it is higher, so the figure is never below the true peak of the main process.
 */
export function runMeasured(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; intervalMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peak = 0;
    let hwm = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      const pids = [child.pid, ...descendants(child.pid)];
      const sum = pids.reduce((s, pid) => s + rssOf(pid), 0);
      peak = Math.max(peak, sum);
      try {
        const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (kb) hwm = Math.max(hwm, Number(kb[1]) * 1024);
      } catch {
        // gone
      }
    };
    const timer = setInterval(sample, opts.intervalMs ?? 25);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, wallMs: Number(process.hrtime.bigint() - start) / 1e6, peakTreeRss: Math.max(peak, hwm), stdout, stderr });
    });
  });
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const ms = (x: number) => Math.round(x * 10) / 10;

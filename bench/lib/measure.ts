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
  /** CPU time of the same runs (user + system, every thread of the process), where it was measured */
  cpu?: Stats;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function stats(samples: readonly number[]): Stats {
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

/**
 * Runs `fn` `warmup` times unmeasured, then `runs` times measured: wall time, and beside it the CPU time
 * of this process over the same call (V8's collector and compiler threads included), so that a figure
 * taken on a busy machine can be told from one taken on an idle machine.
 */
export async function bench(fn: () => unknown, runs: number, warmup = 3): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    wall.push(await timeIt(fn));
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ...stats(wall), cpu: stats(cpu) };
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
  /** CPU time (user + system) of the command and every descendant it waited for, from the shell's `times` */
  cpuMs: number;
  /** highest sum of RSS over the process tree seen while sampling (bytes); 0 where /proc is missing */
  peakTreeRss: number;
  /**
   * With `phaseMark`: the highest sample before the first stderr line matching it, and from then on (the
   * batch build's first progress line: the first report written, after the check and the workers' start).
   */
  phases?: { before: number; after: number };
  stdout: string;
  stderr: string;
}

/**
 * Runs a command and samples the RSS of its whole process tree every `intervalMs`. Sampling can miss
 * a spike shorter than the interval; the main process's own VmHWM (kernel-kept peak) is folded in
 * when it is higher, so the figure is never below the true peak of the main process.
 */
export function runMeasured(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; intervalMs?: number; phaseMark?: RegExp } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    // The command runs under a shell that prints `times` when it ends: the second line is the CPU time of
    // the shell's waited-for children, which covers soffice's soffice.bin as well as our worker threads.
    const child = spawn('sh', ['-c', `"$@"; status=$?; echo ${TIMES_MARK} >&2; times >&2; exit $status`, 'sh', cmd, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (opts.phaseMark && !marked && opts.phaseMark.test(stderr)) marked = true;
    });
    let peak = 0;
    let hwm = 0;
    const phases = { before: 0, after: 0 };
    let marked = false;
    const sample = () => {
      if (child.pid === undefined) return;
      const pids = [child.pid, ...descendants(child.pid)];
      const sum = pids.reduce((s, pid) => s + rssOf(pid), 0);
      peak = Math.max(peak, sum);
      if (marked) phases.after = Math.max(phases.after, sum);
      else phases.before = Math.max(phases.before, sum);
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
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const { cpuMs, rest } = splitTimes(stderr);
      resolve({ code, wallMs, cpuMs, peakTreeRss: Math.max(peak, hwm), ...(opts.phaseMark ? { phases } : {}), stdout, stderr: rest });
    });
  });
}

const TIMES_MARK = '--nianbao-bench-times--';

/** Takes the shell's `times` report off the end of stderr: `0m0.01s 0m0.00s` (shell), then its children. */
function splitTimes(stderr: string): { cpuMs: number; rest: string } {
  const at = stderr.lastIndexOf(TIMES_MARK);
  if (at < 0) return { cpuMs: NaN, rest: stderr };
  const lines = stderr.slice(at + TIMES_MARK.length).trim().split('\n');
  const seconds = (text: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(text.trim());
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, system] = (lines[1] ?? '').trim().split(/\s+/);
  return { cpuMs: (seconds(user ?? '') + seconds(system ?? '')) * 1000, rest: stderr.slice(0, at) };
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const ms = (x: number) => Math.round(x * 10) / 10;

/**
 * A small pool of worker threads for the batch build: one worker per core (or --jobs), each taking
 * the next report as soon as it is done with one (build-worker.ts).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Report } from '../../format/report.js';
import type { FontOverrides } from '../../render/docx/index.js';
import type { FontRole } from '../../render/layout.js';
import type { FontSetting, OutputFormat } from '../config/config.js';
import type { StagedFiles } from '../../render/write.js';
import { startThread } from '../../threads.js';

export interface BuildJob {
  readonly id: number;
  readonly report: Report;
  readonly formats: readonly OutputFormat[];
  readonly targets: Partial<Record<OutputFormat, string>>;
  /** The workspace output folder: every target lies inside it, and nothing is written through a symbolic link. */
  readonly outputRoot: string;
  readonly templateDirs: readonly string[];
  readonly pdfFonts: Partial<Record<FontRole, FontSetting>>;
  readonly docxFonts: FontOverrides;
  /**
   * Write the files under temporary names only and return them staged (write.ts): the report is rendered
   * while the workspace check still runs, and published only if the whole check passes it.
   */
  readonly stage?: boolean;
}

/** Asks a worker what failed as it started (a bad font file), once it is ready. */
export interface SetupQuery {
  readonly setup: true;
}

export type BuildJobResult =
  | { readonly id: number; readonly ok: true; readonly outputs: string[]; readonly staged?: StagedFiles }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface PoolOptions {
  /** Font files read once by this thread and shared with every worker (font-files.ts). */
  readonly fontFiles?: ReadonlyMap<string, SharedArrayBuffer>;
  /** Formats the jobs will ask for: a worker loads their renderers (and the PDF fonts) as it starts. */
  readonly formats?: readonly OutputFormat[];
  readonly pdfFonts?: Partial<Record<FontRole, FontSetting>>;
}

function startWorker(options: PoolOptions): Worker {
  return startThread('workspace/batch/build-worker', { fontFiles: options.fontFiles ?? new Map(), formats: options.formats ?? [], pdfFonts: options.pdfFonts ?? {} });
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Worker threads never outnumber the cores: each holds a renderer's heap (some 50–100 MB), and more
 * threads than cores build no faster (`--jobs 1e9` used to start threads until V8 ran out of memory).
 */
export function boundJobs(requested: number): number {
  return Math.max(1, Math.min(requested, defaultJobs()));
}

interface Queued {
  readonly job: BuildJob;
  readonly resolve: (result: BuildJobResult) => void;
}

/**
 * Render workers taking jobs as they come: the batch build submits reports while the workspace check is
 * still running (one worker fewer than cores then: the check has a core) and grows the pool once it ends.
 */
export class RenderPool {
  private readonly workers: Worker[] = [];
  private readonly idle: number[] = [];
  private readonly queue: Queued[] = [];

  constructor(
    threads: number,
    private readonly options: PoolOptions = {},
  ) {
    this.grow(threads);
  }

  /** Starts workers up to `threads` (bounded by the cores); never stops any. */
  grow(threads: number): void {
    while (this.workers.length < boundJobs(threads)) this.idle.push(this.workers.push(startWorker(this.options)) - 1);
    this.dispatch();
  }

  /** Renders a job on the next free worker. A worker that crashes is replaced, and its job reported as failed. */
  submit(job: BuildJob): Promise<BuildJobResult> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  /**
   * Runs every job; `onDone` is called as each finishes (in completion order); the returned list is in job
   * order, whatever the completion order was.
   */
  run(jobs: readonly BuildJob[], onDone: (result: BuildJobResult) => void): Promise<BuildJobResult[]> {
    return Promise.all(
      jobs.map(async (job) => {
        const result = await this.submit(job);
        onDone(result);
        return result;
      }),
    );
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) void this.runIn(this.idle.shift()!, this.queue.shift()!);
  }

  private async runIn(slot: number, { job, resolve }: Queued): Promise<void> {
    const { result, crashed } = await runOn(this.workers[slot]!, job);
    if (crashed) {
      await this.workers[slot]!.terminate();
      this.workers[slot] = startWorker(this.options);
    }
    this.idle.push(slot);
    resolve(result);
    this.dispatch();
  }

  /**
   * What failed as the first worker got ready (every worker prepares the same renderers and fonts),
   * or undefined.
   */
  setupError(): Promise<string | undefined> {
    const worker = this.workers[0]!;
    return new Promise((resolve) => {
      const onMessage = (message: { setup?: true; error?: string }) => {
        if (!message.setup) return;
        cleanup();
        resolve(message.error);
      };
      const onExit = (code: number) => {
        cleanup();
        resolve(`生成进程启动失败（代码 ${code}）`);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.postMessage({ setup: true } satisfies SetupQuery);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function runOn(worker: Worker, job: BuildJob): Promise<{ result: BuildJobResult; crashed: boolean }> {
  return new Promise((resolve) => {
    const onMessage = (message: BuildJobResult | { setup: true }) => {
      // the answer to setupError(), asked of the same worker
      if ('setup' in message) return;
      cleanup();
      resolve({ result: message, crashed: false });
    };
    const onError = (error: Error) => {
      cleanup();
      resolve({ result: { id: job.id, ok: false, error: error.message }, crashed: true });
    };
    const onExit = (code: number) => {
      cleanup();
      resolve({ result: { id: job.id, ok: false, error: `生成进程意外退出（代码 ${code}）` }, crashed: true });
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job);
  });
}

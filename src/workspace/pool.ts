/**
 * A small pool of worker threads for the batch build: one worker per core (or --jobs), each taking
 * the next report as soon as it is done with one. Workers load the compiled build-worker.js from
 * dist/, or the TypeScript source through tsx when nianbao itself runs from source (tests, tsx).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Report } from '../model/report.js';
import type { FontOverrides } from '../render/docx/index.js';
import type { FontRole } from '../render/layout.js';
import type { FontSetting, OutputFormat } from './config.js';

export interface BuildJob {
  readonly id: number;
  readonly report: Report;
  readonly formats: readonly OutputFormat[];
  readonly targets: Partial<Record<OutputFormat, string>>;
  readonly templateDirs: readonly string[];
  readonly pdfFonts: Partial<Record<FontRole, FontSetting>>;
  readonly docxFonts: FontOverrides;
}

export type BuildJobResult = { readonly id: number; readonly ok: true; readonly outputs: string[] } | { readonly id: number; readonly ok: false; readonly error: string };

function startWorker(): Worker {
  const self = import.meta.url;
  if (/\.ts(\?.*)?$/.test(self)) {
    // Running from source: load the worker through tsx's API (a plain `--import tsx` in execArgv
    // does not reach a worker's entry module on Node 20).
    const script = new URL('./build-worker.ts', self).href;
    const tsxApi = pathToFileURL(tsxEsmApi(self)).href;
    return new Worker(`import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(script)}, ${JSON.stringify(self)}))`, { eval: true });
  }
  return new Worker(new URL('./build-worker.js', self));
}

/** tsx's ESM API file (its `import` export: the `require` one cannot be loaded from a module). */
function tsxEsmApi(from: string): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifestPath), manifest.exports['./esm/api'].import.default);
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Runs every job on up to `threads` workers; `onDone` is called as each finishes (in completion
 * order); the returned list is in job order, whatever the completion order was.
 */
export async function runPool(jobs: readonly BuildJob[], threads: number, onDone: (result: BuildJobResult) => void): Promise<BuildJobResult[]> {
  const results = new Map<number, BuildJobResult>();
  if (jobs.length === 0) return [];
  const queue = [...jobs];
  const count = Math.max(1, Math.min(threads, jobs.length));
  const finish = (result: BuildJobResult) => {
    results.set(result.id, result);
    onDone(result);
  };
  await Promise.all(
    Array.from({ length: count }, async () => {
      let worker = startWorker();
      try {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const current = job;
          let crashed = false;
          const result = await new Promise<BuildJobResult>((resolve) => {
            const onMessage = (message: BuildJobResult) => {
              cleanup();
              resolve(message);
            };
            const onError = (error: Error) => {
              crashed = true;
              cleanup();
              resolve({ id: current.id, ok: false, error: error.message });
            };
            const onExit = (code: number) => {
              crashed = true;
              cleanup();
              resolve({ id: current.id, ok: false, error: `生成进程意外退出（代码 ${code}）` });
            };
            const cleanup = () => {
              worker.off('message', onMessage);
              worker.off('error', onError);
              worker.off('exit', onExit);
            };
            worker.on('message', onMessage);
            worker.on('error', onError);
            worker.on('exit', onExit);
            worker.postMessage(current);
          });
          finish(result);
          if (crashed) {
            await worker.terminate();
            worker = startWorker();
          }
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return jobs.map((job) => results.get(job.id)!);
}

/**
 * Starting a worker thread on one of nianbao's thread entry modules (the batch build's renderers, the
 * workspace check, the audit's importers): the compiled .js below this file in dist/, or the TypeScript
 * source through tsx when nianbao itself runs from source (tests, tsx).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A thread entry module, relative to this folder (src/ or dist/). */
export type ThreadEntry = 'workspace/batch/build-worker' | 'workspace/checks/check-worker' | 'import/audit-worker';

export function startThread(entry: ThreadEntry, workerData: unknown): Worker {
  const self = import.meta.url;
  if (/\.ts(\?.*)?$/.test(self)) {
    // Running from source: load the worker through tsx's API (a plain `--import tsx` in execArgv
    // does not reach a worker's entry module on Node 20).
    const script = new URL(`./${entry}.ts`, self).href;
    const tsxApi = pathToFileURL(tsxEsmApi(self)).href;
    return new Worker(`import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(script)}, ${JSON.stringify(self)}))`, { eval: true, workerData });
  }
  return new Worker(new URL(`./${entry}.js`, self), { workerData });
}

/** tsx's ESM API file (its `import` export: the `require` one cannot be loaded from a module). */
function tsxEsmApi(from: string): string {
  const manifestPath = createRequire(from).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifestPath), manifest.exports['./esm/api'].import.default);
}

/**
 * Worker thread of the batch build: receives already-checked, defaults-merged reports and writes
 * their files. Every format is rendered in memory first and only then written (each atomically), so a
 * failure leaves the previous outputs of that report untouched.
 */
import { parentPort } from 'node:worker_threads';
import { renderFormat } from '../build.js';
import { buildDocument } from '../model/build-document.js';
import { writeFileAtomic } from '../render/write.js';
import type { BuildJob, BuildJobResult } from './pool.js';

export async function runJob(job: BuildJob): Promise<BuildJobResult> {
  try {
    const doc = buildDocument(job.report, { templateDirs: job.templateDirs });
    const rendered: { target: string; bytes: Uint8Array }[] = [];
    for (const format of job.formats) {
      rendered.push({ target: job.targets[format]!, bytes: await renderFormat(doc, format, { pdf: { fonts: job.pdfFonts }, docx: { fonts: job.docxFonts } }) });
    }
    for (const { target, bytes } of rendered) await writeFileAtomic(target, bytes);
    return { id: job.id, ok: true, outputs: rendered.map((r) => r.target) };
  } catch (error) {
    // NIANBAO_DEBUG: the stack too, as the main command does for its own internal errors.
    const detail = error instanceof Error ? (process.env.NIANBAO_DEBUG ? `${error.message}\n${error.stack}` : error.message) : String(error);
    return { id: job.id, ok: false, error: detail };
  }
}

parentPort?.on('message', (job: BuildJob) => {
  void runJob(job).then((result) => parentPort!.postMessage(result));
});

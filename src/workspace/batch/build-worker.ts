/**
 * Worker thread of the batch build: receives already-checked, defaults-merged reports and writes
 * their files. Every format is rendered in memory first and only then written (each atomically), so a
 * failure leaves the previous outputs of that report untouched.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderFormat } from '../../build.js';
import { buildDocument } from '../../model/build-document.js';
import { stageFiles, writeFilesTogether } from '../../render/write.js';
import { useSharedFontFiles } from '../../render/pdf/font-files.js';
import type { BuildJob, BuildJobResult, SetupQuery } from './pool.js';
import type { FontSetting, OutputFormat } from '../config/config.js';
import type { FontRole } from '../../render/layout.js';

export async function runJob(job: BuildJob): Promise<BuildJobResult> {
  try {
    const doc = buildDocument(job.report, { templateDirs: job.templateDirs });
    const rendered: { target: string; bytes: Uint8Array }[] = [];
    for (const format of job.formats) {
      rendered.push({ target: job.targets[format]!, bytes: await renderFormat(doc, format, { pdf: { fonts: job.pdfFonts }, docx: { fonts: job.docxFonts } }) });
    }
    const outputs = rendered.map((r) => r.target);
    // staged: committed or discarded by the build once the whole workspace is checked
    if (job.stage) return { id: job.id, ok: true, outputs, staged: await stageFiles(rendered, { root: job.outputRoot }) };
    // replaced together or not at all (write.ts)
    await writeFilesTogether(rendered, { root: job.outputRoot });
    return { id: job.id, ok: true, outputs };
  } catch (error) {
    // NIANBAO_DEBUG: the stack too, as the main command does for its own internal errors.
    const detail = error instanceof Error ? (process.env.NIANBAO_DEBUG ? `${error.message}\n${error.stack}` : error.message) : String(error);
    return { id: job.id, ok: false, error: detail };
  }
}

/** What the pool tells a worker as it starts (pool.ts). */
interface WorkerSetup {
  /** the font files the main thread read into shared memory, instead of a copy per worker */
  readonly fontFiles?: ReadonlyMap<string, SharedArrayBuffer>;
  readonly formats?: readonly OutputFormat[];
  readonly pdfFonts?: Partial<Record<FontRole, FontSetting>>;
}

/**
 * Loads the renderers of the formats to come and readies the PDF fonts, while the main thread is still
 * checking the workspace. What fails here (a bad font file) is kept: the pool asks for it once
 * (`setupError`) so that the build reports it once, not once per report.
 */
async function prepare(setup: WorkerSetup): Promise<string | undefined> {
  try {
    if (setup.formats?.includes('docx')) await import('../../render/docx/index.js');
    if (setup.formats?.includes('html')) await import('../../render/html/index.js');
    if (setup.formats?.includes('pdf')) (await import('../../render/pdf/index.js')).preparePdf({ fonts: setup.pdfFonts ?? {} });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const setup = (workerData ?? {}) as WorkerSetup;
if (setup.fontFiles) useSharedFontFiles(setup.fontFiles);
const ready = prepare(setup);

parentPort?.on('message', (message: BuildJob | SetupQuery) => {
  if ('setup' in message) void ready.then((error) => parentPort!.postMessage({ setup: true, ...(error !== undefined ? { error } : {}) }));
  else void ready.then(() => runJob(message)).then((result) => parentPort!.postMessage(result));
});

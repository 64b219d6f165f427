/**
 * Building one report: check it (a report with errors is never built), compose the document from the
 * templates, render every requested format in memory, and only then write the files, each
 * atomically, named after the report title. Used by `nianbao build <file>`; the workspace batch build
 * shares `renderFormat` and the workspace settings (`workspaceRendering`).
 */
import { WHOLE_FILE } from './diagnostics/diagnostic.js';
import { makeDiagnostic } from './validate/diagnostic.js';
import path from 'node:path';
import type { ReportDocument } from './model/document.js';
import type { Report } from './format/report.js';
import type { DocxOptions } from './render/docx/index.js';
import type { PdfOptions } from './render/pdf/index.js';
import { acquireOutputLock, recoverOutput, safeFileName, WriteError, writeFilesTogether } from './render/write.js';
import { DRAFT_TEXT } from './model/draft-marks.js';
import { pdfGlyphCoverage } from './render/pdf/coverage.js';
import { checkFile } from './validate/index.js';
import type { Diagnostic } from './validate/types.js';
import type { WorkspaceConfig } from './workspace/config/config.js';
import { effectiveReport, outputFiles, workspaceRendering } from './workspace/config/effective.js';

import { OUTPUT_FORMATS, type OutputFormat } from './render/formats.js';

export { OUTPUT_FORMATS, type OutputFormat };

export interface BuildOptions {
  readonly formats: readonly OutputFormat[];
  /** Output folder; default: the folder of the input file, or in a workspace its output paths. */
  readonly outDir?: string;
  /** County template folders searched before templates/default. */
  readonly templateDirs?: readonly string[];
  readonly docx?: DocxOptions;
  readonly pdf?: PdfOptions;
  /**
   * The workspace the report lies in: its nianbao.yaml agency defaults are merged into the report and
   * its templates (after `templateDirs`) and fonts are used, exactly as in the batch build. Without
   * `outDir` the files go where the batch build writes them (output folder, file_name pattern).
   */
  readonly workspace?: WorkspaceConfig;
  /**
   * Called with every output path before anything is written; returning false refuses the build
   * (e.g. two reports of one run with the same title would overwrite each other).
   */
  readonly claim?: (target: string) => boolean;
  /**
   * Build a draft (报审稿) even when the check found errors: every page marked 草稿, the problems
   * listed, figures shown as written, file names ending in （草稿）. Unusable input still builds nothing.
   */
  readonly draft?: boolean;
  /**
   * The findings of the workspace check for this report, when it lies in a workspace: they decide
   * whether it is built and are what is reported, instead of the file's own check.
   */
  readonly verdict?: readonly Diagnostic[];
}

export interface BuildResult {
  /** true when the report passed its check and every requested file was written */
  readonly ok: boolean;
  /** the files written, in the order html, docx, pdf */
  readonly outputs: string[];
  /** everything the check said (warnings too) */
  readonly diagnostics: Diagnostic[];
  /** false when the input could not be read as a report at all (missing file, YAML syntax) */
  readonly usable: boolean;
}

/**
 * The bytes of one format. Each emitter is imported when first used: loading docx and pdfmake costs
 * a few hundred milliseconds that `check` and `build --html` must not pay.
 */
export async function renderFormat(doc: ReportDocument, format: OutputFormat, options: Pick<BuildOptions, 'docx' | 'pdf'> = {}): Promise<Uint8Array> {
  switch (format) {
    case 'html': {
      const { renderHtml } = await import('./render/html/index.js');
      return new TextEncoder().encode(renderHtml(doc));
    }
    case 'docx': {
      const { renderDocx } = await import('./render/docx/index.js');
      return renderDocx(doc, options.docx);
    }
    case 'pdf': {
      const { renderPdf } = await import('./render/pdf/index.js');
      return renderPdf(doc, options.pdf);
    }
  }
}

/** The output file name of a document in a format: the title, made file-system safe; a draft's ends in （草稿）. */
export function outputName(doc: ReportDocument, format: OutputFormat): string {
  return `${safeFileName(doc.meta.title)}${doc.draft ? DRAFT_TEXT.fileSuffix : ''}.${format}`;
}

export interface ComposedReport {
  /** everything the check said (warnings too) */
  readonly diagnostics: Diagnostic[];
  /** false when the input could not be read as a report at all (missing file, YAML syntax) */
  readonly usable: boolean;
  /** The document, when the report passed its check or a draft was asked for and the input is usable. */
  readonly doc?: ReportDocument;
  /** The report the document was composed from (county defaults merged), beside `doc`. */
  readonly report?: Report;
}

/**
 * Checks one report file and composes its document: the final one when the check passed, a draft
 * (`options.draft`) whatever its errors as long as the file could be read. Template errors are thrown
 * as `TemplateError`.
 */
export async function composeReport(
  file: string,
  options: Pick<BuildOptions, 'templateDirs' | 'workspace' | 'draft' | 'pdf' | 'verdict'> & {
    readonly editorFile?: string;
    /** The problems a draft lists, when the caller knows more than this file's own check (the workspace's checks). */
    readonly problems?: readonly Diagnostic[];
  },
): Promise<ComposedReport> {
  const workspace = options.workspace;
  const rendering = workspace ? workspaceRendering(workspace) : undefined;
  // checked against the fonts it is built with: a report that passes is drawable
  const glyphs = pdfGlyphCoverage({ ...rendering?.pdfFonts, ...options.pdf?.fonts }, options.pdf?.baseDir);
  const checked = await checkFile(file, { glyphs });
  // In a workspace, the workspace check's findings decide (county severities and waivers, cross-year and
  // cross-report checks): building one report refuses what the batch build refuses.
  const diagnostics = [...(options.verdict ?? checked.diagnostics)];
  const failed = !checked.report || diagnostics.some((d) => d.severity === 'error');
  const data = checked.data !== null && typeof checked.data === 'object' && !Array.isArray(checked.data) ? (checked.data as Record<string, unknown>) : undefined;
  if (!checked.usable || (failed && !options.draft) || (options.draft && !data)) return { diagnostics, usable: checked.usable };

  const draft = options.draft ? await import('./model/draft.js') : undefined;
  const written = failed ? draft!.draftReport(data!, glyphs) : checked.report!;
  const report = workspace ? effectiveReport(workspace, written, path.resolve(file)) : written;
  // imported here, not at the top: the workspace check reaches this module and must not load handlebars
  const { buildDocument } = await import('./model/build-document.js');
  const doc = buildDocument(report, { templateDirs: [...(options.templateDirs ?? []), ...(rendering?.templateDirs ?? [])] });
  if (!draft) return { diagnostics, usable: true, doc, report };
  const problems = options.problems ?? diagnostics;
  return { diagnostics, usable: true, report, doc: draft.markDraft(doc, data!, problems, checked.locate, { glyphs, ...(options.editorFile ? { editorFile: options.editorFile } : {}) }) };
}

/** The render options of a report: the workspace's fonts, then the caller's. */
export function renderOptionsFor(options: Pick<BuildOptions, 'workspace' | 'docx' | 'pdf'>): Pick<BuildOptions, 'docx' | 'pdf'> {
  const rendering = options.workspace ? workspaceRendering(options.workspace) : undefined;
  return {
    pdf: { ...(rendering ? { fonts: rendering.pdfFonts } : {}), ...options.pdf },
    docx: { ...(rendering ? { fonts: rendering.docxFonts } : {}), ...options.docx },
  };
}

/**
 * Checks and builds one report file. Template errors (a county template with a typo) are thrown as
 * `TemplateError`; a report that fails its check returns `ok: false` and writes nothing, unless a
 * draft is asked for.
 */
export async function buildReport(file: string, options: BuildOptions): Promise<BuildResult> {
  const { diagnostics, usable, doc, report } = await composeReport(file, options);
  if (!doc || !report) return { ok: false, outputs: [], diagnostics, usable };
  const workspace = options.workspace;
  const renderOptions = renderOptionsFor(options);
  const formats = OUTPUT_FORMATS.filter((f) => options.formats.includes(f));
  // In a workspace (and no -o) the file goes where the batch build and `nianbao config` put it: the
  // workspace's output folder, named by its file_name pattern. Elsewhere: named after the title.
  const workspaceTargets = workspace && options.outDir === undefined ? outputFiles({ ...workspace, formats }, report.agency.name, report.year, path.resolve(file)) : undefined;
  const outDir = options.outDir ?? path.dirname(file);
  // Render everything first: a failing format must not leave the others half-updated.
  const rendered: { target: string; bytes: Uint8Array }[] = [];
  const suffix = doc.draft ? DRAFT_TEXT.fileSuffix : '';
  for (const format of formats) {
    const target = workspaceTargets ? workspaceTargets[format].replace(/\.[a-z]+$/, `${suffix}.${format}`) : path.join(outDir, outputName(doc, format));
    rendered.push({ target, bytes: await renderFormat(doc, format, renderOptions) });
  }
  const clash = options.claim ? rendered.find((r) => !options.claim!(r.target)) : undefined;
  if (clash) {
    diagnostics.push(makeDiagnostic(file, WHOLE_FILE, 'error', 'OUTPUT-CLASH', `输出文件 ${clash.target} 已由本次生成的另一份报告写出（两份报告标题相同？）；未生成本报告`));
    return { ok: false, outputs: [], diagnostics, usable: true };
  }
  try {
    await writeTogether(workspaceTargets ? workspace!.output : outDir, rendered);
  } catch (error) {
    if (!(error instanceof WriteError)) throw error;
    diagnostics.push(makeDiagnostic(file, WHOLE_FILE, 'error', 'OUTPUT-WRITE', `${error.message}；本报告未生成，原有输出文件未改动`));
    return { ok: false, outputs: [], diagnostics, usable: true };
  }
  return { ok: true, outputs: rendered.map((r) => r.target), diagnostics, usable: true };
}

/** Output folders whose leftovers of killed builds this process has cleared already. */
const recovered = new Set<string>();

/**
 * A report's files into `outDir`, replaced together (write.ts), while holding the folder's lock: another
 * build writing there is waited for (up to a minute), the first write into a folder finishes or removes
 * what a killed build left.
 */
async function writeTogether(outDir: string, files: readonly { target: string; bytes: Uint8Array }[]): Promise<void> {
  const root = path.resolve(outDir);
  const lock = await acquireOutputLock(root, 60_000);
  try {
    if (!recovered.has(root)) {
      recoverOutput(root, false);
      recovered.add(root);
    }
    await writeFilesTogether(files, { root });
  } finally {
    lock.release();
  }
}

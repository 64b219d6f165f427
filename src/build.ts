/**
 * Building one report: check it (a report with errors is never built), compose the document from the
 * templates, render every requested format in memory, and only then write the files, each
 * atomically, named after the report title. Used by `nianbao build <file>`; the workspace batch build
 * shares `renderFormat` and the workspace settings (`workspaceRendering`).
 */
import path from 'node:path';
import type { ReportDocument } from './model/document.js';
import type { DocxOptions } from './render/docx/index.js';
import type { PdfOptions } from './render/pdf/index.js';
import { safeFileName, writeFileAtomic } from './render/write.js';
import { pdfGlyphCoverage } from './render/pdf/coverage.js';
import { checkFile } from './validate/index.js';
import type { Diagnostic } from './validate/types.js';
import type { WorkspaceConfig } from './workspace/config.js';
import { effectiveReport, workspaceRendering } from './workspace/effective.js';

export type OutputFormat = 'html' | 'docx' | 'pdf';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['html', 'docx', 'pdf'];

export interface BuildOptions {
  readonly formats: readonly OutputFormat[];
  /** Output folder; default: the folder of the input file. */
  readonly outDir?: string;
  /** County template folders searched before templates/default. */
  readonly templateDirs?: readonly string[];
  readonly docx?: DocxOptions;
  readonly pdf?: PdfOptions;
  /**
   * The workspace the report lies in: its nianbao.yaml agency defaults are merged into the report and
   * its templates (after `templateDirs`) and fonts are used, exactly as in the batch build. Output
   * names and folder stay those of a single-file build.
   */
  readonly workspace?: WorkspaceConfig;
  /**
   * Called with every output path before anything is written; returning false refuses the build
   * (e.g. two reports of one run with the same title would overwrite each other).
   */
  readonly claim?: (target: string) => boolean;
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

/** The output file name of a document in a format: the title, made file-system safe. */
export function outputName(doc: ReportDocument, format: OutputFormat): string {
  return `${safeFileName(doc.meta.title)}.${format}`;
}

/**
 * Checks and builds one report file. Template errors (a county template with a typo) are thrown as
 * `TemplateError`; a report that fails its check returns `ok: false` and writes nothing.
 */
export async function buildReport(file: string, options: BuildOptions): Promise<BuildResult> {
  const workspace = options.workspace;
  const rendering = workspace ? workspaceRendering(workspace) : undefined;
  // checked against the fonts it is built with: a report that passes is drawable
  const glyphs = pdfGlyphCoverage({ ...rendering?.pdfFonts, ...options.pdf?.fonts }, options.pdf?.baseDir);
  const checked = await checkFile(file, { glyphs });
  const diagnostics = [...checked.diagnostics];
  if (!checked.report || diagnostics.some((d) => d.severity === 'error')) return { ok: false, outputs: [], diagnostics, usable: checked.usable };

  const report = workspace ? effectiveReport(workspace, checked.report, path.resolve(file)) : checked.report;
  // imported here, not at the top: the workspace check reaches this module and must not load handlebars
  const { buildDocument } = await import('./model/build-document.js');
  const doc = buildDocument(report, { templateDirs: [...(options.templateDirs ?? []), ...(rendering?.templateDirs ?? [])] });
  const renderOptions: Pick<BuildOptions, 'docx' | 'pdf'> = {
    pdf: { ...(rendering ? { fonts: rendering.pdfFonts } : {}), ...options.pdf },
    docx: { ...(rendering ? { fonts: rendering.docxFonts } : {}), ...options.docx },
  };
  const formats = OUTPUT_FORMATS.filter((f) => options.formats.includes(f));
  const outDir = options.outDir ?? path.dirname(file);
  // Render everything first: a failing format must not leave the others half-updated.
  const rendered: { target: string; bytes: Uint8Array }[] = [];
  for (const format of formats) {
    rendered.push({ target: path.join(outDir, outputName(doc, format)), bytes: await renderFormat(doc, format, renderOptions) });
  }
  const clash = options.claim ? rendered.find((r) => !options.claim!(r.target)) : undefined;
  if (clash) {
    diagnostics.push({
      file,
      line: 1,
      col: 1,
      severity: 'error',
      rule: 'OUTPUT-CLASH',
      message: `输出文件 ${clash.target} 已由本次生成的另一份报告写出（两份报告标题相同？）；未生成本报告`,
    });
    return { ok: false, outputs: [], diagnostics, usable: true };
  }
  for (const { target, bytes } of rendered) await writeFileAtomic(target, bytes);
  return { ok: true, outputs: rendered.map((r) => r.target), diagnostics, usable: true };
}

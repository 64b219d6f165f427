/**
 * PDF output: a thin pdfmake emitter of the format-neutral document model (src/model/document.ts),
 * laid out by the shared GB/T 9704 numbers (src/render/layout.ts).
 */
import type { ReportDocument } from '../../model/document.js';
import type { FontRole } from '../layout.js';

/** A font file for one role: a path, or a TrueType/OpenType collection (.ttc) with the face's PostScript name. */
export type PdfFontFile = string | { readonly file: string; readonly face?: string };

export interface PdfOptions {
  /** Per-role font files (e.g. a licensed 仿宋_GB2312 for `body`); unnamed roles use the bundled Noto fonts. */
  readonly fonts?: Partial<Record<FontRole, PdfFontFile>>;
  /** Directory relative font paths are resolved against (default: the current directory). */
  readonly baseDir?: string;
  /** CreationDate/ModDate written into the PDF; default derived from the report year, so output is reproducible. */
  readonly date?: Date;
}

export async function renderPdf(doc: ReportDocument, options: PdfOptions = {}): Promise<Uint8Array> {
  void doc;
  void options;
  throw new Error('renderPdf: not implemented yet');
}

/**
 * The mark of a draft in PDF: 草稿 drawn across every page (pdfmake's watermark, in the 一级标题 face,
 * whose glyphs the coverage check has seen in the problem page's heading). A final document gets none.
 */
import type { ReportDocument } from '../../model/document.js';
import { DRAFT_TEXT } from '../../model/draft-marks.js';

export function draftPdfMarks(doc: ReportDocument): { watermark?: object } {
  if (!doc.draft) return {};
  return { watermark: { text: DRAFT_TEXT.mark, font: 'heading1', color: '#808080', opacity: 0.35, bold: false, italics: false } };
}

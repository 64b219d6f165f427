/**
 * The marks of a draft in Word: a header band on every page (odd and even: the document uses separate
 * odd and even headers) saying 草稿 and that it must not be published, and the problem page at the end.
 * The page starts with its heading (`pageBreakBefore`), not with a page-break paragraph, which would
 * leave a blank page whenever the report's last page is full. A final document gets neither.
 */
import { AlignmentType, BorderStyle, Header, Paragraph, TextRun } from 'docx';
import type { ReportDocument } from '../../model/document.js';
import { DRAFT_TEXT, draftAppendixBlocks } from '../../model/draft-marks.js';
import { runFont, type FontNames } from './fonts.js';
import { STYLE } from './styles.js';
import { textRuns } from './text.js';
import { halfPoints } from './units.js';

function band(fonts: FontNames): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        border: { bottom: { style: BorderStyle.DOUBLE, size: 6, color: '000000', space: 1 } },
        children: [new TextRun({ text: DRAFT_TEXT.banner, font: runFont(fonts.heading1), size: halfPoints(16), bold: true })],
      }),
    ],
  });
}

export function draftDocxHeaders(doc: ReportDocument, fonts: FontNames): { headers?: { default: Header; even: Header } } {
  if (!doc.draft) return {};
  return { headers: { default: band(fonts), even: band(fonts) } };
}

/** The problem page, after the report. */
export function draftDocxAppendix(doc: ReportDocument): Paragraph[] {
  if (!doc.draft) return [];
  return draftAppendixBlocks(doc.draft).map((block, i) => {
    const text = block.kind === 'heading' || block.kind === 'paragraph' ? block.text : '';
    const style = block.kind === 'heading' ? STYLE.heading1 : block.kind === 'paragraph' && block.indent ? STYLE.body : STYLE.bodyFlush;
    return new Paragraph({ style, children: textRuns(text), ...(i === 0 ? { pageBreakBefore: true } : {}) });
  });
}

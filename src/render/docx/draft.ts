/**
 * The mark of a draft in Word: a header band on every page (odd, even and first: the document uses
 * separate odd and even headers) saying 草稿 and that it must not be published. A final document
 * gets no header at all, as before.
 */
import { AlignmentType, BorderStyle, Header, Paragraph, TextRun } from 'docx';
import type { ReportDocument } from '../../model/document.js';
import { DRAFT_TEXT } from '../../model/draft-marks.js';
import { runFont, type FontNames } from './fonts.js';
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

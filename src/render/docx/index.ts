/**
 * docx emitter: the document model → a Word file laid out to GB/T 9704—2012 (FORMAT.md §6). A thin
 * emitter: every label, span and sentence comes from the model; this module only decides typography.
 */
import {
  AlignmentType,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  TextRun,
  type FileChild,
} from 'docx';
import type { Block, ReportDocument } from '../../model/document.js';
import { ROLE_SIZE, type FontRole } from '../layout.js';
import { LANGUAGE, resolveFonts, runFont, type FontNames, type FontOverrides } from './fonts.js';
import { normalizePackage } from './package.js';
import { docxTable } from './table.js';
import { textRuns } from './text.js';
import { BODY_CHAR_SPACING_TWIPS, charWidth, FOOTER_TWIPS, halfPoints, LINE_PITCH_TWIPS, PAGE_TWIPS } from './units.js';

export type { FontFaces, FontOverrides } from './fonts.js';
export { columnWidths } from './table.js';

export interface DocxOptions {
  /**
   * Face names per role (title, body, heading1, heading2, table, pageNumber), East Asian and Latin
   * separately; anything left out keeps the official default of `OFFICIAL_FONT_NAMES`.
   */
  readonly fonts?: FontOverrides;
  /**
   * The created/modified time written into the document properties. Default: 1 January of the year
   * after the report year, 00:00 UTC, so building the same report twice gives the same bytes.
   */
  readonly date?: Date;
}

/** Body text: 3号, exact line pitch of the 22-line grid, justified, first line indented two characters. */
const EXACT_LINE = { line: LINE_PITCH_TWIPS, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;
const INDENT_TWO_CHARS = { firstLineChars: 200, firstLine: 2 * charWidth(ROLE_SIZE.body) } as const;
/**
 * `w:overflowPunct` written out: Word's own default for Chinese text (a line-end ，。 may hang into the
 * margin). LibreOffice reads this flag the other way round (hanging only when it is 0 or absent) and,
 * without it, hangs a line-end comma past the 版心 or drops it from the page altogether (seen in 7.4).
 */
const PUNCTUATION = { overflowPunctuation: true } as const;

/** Roles set in 3号 on the 28-character line. */
const CONDENSED_ROLES: ReadonlySet<FontRole> = new Set(['body', 'heading1', 'heading2']);

function runs(text: string, role: FontRole, fonts: FontNames, extra: { snapToGrid?: boolean } = {}): TextRun[] {
  return textRuns(text, {
    font: runFont(fonts[role]),
    size: halfPoints(ROLE_SIZE[role]),
    language: LANGUAGE,
    ...(CONDENSED_ROLES.has(role) ? { characterSpacing: BODY_CHAR_SPACING_TWIPS } : {}),
    ...extra,
  });
}

function blockChildren(block: Block, fonts: FontNames): FileChild[] {
  switch (block.kind) {
    case 'title':
      // 2号 title, centred, one paragraph per line; a blank line of the grid below it. The title keeps
      // its natural glyph width (no snapping to the 3号 character grid, which would double-space it).
      return block.lines.map(
        (line, i) =>
          new Paragraph({
            ...PUNCTUATION,
            alignment: AlignmentType.CENTER,
            spacing: { ...EXACT_LINE, after: i === block.lines.length - 1 ? LINE_PITCH_TWIPS : 0 },
            keepNext: true,
            children: runs(line, 'title', fonts, { snapToGrid: false }),
          }),
      );
    case 'heading': {
      const role: FontRole = block.level === 1 ? 'heading1' : 'heading2';
      return [
        new Paragraph({
          ...PUNCTUATION,
          alignment: AlignmentType.JUSTIFIED,
          spacing: EXACT_LINE,
          indent: INDENT_TWO_CHARS,
          keepNext: true,
          outlineLevel: block.level - 1,
          children: runs(block.text, role, fonts),
        }),
      ];
    }
    case 'paragraph':
      return [
        new Paragraph({
          ...PUNCTUATION,
          alignment: AlignmentType.JUSTIFIED,
          spacing: EXACT_LINE,
          ...(block.indent ? { indent: INDENT_TWO_CHARS } : {}),
          children: runs(block.text, 'body', fonts),
        }),
      ];
    case 'table':
      // An empty body-sized paragraph after each table keeps the next heading off the table's border.
      return [docxTable(block.table, block.grid, fonts.table), new Paragraph({ spacing: EXACT_LINE, children: [] })];
    case 'signature':
      // 落款 right-aligned, 右空四字, two blank lines of the grid above it (GB/T 9704 7.3.5).
      return block.lines.map(
        (line, i) =>
          new Paragraph({
            ...PUNCTUATION,
            alignment: AlignmentType.RIGHT,
            spacing: { ...EXACT_LINE, before: i === 0 ? 2 * LINE_PITCH_TWIPS : 0 },
            indent: { right: 4 * charWidth(ROLE_SIZE.body) },
            keepLines: true,
            keepNext: i < block.lines.length - 1,
            children: runs(line, 'body', fonts),
          }),
      );
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

/** `— 1 —` in 4号 宋体, odd pages right-aligned and even pages left-aligned, 空一字 from the edge. */
function pageNumberFooter(side: 'odd' | 'even', fonts: FontNames): Footer {
  const faces = fonts.pageNumber;
  const oneChar = charWidth(ROLE_SIZE.pageNumber);
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: oneChar } : { left: oneChar },
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 }, // single
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: runFont(faces),
            size: halfPoints(ROLE_SIZE.pageNumber),
            language: LANGUAGE,
            snapToGrid: false,
          }),
        ],
      }),
    ],
  });
}

/** The default: 1 January after the report year (a report is written early the following year). */
function defaultDate(doc: ReportDocument): Date {
  return new Date(Date.UTC(doc.meta.year + 1, 0, 1));
}

/** Renders a report document as a .docx file; same input and options → byte-identical output. */
export async function renderDocx(doc: ReportDocument, options: DocxOptions = {}): Promise<Uint8Array> {
  const fonts = resolveFonts(options.fonts);
  const file = new Document({
    title: doc.meta.title,
    creator: doc.meta.author,
    lastModifiedBy: doc.meta.author,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: runFont(fonts.body), size: halfPoints(ROLE_SIZE.body), language: LANGUAGE },
          paragraph: { spacing: EXACT_LINE },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE_TWIPS.width, height: PAGE_TWIPS.height },
            margin: {
              top: PAGE_TWIPS.top,
              bottom: PAGE_TWIPS.bottom,
              left: PAGE_TWIPS.left,
              right: PAGE_TWIPS.right,
              header: PAGE_TWIPS.top / 2,
              footer: FOOTER_TWIPS,
              gutter: 0,
            },
            pageNumbers: { start: 1 },
          },
          // No document grid: LibreOffice stretches lines and characters on Word's 22 × 28 grid. The
          // exact 28.95 pt line spacing and the condensed 3号 runs give 22 × 28 in Word, WPS and LibreOffice.
          grid: { linePitch: LINE_PITCH_TWIPS },
        },
        footers: { default: pageNumberFooter('odd', fonts), even: pageNumberFooter('even', fonts) },
        children: doc.blocks.flatMap((block) => blockChildren(block, fonts)),
      },
    ],
  });
  const packed = await Packer.toBuffer(file);
  return normalizePackage(new Uint8Array(packed), options.date ?? defaultDate(doc));
}

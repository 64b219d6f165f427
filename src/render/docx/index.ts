/**
 * docx emitter: the document model → a Word file laid out to GB/T 9704—2012 (FORMAT.md §6). A thin
 * emitter: every label, span and sentence comes from the model; this module only decides typography.
 */
import {
  AlignmentType,
  type BaseXmlComponent,
  Document,
  Footer,
  PageBreak,
  Paragraph,
  SimpleField,
  TextRun,
  type FileChild,
  type IPropertiesOptions,
  type Styles,
  type Theme,
} from 'docx';
import type { Block, ReportDocument } from '../../model/document.js';
import { GRID_CHAR_PT, ROLE_SIZE, SIGNATURE, signatureIndents } from '../layout.js';
import { signatureLines, titleLines } from '../words.js';

/** One character of the 28-character line, in twips: the unit of the 落款's indents. */
const GRID_CHAR_TWIPS = GRID_CHAR_PT * 20;
import { LANGUAGE, resolveFonts, runFont, type FontOverrides } from './fonts.js';
import { packageParts, zipPackage } from './package.js';
import { isSharing, writtenOnce } from './shared.js';
import { RecentlyUsed } from '../recently-used.js';
import { characterStyles, EXACT_LINE, HEADING_STYLE, LEAD_STYLE, paragraphStyles, STYLE } from './styles.js';
import { docxTable } from './table.js';
import { draftDocxAppendix, draftDocxHeaders } from './draft.js';
import { textRuns } from './text.js';
import { charWidth, FOOTER_TWIPS, halfPoints, LINE_PITCH_TWIPS, PAGE_TWIPS } from './units.js';

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

/**
 * Each block is a paragraph of its role's style (styles.ts); only what differs from the style is
 * written on the paragraph itself: the blank grid line after the title and before the 落款, the 落款's
 * lines kept together and with the paragraph before them, a table row label's left alignment.
 */
function blockChildren(block: Block, next: Block | undefined): FileChild[] {
  switch (block.kind) {
    case 'title': {
      // 2号 title, centred, one paragraph per line (a long name broken between its words, as in the PDF
      // and HTML: Word would break it between any two characters); a blank line of the grid below it.
      const lines = titleLines(block.lines);
      return lines.map(
        (line, i) =>
          new Paragraph({
            style: STYLE.title,
            ...(i === lines.length - 1 ? { spacing: { ...EXACT_LINE, after: LINE_PITCH_TWIPS } } : {}),
            children: textRuns(line),
          }),
      );
    }
    case 'heading':
      return [new Paragraph({ style: HEADING_STYLE[block.level], children: textRuns(block.text) })];
    case 'paragraph':
      // the paragraph before the 落款 keeps with it: its last lines (two at least, by the style's widow
      // control) go to the next page with the 落款 rather than leave it alone there (GB/T 9704)
      // a run-in heading (（一）主动公开情况。…) in its level's character style, the rest as body text
      return [
        new Paragraph({
          style: block.indent ? STYLE.body : STYLE.bodyFlush,
          ...(next?.kind === 'signature' ? { keepNext: true } : {}),
          children: block.lead
            ? [new TextRun({ text: block.text.slice(0, block.lead.length), style: LEAD_STYLE[block.lead.level] }), ...textRuns(block.text.slice(block.lead.length))]
            : textRuns(block.text),
        }),
      ];
    case 'table':
      // An empty body-sized paragraph after each table keeps the next heading off the table's border.
      return [docxTable(block.table, block.grid), new Paragraph({ children: [] })];
    case 'signature': {
      // a blank line of the grid above the 落款, each printed line (a long name broken between its words)
      // at its indent (GB/T 9704 7.3.5.2, layout.ts); its lines keep together
      const lines = signatureLines(block.lines);
      const indents = signatureIndents(lines);
      return lines.map(
        (line, i) =>
          new Paragraph({
            style: STYLE.signature,
            indent: { right: Math.round(indents[i] * GRID_CHAR_TWIPS) },
            ...(i === 0 ? { spacing: { ...EXACT_LINE, before: SIGNATURE.blankLinesAbove * LINE_PITCH_TWIPS } } : {}),
            ...(i < lines.length - 1 ? { keepNext: true } : {}),
            children: textRuns(line),
          }),
      );
    }
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

/**
 * The PAGE field's stored result, for viewers that show fields without computing them. One footer
 * serves every odd page and one every even page, so no stored value is right on every page: each
 * holds the number of the first page it appears on (1 and 2), as Word stores the value of the page
 * it last laid the field out on. Word, WPS and LibreOffice compute the field and show each page's own.
 */
const STORED_PAGE = { odd: '1', even: '2' } as const;

/** `— 1 —` (4号 宋体 from its style), odd pages right-aligned and even pages left-aligned, 空一字 from the edge. */
function pageNumberParagraph(side: 'odd' | 'even'): Paragraph {
  const oneChar = charWidth(ROLE_SIZE.pageNumber);
  return new Paragraph({
    style: STYLE.pageNumber,
    alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
    indent: side === 'odd' ? { right: oneChar } : { left: oneChar },
    children: [new TextRun('— '), new SimpleField('PAGE', STORED_PAGE[side]), new TextRun(' —')],
  });
}

/**
 * The page-number paragraphs, the same in every report (text and a PAGE field: nothing that takes an
 * id or a relationship from its document), built and written once; docx writes each footer twice.
 */
const sharedPageNumbers = new RecentlyUsed<'odd' | 'even', Paragraph>(2);

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const paragraph = isSharing() ? sharedPageNumbers.get(side, () => writtenOnce(pageNumberParagraph(side))) : pageNumberParagraph(side);
  return new Footer({ children: [paragraph] });
}

/** The default: 1 January after the report year (a report is written early the following year). */
function defaultDate(doc: ReportDocument): Date {
  return new Date(Date.UTC(doc.meta.year + 1, 0, 1));
}

/** Renders a report document as a .docx file; same input and options → byte-identical output. */
export async function renderDocx(doc: ReportDocument, options: DocxOptions = {}): Promise<Uint8Array> {
  return zipPackage(await packageParts(docxDocument(doc, options)), options.date ?? defaultDate(doc), doc.meta.lang, resolveFonts(options.fonts));
}

/**
 * Parts written once, by what docx builds them from: styles by their options (a handful of entries: the
 * official fonts and any overrides in use), the theme (always docx's default), and settings.xml,
 * docProps/app.xml and docProps/custom.xml, whose options are the same for every report (`docxDocument`).
 */
const sharedParts = new RecentlyUsed<string, BaseXmlComponent>(16);

/**
 * A report's docx document. Its styles (styles.xml), theme, settings and document properties depend on
 * their options only, the same for every report with the same fonts, and writing them was a fifth of a
 * render: the first document's, built by the docx package, are written once and stand in for every
 * later document's with the same options.
 */
class ReportDocx extends Document {
  readonly #stylesKey: string;
  readonly #themeKey: string;

  constructor(options: IPropertiesOptions) {
    super(options);
    this.#stylesKey = `styles ${JSON.stringify(options.styles ?? null)}`;
    this.#themeKey = `theme ${JSON.stringify(options.theme ?? null)}`;
  }

  /** The part kept under `key` (this document's own when nothing is shared). */
  #shared<T extends BaseXmlComponent>(key: string, part: () => T): T {
    return isSharing() ? (sharedParts.get(key, () => writtenOnce(part())) as T) : part();
  }

  override get Styles(): Styles {
    return this.#shared(this.#stylesKey, () => super.Styles);
  }

  override get Theme(): Theme {
    return this.#shared(this.#themeKey, () => super.Theme);
  }

  override get Settings(): Document['Settings'] {
    return this.#shared('settings', () => super.Settings);
  }

  override get AppProperties(): Document['AppProperties'] {
    return this.#shared('app', () => super.AppProperties);
  }

  override get CustomProperties(): Document['CustomProperties'] {
    return this.#shared('custom', () => super.CustomProperties);
  }
}

/** The docx package's document for a report (a fresh one every call: its tables keep their rows). */
export function docxDocument(doc: ReportDocument, options: DocxOptions = {}): Document {
  const fonts = resolveFonts(options.fonts);
  return new ReportDocx({
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
      paragraphStyles: paragraphStyles(fonts),
      characterStyles: characterStyles(fonts),
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
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        ...draftDocxHeaders(doc, fonts),
        children: [...doc.blocks.flatMap((block, i) => blockChildren(block, doc.blocks[i + 1])), ...draftDocxAppendix(doc)],
      },
    ],
  });
}

/**
 * PDF output of the format-neutral document model (src/model/document.ts), laid out by the shared
 * GB/T 9704 numbers (src/render/layout.ts): A4, 版心 156 × 225 mm, 3号 body on a fixed 22-lines-per-page
 * pitch, 2号 title, `— 1 —` page numbers on the outer side.
 *
 * The document is described as a pdfmake definition (lines set by lines.ts, tables by table.ts). Its
 * layout is predicted (paginate.ts) and drawn straight onto pdfkit's pages (direct/): pdfmake's
 * preprocessing, measuring and layout cost more than the drawing itself. A definition the prediction
 * does not follow is laid out by pdfmake, which then also draws it; both give the same pages
 * (scripts/compare-pdfs.ts, test/pdf/pdf-paginate.test.ts).
 */
import pdfmake from 'pdfmake';
import type { Content, ContentText, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import { UserError } from '../../diagnostics/errors.js';
import type { Block, ReportDocument } from '../../model/document.js';
import { withDraftAppendix } from '../../model/draft-marks.js';
import { splitAtBlocks } from '../../format/grid.js';
import { GRID_CHAR_PT, HEADING_LEVELS, LINE_GRID_ROLES, LINE_PITCH_PT, MM, PAGE, ROLE_SIZE, SIGNATURE, signatureIndents, TABLE_SPACE_PT, tableColumnFractions, type FontRole } from '../layout.js';
import { signatureLines, titleLines } from '../words.js';
import { bundledFontFile, FONT_ROLES, fontTokens, fontLabel, lineHeightFor, loadFont, missingGlyphs, type LoadedFont, type PdfFontFile } from './fonts.js';
import { draftPdfMarks } from './draft.js';
import { lineNodes, setLines, type SetLine } from './lines.js';
import { KEEP_END, KEEP_START, keepEndOf, predictLayout } from './paginate.js';
import { drawPredicted } from './direct/index.js';
import { cellText, pdfTable, TABLE_RULE_PT, TEXT_WIDTH_PT, type CellLines, type PdfTableResult } from './table.js';

export type { PdfFontFile } from './fonts.js';

export interface PdfOptions {
  /** Per-role font files (e.g. a licensed 仿宋_GB2312 for `body`); unnamed roles use the bundled Noto fonts. */
  readonly fonts?: Partial<Record<FontRole, PdfFontFile>>;
  /** Directory relative font paths are resolved against (default: the current directory). */
  readonly baseDir?: string;
  /**
   * CreationDate/ModDate written into the PDF (the document ID is derived from them). Default: the
   * `SOURCE_DATE_EPOCH` environment variable if set, else 1 January after the report year, so the
   * same input always gives the same bytes.
   */
  readonly date?: Date;
  /**
   * How the pages are laid out. `predicted` (the default): worked out from the definition (paginate.ts)
   * and drawn with pdfkit (direct/), falling back to `iterative` for a definition the prediction does
   * not follow. `iterative`: laid out by pdfmake, then again with the breaks found (and again for every
   * heading pdfmake moves), as long as they change, and drawn by pdfmake. Both give the same pages; the
   * files differ in the Producer (`nianbao (pdfkit)`, `nianbao (pdfmake)`) and in how the drawing
   * operators are grouped.
   */
  readonly layout?: 'predicted' | 'iterative';
  /**
   * Called once for a predicted layout, and each time the document is handed to pdfmake for an iterative
   * one (for tests and profiling). In an iterative pass pdfmake lays the document out once more for
   * every heading it moves.
   */
  readonly onLayout?: (kind: 'predicted' | 'iterative') => void;
}

// pdfmake 0.3 is a process-wide singleton that, by default, fetches any URL and opens any local path a
// document names (CVE-2026-26801). Our documents name no resource: fonts come from the virtual file
// system below, so every URL and every local path is refused.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy(() => false);

/** `virtualfs` exists at run time but is not declared by @types/pdfmake 0.3.3. */
interface VirtualFs {
  existsSync(name: string): boolean;
  writeFileSync(name: string, content: Uint8Array): void;
}
const virtualfs = (pdfmake as unknown as { virtualfs: VirtualFs }).virtualfs;

/** pdfmake's A4, in points (its standardPageSizes), stated here so the layout model uses the same page. */
const PAGE_SIZE_PT = { width: 595.28, height: 841.89 };

/** The y of the page's first line (pdfmake's top page margin). */
const PAGE_TOP_PT = PAGE.marginMm.top * MM;
/** Title lines sit a little further apart than body lines; 22 pt type needs more than the 28.9 pt pitch. */
const TITLE_PITCH_PT = LINE_PITCH_PT * 1.2;
/** Marks the page-number node, so that keeping headings with what follows can tell it apart. */
const PAGE_NUMBER_STYLE = 'nianbaoPageNumber';
/** Marks the second and later lines of a heading: they do not count as what follows the heading. */
const HEADING_CONTINUATION_STYLE = 'nianbaoHeadingLine';
/** Marks a line that opens with a run-in heading (its text two inlines): placed as reliably as a plain line. */
const RUN_IN_LINE_STYLE = 'nianbaoRunInLine';
/** One character of the body on the 28-character line, the unit of 左空二字 and 空一字. */
const CHAR = GRID_CHAR_PT;

type Fonts = Record<FontRole, LoadedFont>;

/**
 * Gets the PDF fonts ready before the first document needs them: each file parsed, and the OpenType
 * layout tables that fontkit decodes on a font's first shaping decoded. A batch build's workers do this
 * while the main thread still checks the workspace. Throws what the render would (a missing or bad font
 * file), so that the batch build reports it once rather than once per report.
 */
export function preparePdf(options: Pick<PdfOptions, 'fonts' | 'baseDir'> = {}): void {
  const fonts = resolveFonts(options);
  for (const role of FONT_ROLES) fonts[role].font.layout('政府信息公开工作年度报告（一）1');
}

function resolveFonts(options: Pick<PdfOptions, 'fonts' | 'baseDir'>): Fonts {
  const fonts = {} as Fonts;
  for (const role of FONT_ROLES) {
    const given = options.fonts?.[role];
    fonts[role] = given ? loadFont(given, options.baseDir) : loadFont(bundledFontFile(role));
  }
  return fonts;
}

function registerFonts(fonts: Fonts): TFontDictionary {
  const dictionary: TFontDictionary = {};
  for (const role of FONT_ROLES) {
    const loaded = fonts[role];
    if (!virtualfs.existsSync(loaded.vfsName)) virtualfs.writeFileSync(loaded.vfsName, fontTokens.get(loaded.vfsName)!);
    // The token stands for the face already chosen (also from a collection): no face name goes to pdfkit.
    const source = loaded.vfsName;
    dictionary[role] = { normal: source, bold: source, italics: source, bolditalics: source };
  }
  return dictionary;
}

/** The text each role prints, to check the fonts' coverage before anything is drawn. */
function textByRole(doc: ReportDocument): Record<FontRole, string> {
  const text: Record<FontRole, string> = { title: '', body: '', heading1: '', heading2: '', heading3: '', table: '', pageNumber: '—0123456789 ' };
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'title':
        text.title += block.lines.join('');
        break;
      case 'heading':
        text[HEADING_LEVELS[block.level].role] += block.text;
        break;
      case 'paragraph':
        text.body += block.text;
        if (block.lead) text[HEADING_LEVELS[block.lead.level].role] += block.text.slice(0, block.lead.length);
        break;
      case 'signature':
        text.body += block.lines.join('');
        break;
      case 'table':
        for (const row of block.grid.rows) for (const cell of row) text.table += cellText(cell);
        break;
      case 'pageBreak':
        break;
    }
  }
  return text;
}

/** Refuses to draw tofu: a character the role's font lacks is an error naming the font and the characters. */
function checkCoverage(doc: ReportDocument, fonts: Fonts): void {
  const text = textByRole(doc);
  for (const role of FONT_ROLES) {
    const missing = missingGlyphs(fonts[role], text[role]);
    if (missing.length > 0) {
      throw new UserError(`字体 ${fontLabel(fonts[role])} 缺少以下字符的字形，无法生成 PDF：${missing.join(' ')}。请为“${ROLE_NAMES[role]}”换用包含这些字符的字体。`);
    }
  }
}

const ROLE_NAMES: Record<FontRole, string> = {
  title: '标题',
  body: '正文',
  heading1: '一级标题',
  heading2: '二级标题',
  heading3: '三级标题',
  table: '表格',
  pageNumber: '页码',
};

/** What one layout pass needs and learns: the tables (to close split spans) and each row id's page. */
interface Pass {
  readonly tables: PdfTableResult[];
  /** where each table's node sits in the content, to build the tables again for other breaks */
  readonly tableSlots: { readonly wrapper: { stack: Content[] }; readonly block: Extract<Block, { kind: 'table' }>; readonly tables: readonly PdfTableResult[] }[];
  readonly pageOf: Map<string, number>;
  /** per table (in document order), the rows after which an earlier pass broke the page */
  readonly breaks: readonly (readonly number[])[];
  /** whether this pass is the last one allowed (its pages are drawn whatever breaks it finds) */
  readonly last: boolean;
  /** text set into lines, and table cells broken into lines: the same in every pass of a render */
  readonly setText: ReturnType<typeof lineSetter>;
  readonly cellLines: CellLines;
  readonly style: ReturnType<typeof styler>;
}

/** What pdfmake tells `pageBreakBefore` of a laid-out node. */
interface LaidOutNode {
  readonly id?: string;
  readonly headlineLevel?: number;
  readonly pageNumbers?: number[];
  readonly text?: unknown;
  readonly style?: unknown;
  readonly startPosition?: { readonly top: number };
}

/**
 * Whether pdfmake knows the node's page: a line outside tables, or a table body row's cell with an id.
 * A table row moved whole to the next page keeps the page where it was first laid out on all its other
 * cells (and on the stack and table around them); a header row's cells take the page of each repeat.
 */
function placedReliably(node: LaidOutNode, headerIds: ReadonlySet<string>): boolean {
  if (typeof node.text === 'string' || node.style === RUN_IN_LINE_STYLE) return true;
  return Array.isArray(node.text) && node.id !== undefined && !headerIds.has(node.id);
}

/** Thrown to abandon a laid-out pass before pdfmake draws it. */
class RedoLayout extends Error {}

/**
 * Whether a laid-out pass must be redone: it found page breaks inside tables other than those it was
 * built with. Unknown (nothing laid out yet) counts as final, so the pass is drawn.
 */
function mustRedo(pass: Pass): boolean {
  return !pass.last && pass.pageOf.size > 0 && breakKey(splitRows(pass)) !== breakKey(pass.breaks);
}

interface TextSetting {
  readonly indent?: number;
  readonly justify?: boolean;
  readonly width?: number;
  readonly words?: boolean;
  /** the text's first `length` characters in another role's face (a run-in heading) */
  readonly lead?: { readonly length: number; readonly role: FontRole };
}

/**
 * Sets text into lines (lines.ts), on the 28-character line for the 3号 roles. Kept for the whole
 * render: every layout pass sets the same text the same way.
 */
function lineSetter(fonts: Fonts): (text: string, role: FontRole, setting?: TextSetting) => SetLine[] {
  const cache = new Map<string, SetLine[]>();
  return (text, role, setting = {}) => {
    const key = `${role}\0${setting.indent ?? 0}\0${setting.justify ?? false}\0${setting.width ?? ''}\0${setting.words ?? false}\0${setting.lead ? `${setting.lead.role}:${setting.lead.length}` : ''}\0${text}`;
    let lines = cache.get(key);
    if (!lines) {
      lines = setLines(text, fonts[role], ROLE_SIZE[role], setting.width ?? TEXT_WIDTH_PT, {
        indent: setting.indent,
        justify: setting.justify,
        words: setting.words,
        ...(setting.lead ? { lead: { length: setting.lead.length, font: fonts[setting.lead.role] } } : {}),
        condense: LINE_GRID_ROLES.has(role) ? ROLE_SIZE[role] - GRID_CHAR_PT : 0,
      });
      cache.set(key, lines);
    }
    return lines;
  };
}

/**
 * The text style of a role (font, size, line height, alignment), made once per role, pitch and alignment
 * in a render (each line node copies it). Every other text property keeps pdfmake's default, which is
 * also what the direct drawing assumes (direct/line.ts).
 */
function styler(fonts: Fonts): (role: FontRole, more?: { pitchPt?: number; alignment?: string }) => object {
  const made = new Map<string, object>();
  return (role, more = {}) => {
    const key = `${role}\0${more.pitchPt ?? ''}\0${more.alignment ?? ''}`;
    let style = made.get(key);
    if (!style) {
      style = {
        font: role,
        fontSize: ROLE_SIZE[role],
        lineHeight: lineHeightFor(fonts[role], ROLE_SIZE[role], more.pitchPt ?? LINE_PITCH_PT),
        alignment: more.alignment ?? 'left',
        leadingIndent: 0,
      };
      made.set(key, style);
    }
    return style;
  };
}

function blockContent(block: Block, fonts: Fonts, pass: Pass): Content | undefined {
  const setText = pass.setText;
  const style = pass.style;

  switch (block.kind) {
    case 'title': {
      // GB/T 9704: the title is centred; one blank body line separates it from the text.
      const titleStyle = style('title', { pitchPt: TITLE_PITCH_PT, alignment: 'center' });
      // a long agency name breaks between words
      return { stack: titleLines(block.lines).flatMap((line) => lineNodes(setText(line, 'title', { words: true }), titleStyle)), margin: [0, 0, 0, LINE_PITCH_PT] };
    }
    case 'heading': {
      // (level 3's bold is not drawn: pdfkit cannot embolden a face, and no bold 仿宋 is bundled; README)
      const role = HEADING_LEVELS[block.level].role;
      // Headings are paragraphs of the body: 左空二字; `headlineLevel` lets pageBreakBefore keep them with what follows.
      const lines = setText(block.text, role, { indent: 2 * CHAR, justify: true });
      return { stack: lineNodes(lines, style(role), { leadingIndent: 2 * CHAR, headlineLevel: block.level }, { style: HEADING_CONTINUATION_STYLE }) };
    }
    case 'paragraph': {
      const indent = block.indent ? 2 * CHAR : 0;
      const leadRole = block.lead ? HEADING_LEVELS[block.lead.level].role : undefined;
      // a run-in heading's characters measured in its face, so the justified line still ends at the edge
      const lines = setText(block.text, 'body', { indent, justify: true, ...(block.lead ? { lead: { length: block.lead.length, role: leadRole! } } : {}) });
      const nodes = lineNodes(lines, style('body'), { leadingIndent: indent });
      if (block.lead) runIn(nodes, block.lead.length, style(leadRole!));
      return { stack: nodes };
    }
    case 'table': {
      const from = pass.tables.length;
      const wrapper = { stack: tableNodes(block, fonts, pass), margin: [0, TABLE_SPACE_PT.above, 0, TABLE_SPACE_PT.below] as [number, number, number, number] };
      pass.tableSlots.push({ wrapper, block, tables: pass.tables.slice(from) });
      return wrapper;
    }
    case 'signature': {
      // 落款 (GB/T 9704 7.3.5.2): a blank line above, each printed line (a long name broken between words)
      // right-aligned at its indent (layout.ts)
      const lines = signatureLines(block.lines);
      const indents = signatureIndents(lines);
      return {
        stack: lines.flatMap((line, i) =>
          lineNodes(setText(line, 'body', { width: TEXT_WIDTH_PT - indents[i] * CHAR, words: true }), { ...style('body', { alignment: 'right' }), margin: [0, 0, indents[i] * CHAR, 0] }),
        ),
        margin: [0, SIGNATURE.blankLinesAbove * LINE_PITCH_PT, 0, 0],
      };
    }
    case 'pageBreak':
      return undefined;
  }
}

/**
 * Sets the first `length` characters of a paragraph's lines in a heading level's face (a run-in heading):
 * each line they reach becomes two inlines, the heading's part with its role's font and line height (the
 * same pitch) and the body's rest, both at the line's character spacing. The line is set as before, on
 * the body's metrics: the faces share the 28-character line, whose width the condensing fixes.
 */
function runIn(lines: ContentText[], length: number, headingStyle: object): void {
  const { font, lineHeight } = headingStyle as { font: string; lineHeight: number };
  let offset = 0;
  for (const line of lines) {
    const text = line.text as string;
    if (offset >= length) break;
    const cut = Math.min(text.length, length - offset);
    offset += text.length;
    const inlines: object[] = [{ text: text.slice(0, cut), font, lineHeight }];
    // pdfmake measures two inlines one character spacing wider than one (`(length − 1) × spacing` each)
    // and would push the rest of a condensed line to the next: `noNewLine` (its own flag for inlines
    // with no break between them, copied from ours) keeps the rest on the line, as it was set.
    if (cut < text.length) {
      Object.assign(inlines[0], { noNewLine: true });
      inlines.push({ text: text.slice(cut) });
    }
    Object.assign(line, { text: inlines, style: RUN_IN_LINE_STYLE });
  }
}

/**
 * A table block as pdfmake tables, built for the pass's breaks and recorded in the pass: one table, or
 * one per block of a table with blocks (table 二), each with its block title and column headers as
 * header rows, so pdfmake moves them with the block's first row and repeats them over a continued
 * block. A block after the first starts on the rule that closes the one before it (a negative top
 * margin of one rule), so the rules between blocks are single as in one table.
 */
function tableNodes(block: Extract<Block, { kind: 'table' }>, fonts: Fonts, pass: Pass): Content[] {
  const fractions = tableColumnFractions(block.table, block.grid);
  return splitAtBlocks(block.grid).map((grid, i) => {
    const index = pass.tables.length;
    const table = pdfTable(block.table, grid, fonts.table, 'table', `nianbao-t${index}`, fractions, pass.breaks[index], pass.cellLines);
    pass.tables.push(table);
    if (i > 0) (table.node as { margin?: number[] }).margin = [0, -TABLE_RULE_PT, 0, 0];
    return table.node;
  });
}

function documentContent(doc: ReportDocument, fonts: Fonts, pass: Pass): Content[] {
  const content: Content[] = [];
  let breakBefore = false;
  for (const block of doc.blocks) {
    if (block.kind === 'pageBreak') {
      breakBefore = content.length > 0;
      continue;
    }
    const node = blockContent(block, fonts, pass) as Content & { pageBreak?: string };
    if (breakBefore) node.pageBreak = 'before';
    breakBefore = false;
    content.push(node);
    if (block.kind === 'signature') keepWithPrevious(content);
  }
  return content;
}

type LineStack = { stack: { id?: string; headlineLevel?: number; text?: unknown }[]; pageBreak?: string };

/**
 * GB/T 9704: the 落款 never stands alone on a page, and its lines stay together. The signature (the last
 * node of `content`) and the lines before it that must share its page form a keep-together group
 * (paginate.ts): the last two lines of body text before it (a widow of one line is not enough body text;
 * from the paragraph before when the last has one line), from the heading above them when they are all
 * of its section (a heading is not left behind alone). A table before the signature keeps nothing.
 */
function keepWithPrevious(content: Content[]): void {
  const signature = content.at(-1) as unknown as LineStack;
  if (signature.pageBreak) return;
  let start: LineStack['stack'][number] | undefined;
  let lines = 0;
  for (let i = content.length - 2; i >= 0; i--) {
    const node = content[i] as unknown as LineStack;
    if (!node.stack?.length || node.stack.some((line) => line.text === undefined)) break;
    if (node.stack[0].headlineLevel) {
      if (start) start = node.stack[0];
      break;
    }
    const take = Math.min(2 - lines, node.stack.length);
    if (take <= 0) break;
    start = node.stack.at(-take)!;
    lines += take;
    if (node.pageBreak || take < node.stack.length) break;
  }
  if (!start) return;
  const name = `nianbao-signature-${content.length}`;
  start.id = name + KEEP_START;
  signature.stack.at(-1)!.id = name + KEEP_END;
}

function fixedDate(doc: ReportDocument, options: PdfOptions): Date {
  if (options.date) return options.date;
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(Date.UTC(doc.meta.year + 1, 0, 1));
}

/** The pdfmake document definition of one layout pass. */
function pdfDefinition(doc: ReportDocument, date: Date, pass: Pass, content: Content[], producer = 'nianbao (pdfmake)'): TDocumentDefinitions {
  // (the content is built: every table, with its header rows, is in the pass)
  const headerIds = new Set(pass.tables.flatMap((table) => [...table.headerIds]));
  const margin = PAGE.marginMm;
  const pageNumberSize = ROLE_SIZE.pageNumber;
  return {
    pageSize: { width: PAGE_SIZE_PT.width, height: PAGE_SIZE_PT.height },
    pageMargins: [margin.left * MM, margin.top * MM, margin.right * MM, margin.bottom * MM],
    info: {
      title: doc.meta.title,
      author: doc.meta.author,
      subject: `${doc.meta.year}年政府信息公开工作年度报告`,
      creator: 'nianbao',
      producer,
      creationDate: date,
      modDate: date,
    },
    language: doc.meta.lang,
    // viewers title the window with the report's title, not the file name (PDF/UA, WCAG 2.4.2)
    displayTitle: true,
    compress: true,
    content,
    ...draftPdfMarks(doc),
    // GB/T 9704 7.5: 4号 半角 digits between 一字线, 7 mm below the 版心; odd pages right, even pages
    // left, 空一字 from the edge of the 版心.
    footer: (currentPage: number) => ({
      text: `— ${currentPage} —`,
      style: PAGE_NUMBER_STYLE,
      font: 'pageNumber',
      fontSize: pageNumberSize,
      lineHeight: 1,
      alignment: currentPage % 2 === 1 ? 'right' : 'left',
      margin: [margin.left * MM + pageNumberSize, PAGE.pageNumberBelowTextMm * MM, margin.right * MM + pageNumberSize, 0],
    }),
    // Keep a heading off the last line of a page: it moves to the next page with what follows it. pdfmake
    // calls this for every laid-out node, which is also where we learn on which page each table row fell.
    pageBreakBefore: (node, following) => {
      const info = node as LaidOutNode;
      if (info.id && info.pageNumbers?.length) pass.pageOf.set(info.id, info.pageNumbers[0]);
      // What follows a heading on its page: lines and table rows, not the heading's own further lines,
      // other headings, nor the page number (a node of the page too).
      // A heading followed by nothing but another heading (一、 then （一）) goes with it: judged once each,
      // in order, the first would otherwise stay behind alone when the second moves.
      const content = (n: LaidOutNode) => placedReliably(n, headerIds) && n.style !== PAGE_NUMBER_STYLE && n.style !== HEADING_CONTINUATION_STYLE && !n.headlineLevel;
      let moveHeading = Boolean(info.headlineLevel) && !following.getFollowingNodesOnPage().some(content);
      // The start of a keep-together group (paginate.ts) goes to the next page when the group's end is not on its page.
      if (info.id?.endsWith(KEEP_START) && info.startPosition!.top > PAGE_TOP_PT + 1e-6) {
        const end = keepEndOf(info.id);
        if (!following.getFollowingNodesOnPage().some((n: LaidOutNode) => n.id === end)) moveHeading = true;
      }
      return moveHeading;
    },
    styles: { [PAGE_NUMBER_STYLE]: {}, [HEADING_CONTINUATION_STYLE]: {}, [RUN_IN_LINE_STYLE]: {} },
    defaultStyle: { font: 'body', fontSize: ROLE_SIZE.body },
    // pdfmake reads the page limit after the layout (pageBreakBefore included) and before drawing: a pass
    // that must be laid out again stops there (renderPdf catches the signal), so no page is drawn twice.
    get maxPagesNumber() {
      if (mustRedo(pass)) throw new RedoLayout();
      return undefined;
    },
  } as TDocumentDefinitions;
}

/**
 * Renders a report document as PDF bytes. Fonts are embedded as subsets; the output is byte-identical
 * for the same document and options. Throws a `UserError` (Chinese message naming the file) for a font
 * file that is missing, unreadable or lacks a character the document prints.
 */
export async function renderPdf(report: ReportDocument, options: PdfOptions = {}): Promise<Uint8Array> {
  const doc = withDraftAppendix(report);
  const fonts = resolveFonts(options);
  checkCoverage(doc, fonts);
  const date = fixedDate(doc, options);
  const setText = lineSetter(fonts);
  const cellLines: CellLines = new Map();
  const style = styler(fonts);
  const newPass = (breaks: readonly (readonly number[])[], last: boolean): Pass => ({ tables: [], tableSlots: [], pageOf: new Map(), breaks, last, setText, cellLines, style });

  /** Lays a pass out with pdfmake; the output, or undefined when the pass was abandoned for a redo. */
  const layOut = async (pass: Pass, content: Content[]) => {
    options.onLayout?.('iterative');
    // pdfmake is a process-wide singleton: set this document's fonts right before it is created (the
    // printer takes them synchronously), so concurrent renders with other fonts cannot interfere.
    pdfmake.setFonts(registerFonts(fonts));
    const output = pdfmake.createPdf(pdfDefinition(doc, date, pass, content));
    try {
      await output.getStream();
    } catch (error) {
      if (!(error instanceof RedoLayout)) throw error;
    }
    return mustRedo(pass) ? undefined : output;
  };

  // The layout predicted (paginate.ts) and drawn directly with pdfkit: the usual case.
  const predicted = options.layout === 'iterative' ? undefined : predictedPass(doc, fonts, newPass);
  if (predicted) {
    options.onLayout?.('predicted');
    return drawPredicted(pdfDefinition(doc, date, predicted.pass, predicted.content, 'nianbao (pdfkit)'), predicted.prediction, fonts);
  }
  let output: Awaited<ReturnType<typeof layOut>>;

  // Otherwise: lay out, and learn where pages break inside tables. If they do, lay out again knowing the
  // breaks (the rule under each page's last table row, span labels in the part of the span that starts
  // the group); neither changes a row's height, so the second pass breaks at the same rows (checked; a
  // third pass would take the new breaks, which no test has seen happen).
  let breaks: number[][] = [];
  for (let attempt = 1; !output; attempt++) {
    const pass = newPass(breaks, attempt === 3);
    output = await layOut(pass, documentContent(doc, fonts, pass));
    breaks = splitRows(pass);
  }
  const buffer = await output.getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * The pass built for the predicted layout: the breaks inside tables taken from the prediction, and
 * the headings that must move given their `pageBreak`, as pdfmake's loop and a second pass would have
 * left them. Undefined when the model does not follow the document.
 */
function predictedPass(doc: ReportDocument, fonts: Fonts, newPass: (breaks: readonly (readonly number[])[], last: boolean) => Pass) {
  const box = { top: PAGE_TOP_PT, height: PAGE_SIZE_PT.height - PAGE.marginMm.top * MM - PAGE.marginMm.bottom * MM };
  let pass = newPass([], false);
  const content = documentContent(doc, fonts, pass);
  let prediction = predictLayout(content, box, fonts, HEADING_CONTINUATION_STYLE);
  if (!prediction) return undefined;
  const breaks = splitRows(pass, prediction.pageOf);
  if (breaks.some((rows) => rows.length > 0)) {
    // Cut spans are drawn differently (no row changes height): the tables are built again for the breaks,
    // in place, and the layout predicted again from scratch, as the iterative way lays out fresh content
    // again (a node moved by the first prediction is judged anew: with keep-together groups the order
    // of judgement matters, and a heading kept before a moved group may be moved this time). A table
    // the page does not break keeps the nodes built for no breaks.
    for (const node of prediction.moved) delete (node as { pageBreak?: string }).pageBreak;
    const first = pass;
    pass = newPass(breaks, false);
    for (const slot of first.tableSlots) {
      const from = pass.tables.length;
      if (slot.tables.every((_, i) => breaks[from + i].length === 0)) {
        pass.tables.push(...slot.tables);
        pass.tableSlots.push(slot);
      } else {
        slot.wrapper.stack = tableNodes(slot.block, fonts, pass);
        pass.tableSlots.push({ ...slot, tables: pass.tables.slice(from) });
      }
    }
    prediction = predictLayout(content, box, fonts, HEADING_CONTINUATION_STYLE);
    if (!prediction || breakKey(splitRows(pass, prediction.pageOf)) !== breakKey(breaks)) return undefined;
  }
  return { pass, content, prediction };
}

const breakKey = (breaks: readonly (readonly number[])[]) => breaks.flatMap((rows, t) => rows.map((r) => `${t}:${r}`)).join(',');

/** Per table, the rows that are the last on their page while the table goes on. */
function splitRows(pass: Pass, pageOf: ReadonlyMap<string, number> = pass.pageOf): number[][] {
  return pass.tables.map((table) => {
    const pages = table.rowIds.map((id) => (id ? pageOf.get(id) : undefined));
    const rows: number[] = [];
    for (let r = 0; r + 1 < pages.length; r++) {
      const here = pages[r];
      const next = pages.slice(r + 1).find((p) => p !== undefined);
      if (here !== undefined && next !== undefined && next !== here) rows.push(r);
    }
    return rows;
  });
}

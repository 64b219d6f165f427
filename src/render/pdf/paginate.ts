/**
 * Where pdfmake will break the pages of a document definition, worked out before pdfmake lays it out.
 *
 * Two things in the PDF depend on where pages break: a heading is kept with what follows it (pdfmake
 * asks `pageBreakBefore` after a whole layout and lays the document out again for every heading it
 * moves), and a table's merged body cells are closed and labelled per page (known only after a layout,
 * so renderPdf laid out a second time). A township report took two to six layouts, most of the cost of
 * its PDF. Every height in our definitions is ours: a text node is one line at a fixed pitch, a table
 * row is its tallest cell's lines plus fixed padding and rules. So the layout can be followed here in
 * a few hundred additions, with pdfmake's own rules (0.3.11, `LayoutBuilder`, `TableProcessor`,
 * `PageElementWriter`): a line goes to the next page when it does not fit, a margin that does not fit
 * ends the page, a table's header rows and first body row move as one block, every later row moves
 * whole and the header rows are repeated above it, a heading left with nothing after it on its page
 * gets `pageBreak: 'before'`, one at a time in document order, as pdfmake's relayout loop does.
 *
 * The prediction is drawn as it stands (direct/: no pdfmake pass checks it any more), so it must be
 * pdfmake's layout exactly: test/pdf/pdf-paginate.test.ts and scripts/compare-pdfs.ts compare the pages
 * drawn from it with pdfmake's own over hundreds of documents. Anything this module does not model
 * (another kind of node, a header cell taller than its rows, an empty line) gives no prediction at all,
 * and pdfmake lays the document out.
 */
import type { FontRole } from '../layout.js';
import { pdfkitLineHeight, type LoadedFont } from './fonts.js';

/** The page's content box as pdfmake sees it: the y of its top and the height available below it. */
export interface PageBox {
  readonly top: number;
  readonly height: number;
}

/** A text node as the layout will record it, in pdfmake's processing order. */
export interface PlacedText {
  readonly node: object;
  /** 1-based page */
  readonly page: number;
  /** y of the line on its page; undefined inside tables (pdfmake records it relative to the row there) */
  readonly top?: number;
}

/** Where a table's rows fell: enough to draw the table without pdfmake (direct/table.ts). */
export interface TablePlacement {
  /** per row of the body (header rows included), its page and the y of its top, below the rule over it */
  readonly rows: readonly { readonly page: number; readonly top: number }[];
}

export interface Prediction {
  /** every text node with something to draw, in the order pdfmake lays them out */
  readonly texts: readonly PlacedText[];
  /** every table node's rows */
  readonly tables: ReadonlyMap<object, TablePlacement>;
  /** how many pages pdfmake makes (a margin that does not fit at the end of the content opens a page) */
  readonly pages: number;
  /** the heading lines given `pageBreak: 'before'` (set on the nodes themselves) */
  readonly moved: readonly object[];
  /** page of each node that has an `id` */
  readonly pageOf: ReadonlyMap<string, number>;
}

/** The fields of our own pdfmake nodes that the layout depends on. */
interface Node {
  stack?: Node[];
  table?: { body: Node[][]; headerRows?: number; keepWithHeaderRows?: number; dontBreakRows?: boolean };
  layout?: TableLayoutNumbers;
  text?: string | Node[];
  margin?: number[];
  pageBreak?: string;
  headlineLevel?: number;
  style?: string;
  font?: string;
  fontSize?: number;
  lineHeight?: number;
  rowSpan?: number;
  colSpan?: number;
  id?: string;
  lineEnd?: boolean;
  noWrap?: boolean;
}

interface TableLayoutNumbers {
  hLineWidth(i: number, node: unknown): number;
  paddingTop(i: number, node: unknown): number;
  paddingBottom(i: number, node: unknown): number;
}

/**
 * A keep-together group: lines that must share a page with the line ending the group (the last lines of
 * the body and the 落款 after them). The group's first line has the id `<name>` + KEEP_START, its last
 * line `<name>` + KEEP_END; when the end falls on a later page than the start, the start line gets
 * `pageBreak: 'before'` and the whole group goes to the next page (never from the top of a page, which
 * would only leave a blank page). renderPdf's pageBreakBefore applies the same rule to pdfmake's layout.
 */
export const KEEP_START = ':keep-start';
export const KEEP_END = ':keep-end';
export const keepEndOf = (startId: string) => startId.slice(0, -KEEP_START.length) + KEEP_END;

/** Thrown inside the model for a definition it does not follow exactly. */
class Unmodelled extends Error {}

/**
 * The node properties this model follows, and that the direct drawing (direct/) draws: any other (a
 * list, an image, a colour, a link, bold, a vertical alignment …) gives no prediction, and pdfmake lays
 * the document out and draws it. A property set to `false` counts as absent. (Our styles are named only
 * as markers and are empty, so `style` cannot carry a margin or a colour.)
 */
const MODELLED_KEYS = new Set([
  // structure and vertical layout
  'stack', 'table', 'layout', 'text', 'margin', 'pageBreak', 'headlineLevel', 'style', 'id',
  // text
  'font', 'fontSize', 'lineHeight', 'alignment', 'leadingIndent', 'characterSpacing', 'noWrap', 'lineEnd', 'noNewLine',
  // table cells
  'colSpan', 'rowSpan', 'border',
]);
const ALIGNMENTS = new Set([undefined, 'left', 'right', 'center']);

/** pdfkit's line height of a font at a size (`EmbeddedFont.lineHeight`), times pdfmake's `lineHeight`. */
function lineHeightOf(fonts: Readonly<Record<FontRole, LoadedFont>>, node: Node): number {
  const loaded = fonts[node.font as FontRole];
  if (!loaded || typeof node.fontSize !== 'number' || typeof node.lineHeight !== 'number') throw new Unmodelled();
  return pdfkitLineHeight(loaded, node.fontSize) * node.lineHeight;
}

/** The writer's state: pdfmake's DocumentContext reduced to what moves vertically. */
class Flow {
  page = 1;
  y: number;
  available: number;
  /** height of the header rows repeated at the top of each new page while a table is being laid out */
  repeated = 0;

  constructor(private readonly box: PageBox) {
    this.y = box.top;
    this.available = box.height;
  }

  moveDown(offset: number): void {
    this.y += offset;
    this.available -= offset;
  }

  nextPage(): void {
    this.page++;
    this.y = this.box.top;
    this.available = this.box.height;
    if (this.repeated) this.moveDown(this.repeated);
  }

  atTop(): boolean {
    return this.y <= this.box.top;
  }
}

interface Layout {
  texts: PlacedText[];
  pageOf: Map<string, number>;
  tables: Map<object, TablePlacement>;
  pages: number;
}

function record(layout: Layout, node: Node, page: number, top?: number): void {
  layout.texts.push(top === undefined ? { node, page } : { node, page, top });
  if (node.id) layout.pageOf.set(node.id, page);
}

/**
 * Each table's row heights: the layout is followed again for every heading it moves, and a node does not
 * change once built (but for the `pageBreak` this module sets, which the heights do not read).
 */
const tableHeights = new WeakMap<Node, readonly number[]>();

/**
 * Refuses a node with a property the model does not follow. Checked again on every pass rather than
 * remembered per node: a report's PDF has some 1,200 nodes and only a few hundred are met twice, and
 * marking each fresh node in a WeakSet (an identity hash made for every object) cost about 1 ms of a
 * 24-ms PDF, several times what checking again costs.
 */
function checkKeys(node: Node): void {
  const fields = node as Record<string, unknown>;
  for (const key in fields) if (!MODELLED_KEYS.has(key) && fields[key] !== undefined && fields[key] !== false) throw new Unmodelled();
  if (node.style !== undefined && typeof node.style !== 'string') throw new Unmodelled();
  // (a justified line of several inlines would be spread by pdfmake; a text it may wrap, wrapped)
  if (!ALIGNMENTS.has(fields.alignment as string | undefined)) throw new Unmodelled();
}

/** A line of text outside tables (processLeaf): our text nodes are one unbreakable line each. */
function layOutLine(node: Node, flow: Flow, layout: Layout, fonts: Readonly<Record<FontRole, LoadedFont>>): void {
  // one string, or (a line opening with a run-in heading) inlines of one line each in its own font
  const parts = typeof node.text === 'string' ? [node] : Array.isArray(node.text) ? node.text : [];
  if (parts.length === 0 || node.noWrap !== true || parts.some((part) => typeof part.text !== 'string' || part.text === '' || part.text.includes('\n') || part.lineEnd)) throw new Unmodelled();
  for (const part of parts) if (part !== node) checkKeys(part);
  // pdfmake's line is as high as its highest inline
  const height = Math.max(...parts.map((part) => lineHeightOf(fonts, { ...node, ...part, text: undefined })));
  if (height > flow.available && !flow.atTop()) flow.nextPage();
  record(layout, node, flow.page, flow.y);
  flow.moveDown(height);
}

/** pdfmake's applyMargins: a page break asked for, then the top margin, the content, the bottom margin. */
function withMargins(node: Node, flow: Flow, content: () => void): void {
  if (node.pageBreak === 'before') flow.nextPage();
  else if (node.pageBreak !== undefined) throw new Unmodelled();
  const margin = node.margin;
  if (margin !== undefined && (margin.length !== 4 || margin.some((m) => typeof m !== 'number'))) throw new Unmodelled();
  const edge = (offset: number) => {
    if (flow.available - offset < 0) {
      flow.moveDown(flow.available);
      flow.nextPage();
    } else flow.moveDown(offset);
  };
  if (margin) edge(margin[1]);
  content();
  if (margin) edge(margin[3]);
}

/** Height of a table cell's content: its top margin and its lines (each inline ends a line). */
function cellHeight(cell: Node, fonts: Readonly<Record<FontRole, LoadedFont>>): number {
  checkKeys(cell);
  if (!Array.isArray(cell.text)) throw new Unmodelled();
  if (cell.margin && (cell.margin.length !== 4 || cell.margin[0] !== 0 || cell.margin[2] !== 0 || cell.margin[3] !== 0)) throw new Unmodelled();
  let height = cell.margin ? cell.margin[1] : 0;
  cell.text.forEach((inline, i) => {
    if (typeof inline.text !== 'string' || inline.text === '' || (i < cell.text!.length - 1) !== (inline.lineEnd === true)) throw new Unmodelled();
    checkKeys(inline);
    // one unbreakable fragment, or (a stacked label's line) one character ending its line
    if (inline.noWrap !== true && !/^.\n$/su.test(inline.text)) throw new Unmodelled();
    height += lineHeightOf(fonts, inline);
  });
  return height;
}

/** Each row's height: its tallest cell that spans no other row, its padding and the rule below it. */
function measureTable(node: Node, fonts: Readonly<Record<FontRole, LoadedFont>>): readonly number[] {
  const known = tableHeights.get(node);
  if (known) return known;
  const body = node.table!.body;
  const rules = node.layout!;
  const content = body.map(() => 0);
  const spans: { row: number; rows: number; height: number }[] = [];
  body.forEach((cells, r) =>
    cells.forEach((cell) => {
      if (cell.text === undefined) {
        if (Object.keys(cell).length > 0) throw new Unmodelled(); // a placeholder of a covered slot
        return;
      }
      const height = cellHeight(cell, fonts);
      if ((cell.rowSpan ?? 1) > 1) spans.push({ row: r, rows: cell.rowSpan!, height });
      else content[r] = Math.max(content[r], height);
    }),
  );
  // A cell spanning rows must fit the rows it spans (ours are centred in them by a top margin); one
  // taller than its rows would make pdfmake grow the last of them.
  for (const span of spans) {
    if (span.row + span.rows > body.length) throw new Unmodelled();
    let room = content[span.row];
    for (let r = span.row + 1; r < span.row + span.rows; r++) room += rules.paddingBottom(r - 1, node) + rules.hLineWidth(r, node) + rules.paddingTop(r, node) + content[r];
    if (span.height > room + 1e-9) throw new Unmodelled();
  }
  const rowHeights = content.map((height, r) => rules.paddingTop(r, node) + height + rules.paddingBottom(r, node) + rules.hLineWidth(r + 1, node));
  tableHeights.set(node, rowHeights);
  return rowHeights;
}

/**
 * A table with `dontBreakRows` (the only kind we make). With header rows (and `keepWithHeaderRows: 1`),
 * the top rule, the header rows and the first body row form one block, and every later row is a block
 * of its own that goes to the next page when it does not fit, the header rows repeated above it.
 * Without header rows, the top rule and the first row form the first block, and a row moved to the
 * next page gets a rule of its own above it (pdfmake's `pageChanged` handler of the row).
 */
function layOutTable(node: Node, flow: Flow, layout: Layout, fonts: Readonly<Record<FontRole, LoadedFont>>): void {
  const table = node.table!;
  const body = table.body;
  const headerRows = table.headerRows ?? 0;
  if (!node.layout || !table.dontBreakRows || body.length === 0) throw new Unmodelled();
  if (headerRows > 0 ? table.keepWithHeaderRows !== 1 || body.length <= headerRows : table.keepWithHeaderRows !== undefined) throw new Unmodelled();
  const rules = node.layout;

  const rowHeights = measureTable(node, fonts);
  const rowHeight = (r: number) => rowHeights[r];

  // Only the body cells with an id are recorded: pdfmake corrects the page of a moved row on those alone,
  // and gives a header row's cells the page of its last repeat.
  const texts = (r: number) => (r < headerRows ? [] : body[r].filter((cell) => Array.isArray(cell.text) && cell.text.length > 0 && cell.id));
  const rows: { page: number; top: number }[] = [];
  const place = (from: number, to: number, height: number, ruleOnNewPage = 0) => {
    if (height > flow.available) {
      flow.nextPage();
      flow.moveDown(ruleOnNewPage);
    }
    for (let r = from; r <= to; r++) for (const cell of texts(r)) record(layout, cell, flow.page);
    // the first block starts with the table's top rule
    let top = flow.y + (from === 0 ? rules.hLineWidth(0, node) : 0);
    for (let r = from; r <= to; r++) {
      rows.push({ page: flow.page, top });
      top += rowHeight(r);
    }
    flow.moveDown(height);
  };

  let first = rules.hLineWidth(0, node);
  for (let r = 0; r < headerRows; r++) first += rowHeight(r);
  const header = first;
  place(0, headerRows, first + rowHeight(headerRows));
  flow.repeated = header > rules.hLineWidth(0, node) ? header : 0;
  for (let r = headerRows + 1; r < body.length; r++) place(r, r, rowHeight(r), headerRows > 0 ? 0 : rules.hLineWidth(r, node));
  flow.repeated = 0;
  layout.tables.set(node, { rows });
}

function layOutNode(node: Node, flow: Flow, layout: Layout, fonts: Readonly<Record<FontRole, LoadedFont>>): void {
  checkKeys(node);
  withMargins(node, flow, () => {
    if (node.stack) {
      for (const child of node.stack) layOutNode(child, flow, layout, fonts);
    } else if (node.table) {
      layOutTable(node, flow, layout, fonts);
    } else if (node.text !== undefined) {
      layOutLine(node, flow, layout, fonts);
    } else {
      throw new Unmodelled();
    }
  });
}

function layOut(content: readonly unknown[], box: PageBox, fonts: Readonly<Record<FontRole, LoadedFont>>): Layout {
  const layout: Layout = { texts: [], pageOf: new Map(), tables: new Map(), pages: 1 };
  const flow = new Flow(box);
  for (const node of content) {
    if (typeof node !== 'object' || node === null) throw new Unmodelled();
    layOutNode(node as Node, flow, layout, fonts);
  }
  layout.pages = flow.page;
  return layout;
}

/**
 * Predicts the layout of `content` and gives every heading line that pdfmake would move to the next
 * page its `pageBreak: 'before'`, as pdfmake's relayout loop would: nodes are judged once each, in order;
 * a heading is moved when nothing after it but headings and their further lines (`continuationStyle`)
 * lies on its page, the start of a keep-together group when the group's end is on a later page, and
 * the layout is then redone from there. Returns undefined for a definition the model does not follow
 * (nothing is changed then).
 */
export function predictLayout(
  content: readonly unknown[],
  box: PageBox,
  fonts: Readonly<Record<FontRole, LoadedFont>>,
  continuationStyle: string,
): Prediction | undefined {
  const judged = new Set<object>();
  const moved: Node[] = [];
  try {
    for (;;) {
      const layout = layOut(content, box, fonts);
      const orphan = layout.texts.findIndex((placed, i) => {
        const node = placed.node as Node;
        if (node.pageBreak === 'before' || judged.has(node)) return false;
        judged.add(node);
        if (node.id?.endsWith(KEEP_START) && placed.top !== undefined && placed.top > box.top + 1e-6) {
          // the start of a keep-together group: moved when the group's end is not on its page
          if (layout.pageOf.get(keepEndOf(node.id)) !== placed.page) return true;
        }
        if (!node.headlineLevel) return false;
        return !layout.texts.some((later, j) => j > i && later.page === placed.page && (later.node as Node).style !== continuationStyle && !(later.node as Node).headlineLevel);
      });
      if (orphan < 0) return { texts: layout.texts, moved, pageOf: layout.pageOf, tables: layout.tables, pages: layout.pages };
      const node = layout.texts[orphan].node as Node;
      node.pageBreak = 'before';
      moved.push(node);
    }
  } catch (error) {
    if (!(error instanceof Unmodelled)) throw error;
    for (const node of moved) delete node.pageBreak;
    return undefined;
  }
}

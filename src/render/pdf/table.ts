/**
 * One filled grid → one pdfmake table. pdfmake wants the full rectangle with placeholders in covered
 * slots, which is what `grid.rectangle()` gives; spans, roles and text come from the grid model, this
 * module only decides widths and typography.
 *
 * Layout chosen to stay clear of two pdfmake 0.3.11 defects (TOOLCHAIN.md):
 * - no `verticalAlignment` anywhere (it drops rows laid out after a page break): a body cell with fewer
 *   lines than its row gets a top margin of half the difference instead (line counts from the font's
 *   advance widths, `breakLines`);
 * - no `rowSpan` below the header rows. A row-spanning cell whose text is taller than the part of the
 *   span left on a page is drawn outside the table and inflates the span's last row (pdfmake #2895).
 *   A body span is drawn instead as one cell per row with the rules between them switched off, and its
 *   label is broken into lines spread over those cells at the table's line pitch, centred in the span
 *   (the 三、本年度办理结果 label one character per line). Every row then has its own, ordinary height, and `dontBreakRows` keeps each row
 *   whole. Where the page breaks inside such a span (`breaksAfter`, learnt from a first layout pass, see
 *   renderPdf), the rule under the last row on the page is drawn, so the table is closed at the foot of
 *   the page, and the label is centred in the first part of the span that has room for it, so a reader
 *   meets it where the group starts.
 * Header rows keep real spans: pdfmake never breaks them (they repeat as one block on every page).
 */
import type { ContentTable, TableCell, TableLayout } from 'pdfmake/interfaces.js';
import type { FilledCell, FilledTable } from '../../model/document.js';
import type { TableId } from '../../format/official.js';
import { TABLE_CELL_PAD_PT, TABLE_CELL_PAD_Y_PT, TABLE_PITCH_EM, TABLE_SIZE, TEXT_WIDTH_PT, verticalLabelLines } from '../layout.js';
import { RecentlyUsed } from '../recently-used.js';
import { lineHeightFor, type LoadedFont } from './fonts.js';
import { breakLines, lineInlines } from './lines.js';
import { headerText } from '../words.js';

export { TEXT_WIDTH_PT } from '../layout.js';

/** Table text pitch (layout.ts, shared with the HTML print). */
export { TABLE_PITCH_EM };

/** A little air above and below a cell's text (left and right: TABLE_CELL_PAD_PT), shared with the HTML print. */
const PAD_Y = TABLE_CELL_PAD_Y_PT;
const RULE = 0.5;
/** The width of every rule of a table. */
export const TABLE_RULE_PT = RULE;

/** The left and right padding of a table's cells. */
export function cellPadPt(table: TableId | string): number {
  return TABLE_CELL_PAD_PT[table as keyof typeof TABLE_CELL_PAD_PT] ?? TABLE_CELL_PAD_PT.table3;
}

/**
 * Column widths in points (pdfmake's content widths: the padding and rule come on top), summing to the
 * 版心, from the table's shared width fractions (tableColumnFractions in src/render/layout.ts).
 */
export function columnWidthsPt(table: TableId | string, fractions: readonly number[]): number[] {
  const pad = cellPadPt(table);
  return fractions.map((f) => f * TEXT_WIDTH_PT - 2 * pad - RULE);
}

/** Thin black rules everywhere, fixed padding; no fills (a 公文 table is plain). */
export function tableLayout(table: TableId | string): TableLayout {
  const pad = cellPadPt(table);
  return {
    hLineWidth: () => RULE,
    vLineWidth: () => RULE,
    hLineColor: () => '#000000',
    vLineColor: () => '#000000',
    paddingLeft: () => pad,
    paddingRight: () => pad,
    paddingTop: () => PAD_Y,
    paddingBottom: () => PAD_Y,
  };
}

/** A body span drawn as stacked cells: the rows it covers, and the label text (with its top offset) each row prints. */
interface StackedSpan {
  readonly col: number;
  readonly first: number;
  readonly last: number;
  readonly textOfRow: ReadonlyMap<number, { readonly lines: readonly string[]; readonly skipLines: number }>;
}

/**
 * Places a span's label lines centred over the span, line by line: each row offers as many line slots
 * as its tallest other cell has lines (`capacity`), the label takes the middle run of slots, and each
 * row prints the lines that fall into its slots, pushed down by the slots above them. The lines then
 * sit at the table's line pitch as in one merged cell, while every row keeps its own height. A span cut
 * by page breaks is centred in its first part if the label fits there, else set from the top of the
 * group on, running over the break.
 */
function stackSpan(cell: FilledCell, lines: readonly string[], capacity: (row: number) => number, breaksAfter: readonly number[]): StackedSpan {
  const first = cell.row;
  const last = first + cell.rowSpan - 1;
  const parts: { row: number; index: number }[][] = [[]];
  for (let r = first; r <= last; r++) {
    for (let i = 0; i < Math.max(1, capacity(r)); i++) parts.at(-1)!.push({ row: r, index: i });
    if (r < last && breaksAfter.includes(r)) parts.push([]);
  }
  // Centred in the group's first part when it holds the label; else the label starts at the top of the
  // group, where it starts, and runs on over the page break, as Word and LibreOffice carry a merged cell's
  // text over (it used to move whole to a later part, leaving the group's first rows unnamed).
  const flows = parts[0].length < lines.length && parts.length > 1;
  const slots = flows ? parts.flat() : parts[0];
  const textOfRow = new Map<number, { lines: string[]; skipLines: number }>();
  const start = flows ? 0 : Math.max(0, Math.floor((slots.length - lines.length) / 2));
  lines.forEach((line, i) => {
    // More lines than slots (no official table has that): the surplus goes to the part's last row.
    const slot = slots[start + i] ?? { row: slots.at(-1)!.row, index: Number.POSITIVE_INFINITY };
    const placed = textOfRow.get(slot.row);
    if (placed) placed.lines.push(line);
    else textOfRow.set(slot.row, { lines: [line], skipLines: Number.isFinite(slot.index) ? slot.index : 0 });
  });
  return { col: cell.col, first, last, textOfRow };
}

/**
 * A cell's lines depend on nothing but its table, its role, the widths of the columns it covers, its
 * text and the font: every township prints the same row labels, column headers and many of the same
 * figures, which a batch worker broke into lines again for every report. Kept per font for the process,
 * the most recently used this many distinct cells (a few dozen reports' worth of figures).
 */
const MAX_SHARED_CELLS = 20_000;
const sharedLines = new WeakMap<LoadedFont, RecentlyUsed<string, readonly string[]>>();

function sharedLinesOf(font: LoadedFont): RecentlyUsed<string, readonly string[]> {
  let lines = sharedLines.get(font);
  if (!lines) sharedLines.set(font, (lines = new RecentlyUsed(MAX_SHARED_CELLS)));
  return lines;
}

/** The lines of each cell, kept by the caller across layout passes of the same document. */
export type CellLines = Map<FilledCell, readonly string[]>;

export interface PdfTableResult {
  readonly node: ContentTable;
  /** Per row, the id of a cell drawn in that row ('' if none), to find the row's page after a layout. */
  readonly rowIds: readonly string[];
  /**
   * The ids of the header rows. pdfmake rewrites their page each time it repeats the header on a new
   * page, so they tell the last page of the table, not where the row was first laid out.
   */
  readonly headerIds: ReadonlySet<string>;
}

/**
 * @param idPrefix unique per table in the document, for the row ids
 * @param fractions the column widths of the whole table (a block of table 二 has the table's widths)
 * @param breaksAfter rows that end a page while the table goes on (from an earlier layout of the same document)
 */
export function pdfTable(
  tableId: TableId,
  grid: FilledTable,
  font: LoadedFont,
  fontFamily: string,
  idPrefix: string,
  fractions: readonly number[],
  breaksAfter: readonly number[] = [],
  brokenLines: CellLines = new Map(),
): PdfTableResult {
  const size = TABLE_SIZE[tableId] ?? TABLE_SIZE.table3;
  const lineHeight = lineHeightFor(font, size, size * TABLE_PITCH_EM);
  const widths = columnWidthsPt(tableId, fractions);
  const pad = cellPadPt(tableId);
  const spanWidth = (col: number, span: number) => widths.slice(col, col + span).reduce((a, b) => a + b, 0) + (span - 1) * (2 * pad + RULE);
  const isStacked = (cell: FilledCell) => cell.rowSpan > 1 && cell.row >= grid.headerRows;

  // A cell's lines, as pdfmake will draw them (each handed over whole): broken once per cell in a render,
  // and once per process for a label or figure that other reports print in the same place.
  const shared = sharedLinesOf(font);
  const linesOf = (cell: FilledCell) => {
    let lines = brokenLines.get(cell);
    if (lines === undefined) {
      const key = `${tableId}\0${cell.role}\0${fractions.slice(cell.col, cell.col + cell.colSpan).join(',')}\0${cell.display}`;
      lines = shared.get(key, () => (cell.role === 'vertical' ? verticalLabelLines(cell.display) : breakLines(headerText(tableId, fractions, cell), font, size, spanWidth(cell.col, cell.colSpan))));
      brokenLines.set(cell, lines);
    }
    return lines;
  };
  // A row's height in lines as pdfmake will lay it out: its tallest cell that spans no other row.
  const capacities = grid.rows.map((cells) => Math.max(1, ...cells.filter((cell) => cell.rowSpan === 1).map((cell) => linesOf(cell).length)));
  const capacity = (row: number) => capacities[row];
  const spans = grid.rows.flat().filter(isStacked).map((cell) => ({ cell, span: stackSpan(cell, linesOf(cell), capacity, breaksAfter) }));
  const spanOf = new Map(spans.map(({ cell, span }) => [cell, span]));

  // Each cell states its text style (font, size, line height, alignment; the rest are pdfmake's defaults).
  const textStyle = { font: fontFamily, fontSize: size, lineHeight, leadingIndent: 0 };
  const leftStyle = { ...textStyle, alignment: 'left' as const };
  const centreStyle = { ...textStyle, alignment: 'center' as const };
  const body: (TableCell & Record<string, unknown>)[][] = grid.rectangle().map((slots, r) =>
    slots.map((slot, c) => {
      const cell = slot.covered ? slot.by : slot.cell;
      const span = spanOf.get(cell);
      // row labels read left-aligned; block titles (第二十条第（X）项) centred, as in the docx and the HTML
      const cellStyle = cell.role === 'label' ? leftStyle : centreStyle;
      // Covered slots are placeholders, except the first column of a stacked span, which draws its own cell.
      if (slot.covered && !(span && cell.col === c && cell.row < r)) return {};
      const node: TableCell & Record<string, unknown> = {
        ...cellStyle,
        text: lineInlines(span ? (span.textOfRow.get(r)?.lines ?? []) : linesOf(cell), cellStyle, { stacked: cell.role === 'vertical' }),
      };
      // Vertical centring by a computed top margin (pdfmake's `verticalAlignment` drops rows after a page
      // break): a body cell shorter than its row is pushed down by half the difference in lines.
      let top = 0;
      if (span) top = (span.textOfRow.get(r)?.skipLines ?? 0) * size * TABLE_PITCH_EM;
      else {
        // A header cell spanning rows is centred over their lines and the padding between them.
        let lines = 0;
        for (let k = 0; k < cell.rowSpan; k++) lines += capacity(r + k);
        top = Math.max(0, ((lines - linesOf(cell).length) * size * TABLE_PITCH_EM + (cell.rowSpan - 1) * (2 * PAD_Y + RULE)) / 2);
      }
      if (top > 0) node.margin = [0, top, 0, 0];
      if (cell.colSpan > 1) node.colSpan = cell.colSpan;
      if (span) node.border = [true, r === span.first || breaksAfter.includes(r - 1), true, r === span.last || breaksAfter.includes(r)];
      else if (cell.rowSpan > 1) node.rowSpan = cell.rowSpan;
      return node;
    }),
  );

  const rowIds = body.map((row, r) => {
    const drawn = row.find((cell) => Array.isArray(cell.text) && cell.text.length > 0);
    if (!drawn) return '';
    drawn.id = `${idPrefix}-r${r}`;
    return drawn.id as string;
  });

  const node = {
    table: {
      widths,
      headerRows: grid.headerRows,
      keepWithHeaderRows: grid.headerRows > 0 ? 1 : undefined,
      dontBreakRows: true,
      body,
    },
    layout: tableLayout(tableId),
    font: fontFamily,
    fontSize: size,
    lineHeight,
  } as ContentTable;

  return { node, rowIds, headerIds: new Set(rowIds.slice(0, grid.headerRows).filter(Boolean)) };
}

/** Text a table cell prints, for glyph-coverage checks. */
export function cellText(cell: FilledCell): string {
  return cell.display;
}


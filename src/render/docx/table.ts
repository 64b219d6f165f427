/**
 * One filled grid → one Word table. Spans, roles and text come from the grid model; this module only
 * decides widths and typography. Vertical merges are written here explicitly (a `restart` cell on the
 * anchor's row, a `continue` cell on each row below) instead of through the docx package's `rowSpan`,
 * which rewrites the rows it is given and has mishandled rowSpan + columnSpan in one row (docx #695).
 */
import {
  AlignmentType,
  type IContext,
  type IXmlableObject,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
} from 'docx';
import type { FilledCell, FilledTable } from '../../model/document.js';
import type { TableId } from '../../format/official.js';
import { TABLE_CELL_PAD_PT, TABLE_SIZE, tableColumnFractions, verticalLabelLines } from '../layout.js';
import { deepFreeze, isSharing, placeWritten, WrittenText } from './shared.js';
import { RecentlyUsed } from '../recently-used.js';
import { tableStyleId } from './styles.js';
import { textRuns } from './text.js';
import { headerText } from '../words.js';
import { TEXT_WIDTH_TWIPS } from './units.js';

/**
 * Column widths in twips from the table's shared width fractions (tableColumnFractions in
 * src/render/layout.ts, the same for PDF and HTML): whole numbers that sum exactly to `total` (the last
 * column takes the rounding).
 */
export function columnWidths(fractions: readonly number[], total = TEXT_WIDTH_TWIPS): number[] {
  const widths = fractions.map((f) => Math.floor(f * total));
  widths[widths.length - 1] += total - widths.reduce((a, b) => a + b, 0);
  return widths;
}

/** Left/right cell padding as the PDF's and the HTML print's (Word's default 1.9 mm would not hold six digits). */
function cellMarginTwips(table: TableId): number {
  return Math.round(20 * (TABLE_CELL_PAD_PT[table as keyof typeof TABLE_CELL_PAD_PT] ?? TABLE_CELL_PAD_PT.table3));
}

/**
 * Rows that must stay on the page of the row below them. A merged cell's text lives in its first row
 * and is not carried over a page break (LibreOffice clips it), so a spanning label keeps together as
 * many of its rows as its text needs lines (the one-character-wide 三、本年度办理结果 needs one row per
 * character); header rows keep with the first body row, and so do a block's title and column headers.
 */
export function rowsKeptWithNext(grid: FilledTable, widths: readonly number[], size: number, cellMargin: number): Set<number> {
  const kept = new Set<number>();
  for (let r = 0; r < grid.headerRows; r++) kept.add(r);
  for (const cell of grid.rows.flat()) {
    if (cell.rowSpan < 2) continue;
    const usable = cellWidth(widths, cell.col, cell.colSpan) - 2 * cellMargin;
    const perLine = Math.max(1, Math.floor(usable / (size * 20)));
    const lines = cellText(cell).split('\n').reduce((n, line) => n + Math.max(1, Math.ceil([...line].length / perLine)), 0);
    const rows = Math.min(cell.rowSpan, lines);
    for (let r = cell.row; r < cell.row + rows - 1; r++) kept.add(r);
  }
  // A block's title (table 二's 第二十条第（X）项) and the column headers under it keep with its first row.
  grid.rows.forEach((cells, r) => {
    if (r < grid.headerRows || cells[0]?.role !== 'block') return;
    for (let k = r; k < grid.rowCount - 1 && (k === r || grid.rows[k].every((cell) => cell.role === 'header')); k++) kept.add(k);
  });
  // The body rows between the header and the first kept group (table 三's 一、 and 二、) are not kept: a
  // chain from the heading through the header to the end of the 三、本年度办理结果 group moved the whole
  // table to the next page and left a third of a page blank (issue 13); the table now opens at the foot
  // of a page with its header and first rows, as in the PDF.
  return kept;
}

/**
 * Everything a table cell is made from. A cell is built from this alone, so two cells with the same
 * description are the same cell, and one built for an earlier table (or report) can stand in.
 */
interface CellSpec {
  readonly width: number;
  readonly columnSpan: number;
  readonly merge: (typeof VerticalMergeType)[keyof typeof VerticalMergeType] | undefined;
  /** the table paragraph style of the table's size */
  readonly style: string;
  /** row labels read left-aligned (they wrap); headers, block titles and figures keep the style's centre */
  readonly left: boolean;
  readonly keepNext: boolean;
  /** undefined for the empty paragraph of a `continue` cell under a vertical merge */
  readonly text: string | undefined;
}

/**
 * A table paragraph in the table style of its size (styles.ts: face, size, exact pitch, centred). A
 * label written with a line break in the format data prints it as a break.
 */
function cellParagraph({ style, left, keepNext, text }: CellSpec): Paragraph {
  return new Paragraph({
    style,
    ...(left ? { alignment: AlignmentType.LEFT } : {}),
    ...(keepNext ? { keepNext: true } : {}),
    children: text === undefined ? [] : textRuns(text),
  });
}

/**
 * A cell that writes itself once: later tables that hold it get the same written form, and once a
 * document has turned that into XML, the same text (`placeWritten`). Safe because a cell's XML depends
 * on its own content only (text runs, no images, links, fields or list numbers that would take ids from
 * the document), and the written form is frozen, so nothing can change it later.
 */
class SharedCell extends TableCell {
  #written: IXmlableObject | undefined;
  readonly text = new WrittenText();

  override prepForXml(context: IContext): IXmlableObject | undefined {
    const written = (this.#written ??= deepFreeze(super.prepForXml(context)));
    return written && placeWritten(context, this.text, written);
  }
}

function newCell(spec: CellSpec, Cell: typeof TableCell = SharedCell): TableCell {
  return new Cell({
    width: { size: spec.width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    ...(spec.columnSpan > 1 ? { columnSpan: spec.columnSpan } : {}),
    ...(spec.merge ? { verticalMerge: spec.merge } : {}),
    children: [cellParagraph(spec)],
  });
}

/**
 * Cells shared across tables and reports. A report has about 330 cells; the recurring ones (labels,
 * headers, small figures) number a few hundred per edition, the rest are one report's own figures.
 * A kept cell holds its written form and its XML text: with 2,048 of them a worker's live heap grew by
 * some 20 MB over 700 different reports and the 1,000-report build peaked at 516 MB (README, 性能); at 512
 * it peaked at 453 MB, and renders of different reports measured no slower within the machine's noise.
 */
const sharedCells = new RecentlyUsed<string, TableCell>(512);

/** Every field of the spec; none but the text (last) can hold a space. */
function cellKey(spec: CellSpec): string {
  return `${spec.width} ${spec.columnSpan} ${spec.merge ?? '-'} ${spec.style} ${spec.left ? 'L' : '-'}${spec.keepNext ? 'K' : '-'} ${spec.text === undefined ? '' : `=${spec.text}`}`;
}

/** `key`: the spec's key when the caller has made it already. */
function cellFor(spec: CellSpec, key?: string): TableCell {
  if (!isSharing()) return newCell(spec, TableCell); // a plain docx cell
  return sharedCells.get(key ?? cellKey(spec), () => newCell(spec));
}

/**
 * A row that writes itself once, as a shared cell does: its cells are shared cells, whose marks its
 * written form holds the first time (placed in the document with it). Most rows recur from report to
 * report (a label and zeros, the headers): of the 46 rows of a generated report about 39 were met in an
 * earlier one, and a recurring row's XML is then copied whole instead of being put together from its
 * cells' (README, 性能). The docx `Table` sets its cells' widths again on every write, to the widths the
 * row was keyed by.
 */
class SharedRow extends TableRow {
  #written: IXmlableObject | undefined;
  readonly #text = new WrittenText();
  readonly #inner: readonly WrittenText[];

  constructor(options: ConstructorParameters<typeof TableRow>[0]) {
    super(options);
    this.#inner = options.children.flatMap((cell) => (cell instanceof SharedCell ? [cell.text] : []));
  }

  override prepForXml(context: IContext): IXmlableObject | undefined {
    const written = (this.#written ??= deepFreeze(super.prepForXml(context)));
    return written && placeWritten(context, this.#text, written, this.#inner);
  }
}

/**
 * Rows shared across tables and reports. A kept row holds its written form and XML text (some 1–3 KB);
 * a report's recurring rows number a few hundred per edition.
 */
const sharedRows = new RecentlyUsed<string, TableRow>(512);

function rowFor(specs: readonly CellSpec[], header: boolean): TableRow {
  const options = { cantSplit: true, ...(header ? { tableHeader: true } : {}) };
  if (!isSharing()) return new TableRow({ children: specs.map((spec) => cellFor(spec)), ...options });
  const keys = specs.map(cellKey);
  // each cell's key prefixed by its length: a text may hold any character
  const key = `${header ? 'H' : '-'}${keys.map((k) => `${k.length}:${k}`).join('')}`;
  return sharedRows.get(key, () => new SharedRow({ children: specs.map((spec, i) => cellFor(spec, keys[i])), ...options }));
}

/** A cell's text as the table prints it: a vertical label one character a line (layout.ts), joined by breaks. */
function cellText(cell: FilledCell): string {
  return cell.role === 'vertical' ? verticalLabelLines(cell.display).join('\n') : cell.display;
}

function cellWidth(widths: readonly number[], col: number, span: number): number {
  return widths.slice(col, col + span).reduce((a, b) => a + b, 0);
}

/**
 * Builds a Word table for a filled grid: a fresh table every call, rows and cells shared with earlier
 * tables (`rowFor`, `cellFor`).
 */
export function docxTable(tableId: TableId, grid: FilledTable): Table {
  const size = TABLE_SIZE[tableId] ?? TABLE_SIZE.table3;
  const style = tableStyleId(size);
  const fractions = tableColumnFractions(tableId, grid);
  const widths = columnWidths(fractions);
  const margin = cellMarginTwips(tableId);
  const rectangle = grid.rectangle();
  const kept = rowsKeptWithNext(grid, widths, size, margin);
  const rows = rectangle.map((slots, r) => {
    const specs: CellSpec[] = [];
    slots.forEach((slot, c) => {
      const cell = slot.covered ? slot.by : slot.cell;
      if (cell.col !== c) return; // covered by a column span: Word writes one cell with w:gridSpan
      const merge = slot.covered && cell.row < r ? VerticalMergeType.CONTINUE : cell.rowSpan > 1 ? VerticalMergeType.RESTART : undefined;
      const continued = merge === VerticalMergeType.CONTINUE;
      specs.push({
        width: cellWidth(widths, cell.col, cell.colSpan),
        columnSpan: cell.colSpan,
        merge,
        style,
        left: !continued && cell.role === 'label',
        // keep-with-next is a paragraph property: every cell of a kept row carries it
        keepNext: kept.has(r),
        text: continued ? undefined : cell.role === 'vertical' ? cellText(cell) : headerText(tableId, fractions, cell),
      });
    });
    return rowFor(specs, r < grid.headerRows);
  });
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    margins: { left: margin, right: margin, top: 0, bottom: 0, marginUnitType: WidthType.DXA },
  });
}

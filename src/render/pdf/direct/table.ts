/**
 * A table drawn at the rows' places that paginate.ts predicted, as pdfmake 0.3.11's TableProcessor and
 * LayoutBuilder draw it: each row's cell lines (cell padding, the cell's top margin that centres it),
 * then the vertical rules of the row (from the rule above it to the rule below it), then the rule under
 * the row, cut at every cell and left out under a cell that continues below (a header cell spanning
 * rows) or whose bottom border is off (a body span drawn as stacked cells, table.ts). A table with
 * header rows repeats them, with its top rule, above a row moved to the next page; one without starts
 * such a row with a rule of its own.
 *
 * Only what our tables use is followed (pdfmake.ts builds them; paginate.ts refuses the rest): rules
 * and padding from the table layout, `dontBreakRows`, fixed column widths, `colSpan`, `rowSpan` in
 * header rows, cell `border`s, cell text as one inline per line.
 */
import type { FontRole } from '../../layout.js';
import type { LoadedFont } from '../fonts.js';
import type { TablePlacement } from '../paginate.js';
import { drawLine, lineHeightOf, type Inline } from './line.js';
import type { Canvas, PdfWriter } from './writer.js';

/** The fields of our pdfmake table cells this module reads. */
interface Cell {
  text?: { text: string; font: FontRole; fontSize: number; lineHeight: number; characterSpacing?: number; alignment?: 'left' | 'right' | 'center'; leadingIndent?: number }[];
  alignment?: 'left' | 'right' | 'center';
  leadingIndent?: number;
  margin?: number[];
  colSpan?: number;
  rowSpan?: number;
  border?: boolean[];
}

/** The fields of our pdfmake table nodes this module reads (table.ts `pdfTable`). */
export interface TableNode {
  table: { widths: number[]; body: Cell[][]; headerRows?: number };
  layout: {
    hLineWidth(i: number, node: unknown): number;
    vLineWidth(i: number, node: unknown): number;
    paddingLeft(i: number, node: unknown): number;
    paddingRight(i: number, node: unknown): number;
    paddingTop(i: number, node: unknown): number;
    paddingBottom(i: number, node: unknown): number;
  };
}

type Borders = Record<number, boolean | undefined>;

/** A canvas that draws on another and keeps what it drew, to draw it again lower down (header rows). */
class Recording implements Canvas {
  private readonly texts: Parameters<Canvas['text']>[] = [];
  private readonly rules: Parameters<Canvas['rule']>[] = [];
  private readonly order: boolean[] = [];

  constructor(private readonly canvas: Canvas) {}

  text(...args: Parameters<Canvas['text']>): void {
    this.canvas.text(...args);
    this.texts.push(args);
    this.order.push(true);
  }

  rule(...args: Parameters<Canvas['rule']>): void {
    this.canvas.rule(...args);
    this.rules.push(args);
    this.order.push(false);
  }

  /** Draws it all again `dy` lower, in the same order. */
  replay(dy: number): void {
    let [t, r] = [0, 0];
    for (const isText of this.order) {
      if (isText) {
        const [role, size, text, x, y, spacing] = this.texts[t++];
        this.canvas.text(role, size, text, x, y + dy, spacing);
      } else {
        const [x1, y1, x2, y2, width] = this.rules[r++];
        this.canvas.rule(x1, y1 + dy, x2, y2 + dy, width);
      }
    }
  }
}

/**
 * The border of every slot as pdfmake reads it (`prepareCellBorders`): a cell that states a border
 * passes its right border to its last column's slots and its bottom border to the slots below its
 * columns, which then state only those.
 */
function slotBorders(body: readonly (readonly Cell[])[]): (Borders | undefined)[][] {
  const borders: (Borders | undefined)[][] = body.map((row) => row.map((cell) => (cell.border ? { ...cell.border } : undefined)));
  const set = (r: number, c: number, side: number, value: boolean) => {
    borders[r][c] ??= {};
    borders[r][c]![side] = value;
  };
  body.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (!cell.border) return;
      const rowSpan = cell.rowSpan || 1;
      const colSpan = cell.colSpan || 1;
      for (let k = 0; k < rowSpan; k++) {
        if (cell.border[0] !== undefined && k > 0) set(r + k, c, 0, cell.border[0]);
        if (cell.border[2] !== undefined) set(r + k, c + colSpan - 1, 2, cell.border[2]);
      }
      for (let k = 0; k < colSpan; k++) {
        if (cell.border[1] !== undefined && k > 0) set(r, c + k, 1, cell.border[1]);
        if (cell.border[3] !== undefined) set(r + rowSpan - 1, c + k, 3, cell.border[3]);
      }
    }),
  );
  return borders;
}

/**
 * Draws a table whose rows paginate.ts placed, its left edge at `x`; `toPage` opens the pages it goes on
 * (a continuation page's repeated header rows start at `pageTop`).
 */
export function drawTable(writer: PdfWriter, node: TableNode, placement: TablePlacement, x: number, pageTop: number, fonts: Readonly<Record<FontRole, LoadedFont>>, toPage: (page: number) => void): void {
  const { widths, body } = node.table;
  const headerRows = node.table.headerRows ?? 0;
  const layout = node.layout;
  const columns = widths.length;
  const borders = slotBorders(body);
  const border = (r: number, c: number, side: number) => (borders[r][c] ? borders[r][c]![side] : true);

  // DocMeasure's offsets (the space left of each column's text) and TableProcessor's rowSpanData
  const gaps: number[] = [];
  let prevRightPadding = 0;
  for (let i = 0; i < columns; i++) {
    gaps.push(prevRightPadding + layout.vLineWidth(i, node) + layout.paddingLeft(i, node));
    prevRightPadding = layout.paddingRight(i, node);
  }
  const spanData: { left: number; width: number; rowSpan: number }[] = [{ left: 0, width: 0, rowSpan: 0 }];
  let left = 0;
  for (let i = 0; i < columns; i++) {
    const width = layout.paddingLeft(i, node) + layout.paddingRight(i, node) + layout.vLineWidth(i, node) + widths[i];
    spanData.at(-1)!.width = width;
    left += width;
    spanData.push({ left, width: 0, rowSpan: 0 });
  }
  // Each slot's row span: DocMeasure gives the slots a cell covers to its right the cell's row span.
  const rowSpans = body.map((row) => row.map((cell) => cell.rowSpan ?? 0));
  body.forEach((row, r) => row.forEach((cell, c) => {
    for (let k = 1; k < (cell.colSpan ?? 1); k++) rowSpans[r][c + k] = cell.rowSpan ?? 0;
  }));
  // what pdfmake notes on the slots below a cell spanning rows: its column span, and how far down they are
  const spanColumns = body.map((row) => row.map(() => 0));
  const spanOffset = body.map((row) => row.map(() => 0));

  // the header rows (with the table's top rule) are recorded as they are drawn, to repeat them
  const header = headerRows > 0 ? new Recording(writer) : undefined;
  let canvas: Canvas = header ?? writer;

  /** TableProcessor.drawHorizontalLine: the rule under row `line − 1`, one piece per cell. */
  const horizontalRule = (line: number, y: number) => {
    const lineWidth = layout.hLineWidth(line, node);
    if (!lineWidth) return;
    let current: { left: number; width: number } | undefined;
    let cellAbove: Cell | undefined;
    let aboveOffset = 0;
    let currentCell: Cell | undefined;
    let rowCellAbove: Cell | undefined;
    let topBorder = false;
    let bottomBorder = false;
    let rowBottomBorder = false;
    for (let i = 0; i < spanData.length; i++) {
      let draw = !spanData[i].rowSpan;
      if (draw && i < spanData.length - 1) {
        topBorder = bottomBorder = rowBottomBorder = false;
        if (line > 0) {
          cellAbove = body[line - 1][i];
          aboveOffset = spanOffset[line - 1][i];
          bottomBorder = border(line - 1, i, 3) === true;
        }
        if (line < body.length) {
          currentCell = body[line][i];
          topBorder = border(line, i, 1) === true;
        }
        draw = topBorder || bottomBorder;
      }
      if (cellAbove && aboveOffset) {
        rowCellAbove = body[line - 1 - aboveOffset][i];
        rowBottomBorder = border(line - 1 - aboveOffset, i, 3) === true;
      }
      if (!current && draw) current = { left: spanData[i].left, width: 0 };
      if (draw) {
        // a cell spanning columns (above the rule, or below it) gets one piece across them
        let span = 0;
        if (rowCellAbove && rowCellAbove.colSpan && rowBottomBorder) span = rowCellAbove.colSpan;
        else if (cellAbove && cellAbove.colSpan && bottomBorder) span = cellAbove.colSpan;
        else if (currentCell && currentCell.colSpan && topBorder) span = currentCell.colSpan;
        if (span) {
          let k = 0;
          while (span > k) current!.width += spanData[i + k++].width || 0;
          i += k - 1;
        } else current!.width += spanData[i].width || 0;
        if (current && current.width) {
          const { left: from, width } = current;
          const ruleY = y + lineWidth / 2;
          canvas.rule(x + from, ruleY, x + from + width, ruleY, lineWidth);
          current = undefined;
          cellAbove = currentCell = rowCellAbove = undefined;
          aboveOffset = 0;
        }
      }
    }
  };

  /** A row's cell lines, its vertical rules and the rule under it; gives the y below that rule. */
  const drawRow = (r: number, top: number): number => {
    const row = body[r];
    const contentTop = top + layout.paddingTop(r, node);
    let bottom = contentTop;
    let cellX = x;
    let lastWidth = 0;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      let width = widths[c];
      const offset = gaps[c];
      for (let k = 1; k < (cell.colSpan ?? 1); k++) width += widths[++c] + gaps[c];
      cellX = cellX + lastWidth + offset;
      lastWidth = width;
      if (!cell.text) continue;
      let y = contentTop;
      if (cell.margin) y += cell.margin[1];
      for (const [i, part] of cell.text.entries()) {
        // (a stacked label's line ends in the newline that ends it for pdfmake, which does not draw it)
        const inline: Inline = { text: part.text.replace(/\r?\n$|\r$/, ''), role: part.font, font: fonts[part.font], size: part.fontSize, lineHeight: part.lineHeight, characterSpacing: part.characterSpacing ?? 0 };
        // each inline a line of its own, aligned as it says (else as its cell); the cell's first line indented
        const leadingIndent = i === 0 ? (part.leadingIndent ?? cell.leadingIndent) : undefined;
        drawLine(canvas, [inline], y, { x: cellX, width, alignment: part.alignment ?? cell.alignment ?? 'left', leadingIndent });
        y += lineHeightOf([inline]);
      }
      // a cell spanning rows makes its last row's height, not its first's
      if (!((cell.rowSpan ?? 1) > 1)) bottom = Math.max(bottom, y);
    }
    const endY = bottom + layout.paddingBottom(r, node);
    // TableProcessor.endRow: the vertical rules, at every cell's left edge and the table's right edge
    const topLine = layout.hLineWidth(r, node);
    const bottomLine = layout.hLineWidth(r + 1, node);
    // getLineXs: the left edge of every cell (a cell spanning columns has one) and the right edge
    const edges: number[] = [];
    let cols = 0;
    for (let c = 0; c < row.length; c++) {
      if (!cols) {
        edges.push(c);
        cols = spanColumns[r][c] || row[c].colSpan || 0;
      }
      if (cols > 0) cols--;
    }
    edges.push(columns);
    for (const c of edges) {
      let leftBorder = c < row.length ? border(r, c, 0) === true : false;
      if (c > 0 && !leftBorder) leftBorder = border(r, c - 1, 2) === true;
      const lineWidth = layout.vLineWidth(c, node);
      if (!leftBorder || !lineWidth) continue;
      const ruleX = x + spanData[c].left + lineWidth / 2;
      canvas.rule(ruleX, top - topLine, ruleX, endY + bottomLine, lineWidth);
    }
    // cells spanning rows: the rule under them waits for their last row
    row.forEach((cell, c) => {
      const rowSpan = rowSpans[r][c];
      if (rowSpan) {
        spanData[c].rowSpan = rowSpan;
        for (let k = 1; k < rowSpan; k++) {
          if (cell.colSpan && cell.colSpan > 1) spanColumns[r + k][c] = cell.colSpan;
          spanOffset[r + k][c] = k;
        }
      }
      if (spanData[c].rowSpan > 0) spanData[c].rowSpan--;
    });
    horizontalRule(r + 1, endY);
    return endY + bottomLine;
  };

  let page = placement.rows[0].page;
  toPage(page);
  const firstTop = placement.rows[0].top - layout.hLineWidth(0, node);
  horizontalRule(0, firstTop);
  for (let r = 0; r < body.length; r++) {
    const { page: rowPage, top } = placement.rows[r];
    if (rowPage !== page) {
      toPage((page = rowPage));
      if (header) header.replay(pageTop - firstTop);
      else horizontalRule(r, top - layout.hLineWidth(r, node));
    }
    if (r === headerRows) canvas = writer;
    drawRow(r, top);
  }
}

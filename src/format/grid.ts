/**
 * The grid of an official table: which cells there are, their spans and roles (format/official.ts builds
 * one per table and edition from format/tables/*.yaml). It lives with the format, below the checks and the
 * model that both read it; model/ fills it with a report's figures (`FilledTable`), and every output
 * format draws that.
 *
 * A grid is a list of rows, each holding only its *anchor* cells (a cell covered by an earlier
 * row or column span is omitted), which is the shape HTML and docx want. `rectangle()` gives the
 * other shape, a full matrix with placeholders in covered slots, which pdfmake wants. A grid checks
 * itself when built, so a typo in a table definition fails at start-up rather than as a broken table.
 */

/** What a cell is for; emitters style by role, never by text. */
export type CellRole =
  /** column header (repeats on each page; `th scope="col"`) */
  | 'header'
  /** a block title inside the body spanning the full width, e.g. 第二十条第（一）项 */
  | 'block'
  /** a row label (`th scope="row"`) */
  | 'label'
  /** a row label set one character per line in a narrow column, e.g. 三、本年度办理结果 */
  | 'vertical'
  /** a figure bound to the report data */
  | 'data';

export interface GridCell {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly role: CellRole;
  /** The fixed official label (every role but `data`). */
  readonly text?: string;
  /** For `data` cells: the contract path of the figure, dotted, e.g. `applications.received.6`. */
  readonly path?: string;
  /** For `data` cells whose official header names no unit, the unit printed after the figure. */
  readonly unit?: string;
}

/** A slot of the full rectangle: the anchor cell itself, or a placeholder covered by `by`. */
export type Slot<C extends GridCell = GridCell> = { readonly cell: C; readonly covered: false } | { readonly by: C; readonly covered: true };

export class GridError extends Error {
  override name = 'GridError';
}

export class Grid<C extends GridCell = GridCell> {
  readonly rowCount: number;
  private readonly slots: Slot<C>[][];

  /**
   * @param id table id, e.g. `table3`
   * @param columns grid width in columns
   * @param headerRows how many leading rows are column headers (repeated on each page)
   * @param rows anchor cells per row, in reading order
   */
  constructor(
    readonly id: string,
    readonly columns: number,
    readonly headerRows: number,
    readonly rows: readonly (readonly C[])[],
  ) {
    this.rowCount = rows.length;
    this.slots = Grid.layOut(id, columns, rows);
  }

  /** Places every anchor and proves that each row covers the width exactly once. */
  private static layOut<C extends GridCell>(id: string, columns: number, rows: readonly (readonly C[])[]): Slot<C>[][] {
    const slots: (Slot<C> | undefined)[][] = rows.map(() => new Array<Slot<C> | undefined>(columns).fill(undefined));
    rows.forEach((cells, r) => {
      for (const cell of cells) {
        // named only when wrong: every report's three tables are laid out again when filled
        const where = () => `${id} 第${r + 1}行第${cell.col + 1}列`;
        if (cell.row !== r) throw new GridError(`${where()}: 单元格行号为 ${cell.row}`);
        if (cell.rowSpan < 1 || cell.colSpan < 1) throw new GridError(`${where()}: 跨度必须为正整数`);
        if (cell.col + cell.colSpan > columns) throw new GridError(`${where()}: 超出表格宽度 ${columns} 列`);
        if (r + cell.rowSpan > rows.length) throw new GridError(`${where()}: 跨行超出表格`);
        for (let dr = 0; dr < cell.rowSpan; dr++) {
          for (let dc = 0; dc < cell.colSpan; dc++) {
            const row = slots[r + dr];
            if (row[cell.col + dc]) throw new GridError(`${id} 第${r + dr + 1}行第${cell.col + dc + 1}列被两个单元格覆盖`);
            row[cell.col + dc] = dr === 0 && dc === 0 ? { cell, covered: false } : { by: cell, covered: true };
          }
        }
      }
    });
    slots.forEach((row, r) =>
      row.forEach((slot, c) => {
        if (!slot) throw new GridError(`${id} 第${r + 1}行第${c + 1}列没有单元格`);
      }),
    );
    return slots as Slot<C>[][];
  }

  /** The full rectangle: `rowCount` rows of `columns` slots each. */
  rectangle(): readonly (readonly Slot<C>[])[] {
    return this.slots;
  }

  /** The cell that covers a position (its anchor, if the position is covered by a span). */
  cellAt(row: number, col: number): C {
    const slot = this.slots[row]?.[col];
    if (!slot) throw new GridError(`${this.id} 没有第${row + 1}行第${col + 1}列`);
    return slot.covered ? slot.by : slot.cell;
  }

  /** Every data cell, in reading order. */
  dataCells(): C[] {
    return this.rows.flatMap((cells) => cells.filter((cell) => cell.role === 'data'));
  }

  /** Returns a grid of the same shape whose cells are mapped (e.g. filled with a report's figures). */
  map<D extends GridCell>(fn: (cell: C) => D): Grid<D> {
    return new Grid(this.id, this.columns, this.headerRows, this.rows.map((cells) => cells.map(fn)));
  }

  /**
   * The official names of a data cell's row and column, as a clerk reads them off the printed table:
   * the row path is the label cells to its left (including row-spanning ones), the column path the
   * header cells above it, outermost first, up to the nearest figure row or block title (so table 二's
   * per-block headers are found too).
   */
  describe(cell: GridCell): { row: string[]; column: string[] } {
    const row: string[] = [];
    for (let c = 0; c < cell.col; c++) {
      const left = this.cellAt(cell.row, c);
      if (left.role !== 'data' && left.text && row.at(-1) !== left.text) row.push(left.text);
    }
    const column: string[] = [];
    for (let r = cell.row - 1; r >= 0; r--) {
      const above = this.cellAt(r, cell.col);
      if (above.role === 'block') break;
      if (above.role !== 'header') {
        if (column.length > 0) break;
        continue;
      }
      if (above.text && column[0] !== above.text) column.unshift(above.text);
    }
    return { row, column };
  }
}

const blockCache = new WeakMap<Grid<GridCell>, Grid<GridCell>[]>();

/**
 * The grid cut before every body row that opens a block (role `block`: table 二's 第二十条第（X）项), one
 * grid per block whose header rows are the block title and the column-header rows under it. A block's
 * header then stays with its first figure row wherever a page breaks (each emitter that lays tables out
 * by page uses this). A grid without blocks comes back whole; the same grid gives the same parts.
 */
export function splitAtBlocks<C extends GridCell>(grid: Grid<C>): readonly Grid<C>[] {
  const known = blockCache.get(grid as Grid<GridCell>);
  if (known) return known as Grid<C>[];
  const starts = grid.rows.flatMap((cells, r) => (r >= grid.headerRows && cells[0]?.role === 'block' ? [r] : []));
  let parts: Grid<C>[] = [grid];
  if (starts.length > 0 && starts[0] === grid.headerRows && grid.headerRows === 0) {
    parts = starts.map((start, i) => {
      const end = starts[i + 1] ?? grid.rowCount;
      let headerRows = 1;
      while (start + headerRows < end - 1 && grid.rows[start + headerRows].every((cell) => cell.role === 'header')) headerRows++;
      const rows = grid.rows.slice(start, end).map((cells) =>
        cells.map((cell) => {
          if (cell.row + cell.rowSpan > end) throw new GridError(`${grid.id} 第${cell.row + 1}行的单元格跨越了下一栏`);
          return { ...cell, row: cell.row - start };
        }),
      );
      return new Grid(grid.id, grid.columns, headerRows, rows);
    });
  }
  blockCache.set(grid as Grid<GridCell>, parts as Grid<GridCell>[]);
  return parts;
}

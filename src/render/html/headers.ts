/**
 * Which header cells name each figure of a table, for `id`/`headers` in the HTML. `scope` alone lets a
 * screen reader guess: in table 二 every block has its own title and column-header row inside the body,
 * and a reader going by scope gave every block the first block's column names; tables 三 and 四 have
 * headers on several levels. Each figure therefore lists every header cell that applies to it: its
 * block's title, the column headers above it (outermost first, up to the nearest block title or the
 * figure rows above), then the row labels to its left (outermost first) — the cells a clerk reads off
 * the printed table, as `Grid.describe` names them.
 */
import type { Grid, GridCell } from '../../format/grid.js';

/** The `id` of a header cell: unique in the page, as each official table appears once in a report. */
export function headerCellId(table: string, cell: GridCell): string {
  return `${table}-r${cell.row}c${cell.col}`;
}

/** The header cells of every data cell of `grid`, in the order described above. */
export function dataCellHeaders<C extends GridCell>(grid: Grid<C>): Map<C, C[]> {
  const out = new Map<C, C[]>();
  for (const cell of grid.dataCells()) {
    const column: C[] = [];
    for (let c = cell.col; c < cell.col + cell.colSpan; c++) {
      const found: C[] = [];
      for (let r = cell.row - 1; r >= 0; r--) {
        const above = grid.cellAt(r, c);
        if (above.role === 'block') {
          found.unshift(above);
          break;
        }
        if (above.role !== 'header') {
          if (found.length > 0) break;
          continue;
        }
        if (found[0] !== above) found.unshift(above);
      }
      for (const h of found) if (!column.includes(h)) column.push(h);
    }
    const row: C[] = [];
    for (let r = cell.row; r < cell.row + cell.rowSpan; r++) {
      for (let c = 0; c < cell.col; c++) {
        const left = grid.cellAt(r, c);
        if (left.role !== 'data' && !row.includes(left)) row.push(left);
      }
    }
    out.set(cell, [...column, ...row]);
  }
  return out;
}

/**
 * The official names of table cells as a clerk reads them off the printed table, for schema titles
 * and diagnostics: 表三「三、本年度办理结果·（七）总计」行「自然人」列. All text comes from the grids.
 */
import { findDataCell, type EditionId } from '../format/official.js';
import type { Grid, GridCell } from '../format/grid.js';

const TABLE_NUMBER: Record<string, string> = { table2: '二', table3: '三', table4: '四' };

/** The block title (第二十条第（…）项) a table 二 cell sits under, if any. */
function blockAbove(grid: Grid, cell: GridCell): string | undefined {
  for (let r = cell.row; r >= 0; r--) {
    const first = grid.cellAt(r, 0);
    if (first.role === 'block') return first.text;
  }
  return undefined;
}

/** The row's official name, outer labels first, e.g. 三、本年度办理结果·（三）不予公开·1.属于国家秘密. */
export function rowName(grid: Grid, cell: GridCell): string {
  const parts = grid.describe(cell).row;
  const block = blockAbove(grid, cell);
  return [...(block ? [block] : []), ...parts].join('·');
}

/** The column's official name; a group header spanning every data column (申请人情况) says nothing and is left out. */
export function columnName(grid: Grid, cell: GridCell): string {
  const dataColumns = new Set(grid.dataCells().map((c) => c.col));
  const firstData = Math.min(...dataColumns);
  const spansAll = (text: string) =>
    grid.rows.some((row) => row.some((h) => h.role === 'header' && h.text === text && h.col <= firstData && h.col + h.colSpan >= grid.columns));
  const column = grid.describe(cell).column;
  return (column.length > 1 ? column.filter((text) => !spansAll(text)) : column).join('·');
}

const cellNames = new Map<string, string>();

/**
 * 表三「…」行「…」列 for a data cell path; falls back to the path itself for a non-cell. Kept once made:
 * the official grids never change, and checks name cells for every figure of every report.
 */
export function cellName(editionId: EditionId, dottedPath: string): string {
  const key = `${editionId}\0${dottedPath}`;
  let name = cellNames.get(key);
  if (name === undefined) cellNames.set(key, (name = officialCellName(editionId, dottedPath)));
  return name;
}

function officialCellName(editionId: EditionId, dottedPath: string): string {
  const found = findDataCell(editionId, dottedPath);
  if (!found) return dottedPath;
  const row = rowName(found.grid, found.cell);
  const column = columnName(found.grid, found.cell);
  const table = `表${TABLE_NUMBER[found.table] ?? ''}`;
  return row ? `${table}「${row}」行「${column}」列` : `${table}「${column}」列`;
}

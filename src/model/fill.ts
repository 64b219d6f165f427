import type { Grid, GridCell } from '../format/grid.js';
import type { FilledCell, FilledTable } from './document.js';
import { figureTextAt, type Report } from '../format/report.js';

/** How a figure is printed: as written (integers stay integers, 万元 amounts keep their decimals). */
export function formatFigure(value: unknown, unit?: string): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
  return unit && text ? `${text}${unit}` : text;
}

const withUnit = (text: string, unit?: string) => (unit && text ? `${text}${unit}` : text);

/** Fills an official grid with a validated report's figures. */
export function fillGrid(grid: Grid<GridCell>, report: Report): FilledTable {
  return grid.map(
    (cell): FilledCell => ({
      ...cell,
      display: cell.role === 'data' ? withUnit(figureTextAt(report, cell.path ?? ''), cell.unit) : (cell.text ?? ''),
    }),
  );
}

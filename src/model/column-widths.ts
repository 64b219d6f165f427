/**
 * Column widths of a filled table, computed from its content once for every output format (issue 13):
 * the official proportions hold while the figures fit them; a column whose widest figure does not fit
 * widens, and the width it takes comes from the columns with room to spare (label columns down to a
 * minimum, figure columns down to their own widest figure), so a table always fills the 版心 exactly.
 *
 * Widths are measured in ems of the table's type size from a per-character estimate (`textEm`), not
 * from one font: the docx names faces the county's Word supplies, so the estimate is the widest of the
 * faces the three formats meet — Noto Serif SC (our PDF, Chromium without the Windows fonts) and Times
 * New Roman / Liberation Serif (Word, LibreOffice) — for every character a figure holds.
 */
import type { Grid, GridCell } from '../format/grid.js';

/** Ems per character: full-width 1; digits as Noto Serif SC (0.558, TNR 0.5); the rest as its widest face. */
function charEm(ch: string): number {
  const code = ch.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return 0.56;
  if (ch === '.' || ch === ',' || ch === ':' || ch === ';') return 0.33;
  if (ch === ' ') return 0.26;
  if (ch === '-' || ch === '/') return 0.4;
  if (code < 0x7f) return 0.62;
  // Latin-1 and general punctuation sit between; everything else a figure may hold (万元, ％) is full width
  if (code < 0x2e80 && !(code >= 0x2010 && code <= 0x206f)) return 0.62;
  return 1;
}

/** The width of one line of `text`, in ems (the estimate above). */
export function textEm(text: string): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em;
}

export interface ColumnWidthRule {
  /** the official proportions of the columns, any scale */
  readonly weights: readonly number[];
  /** the table's width, in ems of its type size */
  readonly widthEm: number;
  /** a cell's padding on both sides and one rule, in ems: what a column holds beside its text */
  readonly insetEm: number;
  /** the narrowest a label column (one without figures) may become, in characters */
  readonly labelMinChars: number;
  /** the narrowest a figure column may become, in characters (its header words wrap to this) */
  readonly figureMinChars: number;
}

/** Width rules' figures are compared with a hair of tolerance: widths come from sums of fractions. */
const EPSILON = 1e-9;

/**
 * The columns' widths as fractions of the table's width (summing to 1). A column holding figures keeps
 * at least its widest figure on one line (a figure spanning columns, the columns it spans together);
 * when the figures of a table need more than its width (table 四 with six digits in every column), the
 * columns share the width in proportion to what they need, and the overflow is spread evenly.
 */
export function contentColumnWidths(grid: Grid<GridCell & { readonly display: string }>, rule: ColumnWidthRule): number[] {
  const n = grid.columns;
  const weightSum = rule.weights.reduce((a, b) => a + b, 0);
  const base = rule.weights.map((w) => (w / weightSum) * rule.widthEm);
  const cells = grid.rows.flat();
  const hasFigures = new Array<boolean>(n).fill(false);
  for (const cell of cells) if (cell.role === 'data') for (let c = cell.col; c < cell.col + cell.colSpan; c++) hasFigures[c] = true;

  // what each column must keep: its single-column figures, else the label minimum (never above the official width)
  const need = base.map((width, c) => (hasFigures[c] ? Math.min(width, rule.figureMinChars + rule.insetEm) : Math.min(width, rule.labelMinChars + rule.insetEm)));
  for (const cell of cells) {
    if (cell.role !== 'data' || cell.colSpan !== 1) continue;
    need[cell.col] = Math.max(need[cell.col], textEm(cell.display) + rule.insetEm);
  }
  // a figure spanning columns: what its columns lack together is shared among them evenly
  for (const cell of cells) {
    if (cell.role !== 'data' || cell.colSpan === 1) continue;
    const cols = Array.from({ length: cell.colSpan }, (_, k) => cell.col + k);
    const wanted = textEm(cell.display) + rule.insetEm;
    const have = cols.reduce((sum, c) => sum + Math.max(need[c], base[c]), 0);
    if (wanted > have + EPSILON) for (const c of cols) need[c] = Math.max(need[c], base[c]) + (wanted - have) / cell.colSpan;
  }

  const needSum = need.reduce((a, b) => a + b, 0);
  if (needSum > rule.widthEm + EPSILON) return need.map((w) => w / needSum);

  // widen what lacks room; take the width from the other columns in proportion to their room to spare
  const widths = base.map((width, c) => Math.max(width, need[c]));
  const excess = widths.reduce((a, b) => a + b, 0) - rule.widthEm;
  if (excess > EPSILON) {
    const spare = widths.map((width, c) => (width > need[c] ? width - need[c] : 0));
    const spareSum = spare.reduce((a, b) => a + b, 0);
    widths.forEach((width, c) => (widths[c] = width - (spare[c] / spareSum) * excess));
  }
  return widths.map((w) => w / rule.widthEm);
}

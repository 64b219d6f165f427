/**
 * GB/T 9704—2012 page layout, shared by the docx and PDF emitters (and the HTML print CSS), so the
 * three formats cannot drift apart. Numbers from FORMAT.md §6.1; sizes in points unless named.
 */
import { contentColumnWidths } from '../model/column-widths.js';
import type { Grid, GridCell } from '../model/grid.js';

/** 1 mm in points. */
export const MM = 72 / 25.4;

export const PAGE = {
  /** A4 */
  widthMm: 210,
  heightMm: 297,
  /** 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm → bottom 35 mm, right 26 mm */
  marginMm: { top: 37, bottom: 35, left: 28, right: 26 },
  /** 22 lines of 28 characters fill the 版心 */
  linesPerPage: 22,
  charsPerLine: 28,
  /** the 一字线 page number sits 7 mm below the 版心 */
  pageNumberBelowTextMm: 7,
} as const;

/** Text width and height of the 版心 in mm. */
export const TEXT_AREA_MM = {
  width: PAGE.widthMm - PAGE.marginMm.left - PAGE.marginMm.right,
  height: PAGE.heightMm - PAGE.marginMm.top - PAGE.marginMm.bottom,
} as const;

/** Chinese size names in pt (号数 → 磅). */
export const SIZE = {
  二号: 22,
  三号: 16,
  四号: 14,
  小四: 12,
  五号: 10.5,
  小五: 9,
} as const;

/** Fixed line pitch giving 22 lines in the 225 mm 版心: 225 mm / 22 ≈ 28.9 pt. */
export const LINE_PITCH_PT = (TEXT_AREA_MM.height * MM) / PAGE.linesPerPage;

/** The typographic roles of the report; fonts are chosen per role. */
export type FontRole = 'title' | 'body' | 'heading1' | 'heading2' | 'table' | 'pageNumber';

export const ROLE_SIZE: Record<FontRole, number> = {
  title: SIZE.二号,
  body: SIZE.三号,
  heading1: SIZE.三号,
  heading2: SIZE.三号,
  table: SIZE.五号,
  pageNumber: SIZE.四号,
};

/**
 * Roles set in 3号 on the 28-character line of the 版心: their characters are condensed a little (a 16 pt
 * glyph is wider than 156 mm / 28). The title, tables and page number keep their natural width.
 */
export const LINE_GRID_ROLES: ReadonlySet<FontRole> = new Set(['body', 'heading1', 'heading2']);

/** The advance of one character on the 28-character line, in points. */
export const GRID_CHAR_PT = (TEXT_AREA_MM.width * MM) / PAGE.charsPerLine;

/** Table 四 has 15 columns in 156 mm: only 小五 fits (FORMAT.md §6.2). */
export const TABLE_SIZE: Record<'table2' | 'table3' | 'table4', number> = {
  table2: SIZE.五号,
  table3: SIZE.五号,
  table4: SIZE.小五,
};

/**
 * The faces a county's Word installation is expected to have, by role. docx names them (Word supplies
 * the face); HTML lists them first in its font stacks. A workspace may override every name.
 */
export const OFFICIAL_FONT_NAMES: Record<FontRole, { eastAsia: string; latin: string }> = {
  title: { eastAsia: '方正小标宋简体', latin: 'Times New Roman' },
  body: { eastAsia: '仿宋_GB2312', latin: 'Times New Roman' },
  heading1: { eastAsia: '黑体', latin: 'Times New Roman' },
  heading2: { eastAsia: '楷体_GB2312', latin: 'Times New Roman' },
  table: { eastAsia: '仿宋_GB2312', latin: 'Times New Roman' },
  pageNumber: { eastAsia: '宋体', latin: '宋体' },
};

/**
 * Relative column widths of the official tables, for the emitters that set widths (docx and PDF).
 * Table 三: a narrow first column for the one-character-wide 三、本年度办理结果 label, the （一）…（七） column wide enough for （四）无法提供 on one
 * line, a wide column for the sub-items, then seven equal figure columns of two characters (their headers
 * wrap, as in the official template). Table 二: a label column fitting 其他对外管理服务事项, equal value
 * columns. Table 四: 15 equal columns.
 */
export function tableColumnWeights(table: string, columns: number): number[] {
  const equal = (n: number, w = 1) => new Array<number>(n).fill(w);
  switch (table) {
    case 'table3':
      return columns === 10 ? [0.05, 0.18, 0.279, ...equal(7, 0.491 / 7)] : equal(columns);
    case 'table2':
      return [0.255, ...equal(columns - 1, 0.745 / (columns - 1))];
    default:
      return equal(columns);
  }
}

/** The 版心 width in points, which every table fills exactly. */
export const TEXT_WIDTH_PT = TEXT_AREA_MM.width * MM;

/**
 * A table cell's left and right padding in points, the same in the three formats (the PDF's cell
 * padding, the docx table's cell margins, the HTML print CSS). Table 四's fifteen columns keep 1 pt so
 * that six-digit totals and five-digit results fit in 小五 across the 版心.
 */
export const TABLE_CELL_PAD_PT: Record<'table2' | 'table3' | 'table4', number> = { table2: 2.5, table3: 2.5, table4: 1 };

/**
 * The thickest rule between two cells of the three formats (HTML prints 1 px = 0.75 pt, the PDF and
 * docx 0.5 pt): the column widths leave room for it.
 */
export const TABLE_RULE_ALLOWANCE_PT = 0.75;

const fractionsCache = new WeakMap<Grid<GridCell>, readonly number[]>();

/**
 * The column widths of a filled table as fractions of the 版心 (summing to 1), computed once per grid
 * from its content (src/model/column-widths.ts) and used by the three emitters: the official weights
 * below while the figures fit them, else wider figure columns and narrower label columns.
 */
export function tableColumnFractions(table: string, grid: Grid<GridCell & { readonly display: string }>): readonly number[] {
  const known = fractionsCache.get(grid);
  if (known) return known;
  const size = TABLE_SIZE[table as keyof typeof TABLE_SIZE] ?? TABLE_SIZE.table3;
  const pad = TABLE_CELL_PAD_PT[table as keyof typeof TABLE_CELL_PAD_PT] ?? TABLE_CELL_PAD_PT.table3;
  const fractions = contentColumnWidths(grid, {
    weights: tableColumnWeights(table, grid.columns),
    widthEm: TEXT_WIDTH_PT / size,
    insetEm: (2 * pad + TABLE_RULE_ALLOWANCE_PT) / size,
    // a label column keeps five characters a line (table 三's sub-items wrap, its （一）… stay words);
    // a figure column two (its header words wrap two characters a line, as in the official template)
    labelMinChars: 5,
    figureMinChars: 2,
  });
  fractionsCache.set(grid, fractions);
  return fractions;
}

/**
 * GB/T 9704—2012 page layout, shared by the docx and PDF emitters (and the HTML print CSS), so the
 * three formats cannot drift apart. Numbers from FORMAT.md §6.1; sizes in points unless named.
 */
import { contentColumnWidths } from '../model/column-widths.js';
import type { Grid, GridCell } from '../format/grid.js';

import type { HeadingLevel } from '../model/document.js';

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
export type FontRole = 'title' | 'body' | 'heading1' | 'heading2' | 'heading3' | 'table' | 'pageNumber';

/** Every role, in the order messages and settings list them. */
export const FONT_ROLES: readonly FontRole[] = ['title', 'body', 'heading1', 'heading2', 'heading3', 'table', 'pageNumber'];

export const ROLE_SIZE: Record<FontRole, number> = {
  title: SIZE.二号,
  body: SIZE.三号,
  heading1: SIZE.三号,
  heading2: SIZE.三号,
  heading3: SIZE.三号,
  table: SIZE.五号,
  pageNumber: SIZE.四号,
};

/**
 * How each GB/T 9704 heading level is set, in every format: its face (by role) and weight. Levels 3
 * and 4 are 仿宋 (the body face), level 3 bold as county practice has it. A run-in heading (the first
 * sentence of a paragraph, src/model/heading-levels.ts) takes its level's face and weight; the rest of
 * its paragraph is body text.
 */
export const HEADING_LEVELS: Record<HeadingLevel, { readonly role: FontRole; readonly bold: boolean }> = {
  1: { role: 'heading1', bold: false },
  2: { role: 'heading2', bold: false },
  3: { role: 'heading3', bold: true },
  4: { role: 'body', bold: false },
};

/**
 * Roles set in 3号 on the 28-character line of the 版心: their characters are condensed a little (a 16 pt
 * glyph is wider than 156 mm / 28). The title, tables and page number keep their natural width.
 */
export const LINE_GRID_ROLES: ReadonlySet<FontRole> = new Set(['body', 'heading1', 'heading2', 'heading3']);

/** The advance of one character on the 28-character line, in points. */
export const GRID_CHAR_PT = (TEXT_AREA_MM.width * MM) / PAGE.charsPerLine;

/** Table 四 has 15 columns in 156 mm: only 小五 fits (FORMAT.md §6.2). */
export const TABLE_SIZE: Record<'table2' | 'table3' | 'table4', number> = {
  table2: SIZE.五号,
  table3: SIZE.五号,
  table4: SIZE.小五,
};

/**
 * Table cell padding above and below the text in points, for the PDF and the HTML print (left and right:
 * TABLE_CELL_PAD_PT): a little air, the same in both, so that rows are as high and break at the same places.
 */
export const TABLE_CELL_PAD_Y_PT = 1.5;

/** Space above and below a table, in points: a quarter and a half of the body's line pitch. */
export const TABLE_SPACE_PT = { above: LINE_PITCH_PT / 4, below: LINE_PITCH_PT / 2 } as const;

/** Table text pitch, in ems of the table's size: a third above the type size (the docx tables' exact spacing). */
export const TABLE_PITCH_EM = 1.35;

/**
 * The faces a county's Word installation is expected to have, by role. docx names them (Word supplies
 * the face); HTML lists them first in its font stacks. A workspace may override every name.
 */
export const OFFICIAL_FONT_NAMES: Record<FontRole, { eastAsia: string; latin: string }> = {
  title: { eastAsia: '方正小标宋简体', latin: 'Times New Roman' },
  body: { eastAsia: '仿宋_GB2312', latin: 'Times New Roman' },
  heading1: { eastAsia: '黑体', latin: 'Times New Roman' },
  heading2: { eastAsia: '楷体_GB2312', latin: 'Times New Roman' },
  heading3: { eastAsia: '仿宋_GB2312', latin: 'Times New Roman' },
  table: { eastAsia: '仿宋_GB2312', latin: 'Times New Roman' },
  pageNumber: { eastAsia: '宋体', latin: '宋体' },
};

/**
 * The 落款 of a report, which carries no seal (GB/T 9704—2012 7.3.5.2): one blank line below the text,
 * the agency 右空二字, the date on the next line, its first character two characters right of the
 * agency's first; a date too long for that keeps 右空二字 and the agency moves left to keep the two.
 */
export const SIGNATURE = { blankLinesAbove: 1, rightChars: 2, dateShiftChars: 2 } as const;

/** A text's width in characters of the 3号 line: a Chinese character 1, a half-width digit or letter ½. */
export function widthInChars(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x2e80 ? 0.5 : 1;
  return width;
}

/**
 * Each 落款 line's distance from the right edge of the 版心, in characters, the same in every format.
 * An agency and a date follow 7.3.5.2; other shapes (a county template's extra line, a name that fills
 * the line) are set 右空二字 line by line.
 */
export function signatureIndents(lines: readonly string[]): number[] {
  const { rightChars, dateShiftChars } = SIGNATURE;
  const flat = lines.map(() => rightChars);
  if (lines.length !== 2) return flat;
  const [name, date] = lines.map(widthInChars);
  const nameRight = Math.max(rightChars, date + dateShiftChars + rightChars - name);
  if (nameRight + name > PAGE.charsPerLine) return flat;
  return [nameRight, nameRight + name - dateShiftChars - date];
}

/**
 * The lines of a vertical merged label (table 三's 三、本年度办理结果), the same in every format: one
 * character per line, stacked and centred in its one-character column, the 、 on a line of its own as
 * seed 000 and the official template print it (FORMAT.md §1.4). "三、" kept as one unit would be two
 * characters wide and touch the column's rules; vertical writing (`writing-mode`) would set the 、 in
 * its vertical form, which the docx and PDF cannot match.
 */
export function verticalLabelLines(text: string): string[] {
  return [...text.replace(/\s+/g, '')];
}

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

/**
 * The written form of every figure. YAML reads `0x10`, `1e2`, `+5`, `3.0` and `010` as numbers a
 * schema cannot tell from `16`, `100`, `5`, `3` and `10`, and a float cannot hold
 * `4.999999999999999999` or `1e-400` as written: what passed the check would not be what is
 * published. So a figure is judged on its source text: a count is a plain decimal integer, a change
 * a plain signed integer, an amount in 万元 a plain decimal with at most MONEY_DECIMALS places; and
 * the text the renderers print is that source text (see `figureTexts`).
 */
import { officialGrid, TABLE_IDS, type EditionId } from '../format/official.js';
import { valueAt } from '../format/report.js';
import { cellKind, describePath, KIND_TEXT, type CellKind } from './messages.js';
import type { DataPath } from './types.js';

/**
 * 万元 with 6 decimal places is accurate to the 分 (0.01 元), the smallest amount a receipt shows;
 * more places would claim a precision no fee has.
 */
export const MONEY_DECIMALS = 6;
/**
 * Significant digits a double holds exactly as decimal text (15): an amount with more would not
 * print back as written.
 */
const MAX_SIGNIFICANT = 15;

const FORMS: Record<CellKind, RegExp> = {
  count: /^(?:0|[1-9]\d*)$/,
  signed: /^(?:0|-?[1-9]\d*)$/,
  money: new RegExp(`^(?:0|[1-9]\\d*)(?:\\.\\d{1,${MONEY_DECIMALS}})?$`),
};

/** A figure cell of an edition's tables: its data path, dotted and split, and the kind of number it holds. */
interface Figure {
  readonly dotted: string;
  readonly path: DataPath;
  readonly kind: CellKind;
}

const figures: Partial<Record<EditionId, readonly Figure[]>> = {};

/** Every figure cell of an edition's tables, from the grids: made once, every report checks them all. */
function figuresOf(edition: EditionId): readonly Figure[] {
  return (figures[edition] ??= TABLE_IDS.flatMap((t) =>
    officialGrid(edition, t)
      .dataCells()
      .map((c) => {
        const path = toPath(c.path!);
        return { dotted: c.path!, path, kind: cellKind(path) };
      }),
  ));
}

const toPath = (dotted: string): DataPath => dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

export interface FigureFormProblem {
  readonly path: DataPath;
  readonly message: string;
  /** the figure in plain form, when there is one */
  readonly hint?: string;
}

/** What is wrong with a figure's form, and the plain form to write when there is one. */
export interface FormProblem {
  readonly message: string;
  readonly hint?: string;
}

/** What is wrong with a figure written as `written` (a YAML number), or undefined when it is plain. */
export function figureFormProblem(kind: CellKind, written: string, nameOf: () => string): FormProblem | undefined {
  if (FORMS[kind].test(written)) {
    if (kind === 'money' && written.replace(/^0\.0*|\./g, '').length > MAX_SIGNIFICANT) {
      return { message: `${nameOf()}「${written}」有效数字超过 ${MAX_SIGNIFICANT} 位，无法按原样计算和发布`, hint: '核对金额（单位万元）' };
    }
    return undefined;
  }
  // named only here: looking up a cell's official name for each of a report's figures cost more than the check
  const name = nameOf();
  const what = kind === 'money' ? `以万元为单位的数（最多 ${MONEY_DECIMALS} 位小数）` : KIND_TEXT[kind];
  const n = Number(written);
  // the same number in plain form, when there is one (1e2 → 100; not 1e-400, which is no 0 the clerk meant)
  const plain = Number.isFinite(n) && FORMS[kind].test(String(n)) && !(n === 0 && /[1-9]/.test(written)) ? String(n) : undefined;
  const fix = (reason: string): FormProblem => ({ message: `${name}写的是「${written}」，${reason}：应为${what}`, ...(plain !== undefined ? { hint: `写作 ${plain}` } : {}) });
  if (/^[+-]?0x/i.test(written)) return fix('这是十六进制写法');
  if (/^[+-]?0o/i.test(written)) return fix('这是八进制写法');
  if (/e/i.test(written)) return fix('这是科学计数法（带 e）');
  if (/^\+/.test(written)) return fix('数字前不写「+」');
  if (kind !== 'money' && /\./.test(written)) {
    // 3.0 and 5. read as whole numbers, 4.999999999999999999 as 5: a count is written without a point
    const whole = Number.isInteger(n) && /^[+-]?\d+\.0*$/.test(written);
    return { message: `${name}写的是「${written}」，带有小数点：应为${what}，不写小数点`, ...(whole ? { hint: `写作 ${plain}` } : {}) };
  }
  if (/^-?0\d/.test(written)) return fix('开头多写了 0');
  if (/\.$/.test(written)) return { message: `${name}写的是「${written}」，小数点后没有数字`, hint: `写作 ${written.slice(0, -1)}` };
  if (/^\.\d/.test(written)) return { message: `${name}写的是「${written}」，小数点前没有写 0`, hint: `写作 0${written}` };
  if (kind === 'money' && /^\d+\.\d+$/.test(written)) {
    return { message: `${name}写的是「${written}」，小数超过 ${MONEY_DECIMALS} 位（单位万元，${MONEY_DECIMALS} 位小数已精确到分）`, hint: `四舍五入到 ${MONEY_DECIMALS} 位以内` };
  }
  return { message: `${name}写的是「${written}」，不是${what}的普通写法` };
}

/**
 * Figures written in a form other than plain decimal, for the cells the schema found nothing wrong
 * with (a cell already reported, e.g. as a fraction, is not reported twice). `written` gives the
 * source text of the scalar at a path (undefined when it is not a plain scalar).
 */
export function figureFormProblems(
  edition: EditionId,
  written: (path: DataPath) => string | undefined,
  reported: (path: DataPath) => boolean,
): FigureFormProblem[] {
  const problems: FigureFormProblem[] = [];
  const check = (path: DataPath, kind: CellKind) => {
    const text = written(path);
    if (text === undefined || reported(path)) return;
    const problem = figureFormProblem(kind, text, () => describePath(edition, path));
    if (problem) problems.push({ path, ...problem });
  };
  check(['year'], 'count');
  for (const { path, kind } of figuresOf(edition)) check(path, kind);
  return problems;
}

/**
 * The text each figure is published with: its source text, by dotted path. Only figures whose
 * source differs from JavaScript's rendering of the number (an amount `12.50`) need an entry.
 */
export function figureTexts(edition: EditionId, data: Record<string, unknown>, written: (path: DataPath) => string | undefined): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const { dotted, path } of figuresOf(edition)) {
    const value = valueAt(data, path);
    const text = written(path);
    if (typeof value === 'number' && text !== undefined && text !== String(value) && Number(text) === value) texts[dotted] = text;
  }
  return texts;
}

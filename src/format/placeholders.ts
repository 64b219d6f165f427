/**
 * Narrative placeholders: a clerk quotes a table figure in the narrative as `{{三.一.总计}}`
 * (table 三, row 一, column 总计), and the build prints the validated figure there, so the text
 * and the table cannot disagree.
 *
 * Narrative is data, never a template: only a well-formed placeholder naming a known figure is
 * replaced; any other `{{` is printed as typed. A well-formed placeholder naming no figure is a
 * check error (see `placeholderProblems`).
 *
 * Names are derived from the official grids, so they follow format/*.yaml:
 * - table 三: `三.<row ref>.<column>`; row refs are the `ref`s of format/tables/table3.yaml
 *   (一, 二, 三.（一）, 三.（三）.1, …, 三.（七）, 四), columns the header labels 自然人 … 总计;
 * - table 二: `二.<row label>.<column header>`, e.g. `二.规章.本年制发件数`, `二.行政许可.本年处理决定数量`;
 * - table 四: `四.<group>.<column>`, e.g. `四.行政复议.总计`, `四.未经复议直接起诉.结果纠正`.
 */
import { officialGrid, rowRefs, SECTIONS, TABLE_IDS, type EditionId, type TableId } from './official.js';
import { figureTextAt, type Report } from './report.js';

/** The Chinese numeral of a table, as its section is numbered (二, 三, 四). */
function tableNumeral(table: TableId): string {
  const section = SECTIONS.find((s) => s.table === table);
  if (!section) throw new Error(`sections.yaml 中没有表格 ${table} 所在的部分`);
  return section.heading.split('、')[0];
}

/**
 * A well-formed placeholder: `{{`, a table numeral, a dot, dot-separated names without braces or
 * white space, `}}` (white space allowed just inside the braces).
 */
const PLACEHOLDER = /\{\{\s*([一二三四五六七八九十]+)\.([^{}\s]+?)\s*\}\}/gu;

/** Figure name (without braces) → contract path, per edition. */
const namesCache = new Map<EditionId, ReadonlyMap<string, string>>();

export function placeholderNames(edition: EditionId): ReadonlyMap<string, string> {
  let names = namesCache.get(edition);
  if (names) return names;
  const map = new Map<string, string>();
  for (const table of TABLE_IDS) {
    const grid = officialGrid(edition, table);
    const refs = rowRefs(edition, table);
    const numeral = tableNumeral(table);
    for (const cell of grid.dataCells()) {
      const path = cell.path!;
      const { row, column } = grid.describe(cell);
      const ref = refs.find((r) => path.startsWith(`${r.path}.`) && /^\d+$/.test(path.slice(r.path.length + 1)));
      const rowName = ref ? ref.ref : row.length > 0 ? row.at(-1)! : column.at(-2);
      const name = `${numeral}.${rowName}.${column.at(-1)}`;
      if (rowName === undefined || column.length === 0) throw new Error(`无法为 ${path} 生成占位符名称`);
      if (map.has(name)) throw new Error(`占位符名称「${name}」不唯一（${map.get(name)} 与 ${path}）`);
      map.set(name, path);
    }
  }
  names = map;
  namesCache.set(edition, names);
  return names;
}

export interface PlaceholderUse {
  /** the placeholder as typed, e.g. `{{三.一.总计}}` */
  readonly text: string;
  /** the name inside the braces, e.g. `三.一.总计` */
  readonly name: string;
  /** offset of the placeholder in the narrative string */
  readonly index: number;
  /** contract path of the figure, or undefined when the name is unknown */
  readonly path: string | undefined;
}

/** Every well-formed placeholder in a narrative text, known or not. */
export function findPlaceholders(text: string, edition: EditionId): PlaceholderUse[] {
  const names = placeholderNames(edition);
  return [...text.matchAll(PLACEHOLDER)].map((m) => {
    const name = `${m[1]}.${m[2]}`;
    return { text: m[0], name, index: m.index, path: names.get(name) };
  });
}

/** Replaces each known placeholder by its figure; everything else stays as typed. */
export function substitutePlaceholders(text: string, report: Report): string {
  const names = placeholderNames(report.format);
  return text.replace(PLACEHOLDER, (whole, numeral: string, rest: string) => {
    const path = names.get(`${numeral}.${rest}`);
    if (path === undefined) return whole;
    const printed = figureTextAt(report, path);
    return printed === '' ? whole : printed;
  });
}

/** A narrative string of a report, with its contract path (for diagnostics). */
export interface NarrativeText {
  readonly path: readonly (string | number)[];
  readonly text: string;
}

/** Every narrative string of a report's data (which may not be validated yet). */
export function narrativeTexts(data: unknown): NarrativeText[] {
  const narrative = (data as { narrative?: unknown } | null)?.narrative;
  if (narrative === null || typeof narrative !== 'object') return [];
  const out: NarrativeText[] = [];
  for (const [key, value] of Object.entries(narrative)) {
    if (typeof value === 'string') out.push({ path: ['narrative', key], text: value });
    else if (value !== null && typeof value === 'object') {
      for (const [sub, text] of Object.entries(value)) {
        if (typeof text === 'string') out.push({ path: ['narrative', key, sub], text });
      }
    }
  }
  return out;
}

export interface PlaceholderProblem {
  readonly path: readonly (string | number)[];
  /** offset of the placeholder in the narrative string */
  readonly index: number;
  /** the placeholder as written (`{{三.九.总计}}`), to mark it in the YAML */
  readonly passage: string;
  /** error: a well-formed reference to no figure; warning: braces that only look like a reference */
  readonly severity: 'error' | 'warning';
  readonly rule: 'NARRATIVE-REF' | 'NARRATIVE-REF-FORM';
  readonly message: string;
  /** how a reference is written, with examples of this edition */
  readonly hint: string;
}

/** `{{…}}` with a table numeral inside: meant as a reference, even if mistyped (e.g. with 。 as separator). */
const LOOKS_LIKE_REFERENCE = /\{\{[^{}\n]{0,40}?[二三四][^{}\n]{0,40}?\}\}/gu;

function syntaxHint(edition: EditionId): string {
  return `数据引用写作 {{表.行.列}}，用半角句点分隔，如 {{三.一.总计}}、{{四.行政复议.总计}}、{{二.规章.${edition === '2021' ? '本年制发件数' : '本年新制作数量'}}}`;
}

/**
 * Placeholder problems of a report's narrative, in reading order: a well-formed placeholder naming no
 * figure of the edition (error: the clerk meant a figure the build cannot print), and braces that look
 * like a mistyped reference (warning: they are printed as typed).
 */
export function placeholderProblems(data: unknown, edition: EditionId): PlaceholderProblem[] {
  const problems: PlaceholderProblem[] = [];
  for (const { path, text } of narrativeTexts(data)) {
    const uses = findPlaceholders(text, edition);
    const found: PlaceholderProblem[] = [];
    for (const use of uses) {
      if (use.path !== undefined) continue;
      found.push({ path, index: use.index, passage: use.text, severity: 'error', rule: 'NARRATIVE-REF', message: `叙述中的数据引用「${use.text}」不对应${edition}版表格中的任何数据`, hint: `${syntaxHint(edition)}；核对表、行、列的名称` });
    }
    for (const m of text.matchAll(LOOKS_LIKE_REFERENCE)) {
      if (uses.some((u) => m.index < u.index + u.text.length && u.index < m.index + m[0].length)) continue;
      found.push({ path, index: m.index, passage: m[0], severity: 'warning', rule: 'NARRATIVE-REF-FORM', message: `叙述中的「${m[0]}」不是数据引用，将按原样印出`, hint: `${syntaxHint(edition)}；不是引用则不必改` });
    }
    problems.push(...found.sort((a, b) => a.index - b.index));
  }
  return problems;
}

/** The parts of a check context (src/validate/checks.ts) this check needs. */
interface PlaceholderCheckContext<D> {
  readonly data: unknown;
  readonly edition: EditionId;
  diagnostic(path: readonly (string | number)[], severity: 'error' | 'warning', rule: string, message: string, hint?: string, passage?: string): D;
}

/**
 * Checks NARRATIVE-REF (error) and NARRATIVE-REF-FORM (warning), in REPORT_CHECKS, located at the
 * narrative field. They run whether or not the schema passed, so a report with a broken table still
 * hears about its broken references in the same run.
 */
export function checkNarrativePlaceholders<D>(ctx: PlaceholderCheckContext<D>): D[] {
  // marked at the braces themselves, not the whole narrative they sit in
  return placeholderProblems(ctx.data, ctx.edition).map((p) => ctx.diagnostic(p.path, p.severity, p.rule, p.message, p.hint, p.passage));
}

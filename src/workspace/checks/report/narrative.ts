/**
 * Narrative against tables (FORMAT.md §3.4), as warnings: figures the text states about
 * applications, 行政复议 and 行政诉讼 must equal the tables (TX-T3, TX-T4); and, in the 2021 edition,
 * 六 states the 信息处理费 situation (S6-FEE) and 五 is not empty (S5-EMPTY).
 *
 * The patterns read the phrasing real reports use (共收到政府信息公开申请1件, 上年结转3件,
 * 结转下年度继续办理2件, 行政复议案件0件, 未发生行政诉讼); a figure quoted through a placeholder
 * (`{{三.一.总计}}`) is printed from the table and cannot disagree, so it is not matched.
 */
import type { Diagnostic } from '../../../validate/types.js';
import { atText, narrativeLabel, narrativeTexts, num, rowWrittenWhole, type ReportEntry } from '../entry.js';
import { readFormatFile } from '../../../format/data-files.js';
import { findDataCell, type EditionId } from '../../../format/official.js';
import { isUnfilled } from '../../../validate/narrative-text.js';


/** 12 → 12, 十二 → 12, 一百零五 → 105, 两 → 2. */
export function parseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    const d = '零〇一二两三四五六七八九'.indexOf(ch);
    if (d >= 0) {
      digit = [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9][d];
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 0;
    if (unit === 0) return undefined;
    total += (digit === 0 && unit === 10 ? 1 : digit) * unit;
    digit = 0;
  }
  return total + digit;
}

/** format/text-checks.yaml, as the checks read it. */
export interface TextChecksData {
  readonly figure: string;
  readonly gap: string;
  readonly claims: readonly ClaimData[];
  readonly zero_claims: readonly ClaimData[];
  readonly year_opening: string;
  readonly previous_problems: readonly string[];
  readonly doubled: readonly string[];
  readonly halfwidth: Readonly<Record<string, string>>;
  readonly pairs: readonly (readonly [string, string])[];
  readonly numbering: Readonly<Record<string, string>>;
}

interface ClaimData {
  readonly rule: string;
  readonly pattern: string;
  readonly sums: readonly (readonly string[])[];
}

interface Claim {
  readonly rule: string;
  readonly pattern: RegExp;
  readonly sums: readonly (readonly string[])[];
}

let textData: TextChecksData | undefined;
export function textChecksData(): TextChecksData {
  return (textData ??= readFormatFile<TextChecksData>('text-checks.yaml'));
}

let compiled: { claims: Claim[]; zero: Claim[] } | undefined;
function claims(): { claims: Claim[]; zero: Claim[] } {
  if (compiled) return compiled;
  const data = textChecksData();
  const compile = (c: ClaimData): Claim => ({
    rule: c.rule,
    sums: c.sums,
    pattern: new RegExp(c.pattern.replaceAll('{gap}', data.gap).replaceAll('{n}', data.figure), 'g'),
  });
  return (compiled = { claims: data.claims.map(compile), zero: data.zero_claims.map(compile) });
}

const TABLE_NAME: Record<string, string> = { table2: '表二', table3: '表三', table4: '表四' };

/** 表三「一、本年新收政府信息公开申请数量」总计, 表四「行政复议」「总计」: a cell's official name, for messages. */
function cellLabel(edition: EditionId, dotted: string, rowParts?: number): string {
  const found = findDataCell(edition, dotted);
  if (!found) return dotted;
  const { row, column } = found.grid.describe(found.cell);
  const table = TABLE_NAME[found.table] ?? '';
  if (row.length === 0) return `${table}「${column.join('」「')}」`;
  const col = column.at(-1) ?? '';
  const rowText = row.slice(0, rowParts ?? row.length).join('');
  return `${table}「${rowText}」${col === '总计' ? (rowText.endsWith('总计') ? '' : '总计') : `「${col}」`}`;
}

/**
 * The cells of a sum with `*` expanded against the report's data; undefined when one is missing or not a
 * number, or sits in a row written with the wrong number of figures (ROW-LENGTH says so: which of its figures
 * is the 总计 cannot be told, and comparing the text with it would only add a false warning).
 */
function sumOf(data: Record<string, unknown>, cells: readonly string[], edition: EditionId): { value: number; cells: { path: string; value: number }[] } | undefined {
  const found: { path: string; value: number }[] = [];
  const expand = (prefix: string[], rest: string[]): boolean => {
    if (rest.length === 0) {
      if (!rowWrittenWhole(data, prefix.slice(0, -1), edition)) return false;
      const value = num(data, prefix.map((p) => (/^\d+$/.test(p) ? Number(p) : p)));
      if (value === undefined) return false;
      found.push({ path: prefix.join('.'), value });
      return true;
    }
    const [head, ...tail] = rest;
    if (head !== '*') return expand([...prefix, head], tail);
    let node: unknown = data;
    for (const key of prefix) node = (node as Record<string, unknown> | undefined)?.[key];
    if (!node || typeof node !== 'object' || Array.isArray(node)) return false;
    return Object.keys(node).every((key) => expand([...prefix, key], tail));
  };
  for (const cell of cells) if (!expand([], cell.split('.'))) return undefined;
  return { value: found.reduce((a, c) => a + c.value, 0), cells: found };
}

/** What the table says, for a message: 表三「…」总计为 2，或「…」总计 2 与「…」总计 1 之和为 3. */
function sumsLabel(edition: EditionId, sums: { value: number; cells: { path: string; value: number }[] }[]): string {
  return sums
    .map((s) =>
      s.cells.length === 1
        ? `${cellLabel(edition, s.cells[0].path)}为 ${s.value}`
        : s.cells.length > 3
          ? `${cellLabel(edition, s.cells[0].path, -1).replace(/总计$/, '')}各项总计之和为 ${s.value}`
          : `${s.cells.map((c) => `${cellLabel(edition, c.path)} ${c.value}`).join(' 与 ')} 之和为 ${s.value}`,
    )
    .join('，或');
}

/** （句子：「…」）: the whole sentence a phrase stands in, when it says more than the phrase. */
function sentenceOf(text: string, index: number, length: number): string {
  const stops = /[。；！？\n]/;
  let from = index;
  while (from > 0 && !stops.test(text[from - 1])) from--;
  let to = index + length;
  while (to < text.length && !stops.test(text[to])) to++;
  if (to < text.length && text[to] !== '\n') to++;
  const sentence = text.slice(from, to).trim();
  if (sentence.length <= length + 1) return '';
  return `（句子：「${sentence.length > 80 ? `${sentence.slice(0, 80)}…` : sentence}」）`;
}

export function narrativeDiagnostics(entry: ReportEntry): Diagnostic[] {
  if (!entry.data) return [];
  const data = entry.data;
  const edition = entry.edition ?? '2021';
  const out: Diagnostic[] = [];
  const { claims: stated, zero } = claims();
  const expected = (claim: Claim) => {
    const sums = claim.sums.map((cells) => sumOf(data, cells, edition)).filter((s): s is NonNullable<typeof s> => s !== undefined);
    return sums.length ? sums : undefined;
  };
  for (const { path, key, text } of narrativeTexts(data)) {
    // an unfilled prompt is an error of its own (NARRATIVE-UNFILLED); nothing more to say about it
    if (key === 'preface' || isUnfilled(text)) continue;
    const section = narrativeLabel(key);
    for (const claim of stated) {
      const sums = expected(claim);
      if (!sums) continue;
      for (const match of text.matchAll(claim.pattern)) {
        const figure = parseNumber(match[1]);
        if (figure === undefined || sums.some((s) => s.value === figure)) continue;
        out.push(atText(entry, path, match[0], 'warning', claim.rule, `${section}中写「${match[0]}」${sentenceOf(text, match.index, match[0].length)}，但${sumsLabel(edition, sums)}`));
      }
    }
    for (const claim of zero) {
      const sums = expected(claim);
      if (!sums || sums.some((s) => s.value === 0)) continue;
      for (const match of text.matchAll(claim.pattern)) {
        out.push(atText(entry, path, match[0], 'warning', claim.rule, `${section}中写「${match[0]}」${sentenceOf(text, match.index, match[0].length)}，但${sumsLabel(edition, sums)}`));
      }
    }
  }
  if (entry.edition === '2021') out.push(...sectionChecks2021(entry));
  return out;
}

function sectionChecks2021(entry: ReportEntry): Diagnostic[] {
  const out: Diagnostic[] = [];
  const narrative = (entry.data?.narrative ?? {}) as Record<string, unknown>;
  const unfilled = (value: unknown) => typeof value === 'string' && isUnfilled(value);
  const other = typeof narrative.other === 'string' ? narrative.other : '';
  const problems = typeof narrative.problems === 'string' ? narrative.problems : '';
  const sixPath = narrative.other === undefined ? (entry.data?.narrative ? ['narrative'] : []) : ['narrative', 'other'];
  const six = narrativeLabel('other');
  const five = narrativeLabel('problems');
  if (!other.includes('信息处理费') && !unfilled(narrative.other)) {
    const informal = /信息公开处理费|信息处理费用|信息公开费/.exec(other);
    out.push(
      informal
        ? atText(entry, sixPath, informal[0], 'warning', 'S6-FEE', `${six}写的是「${informal[0]}」，不是《政府信息公开信息处理费管理办法》的正式名称`, `改用正式名称「信息处理费」`)
        : atText(entry, sixPath, '', 'warning', 'S6-FEE', `${six}未说明收取信息处理费的情况（2021 版格式要求报告）`, '写明收取信息处理费的情况；未收取也应写明，例如「本年度未收取信息处理费」'),
    );
  }
  const unpaid = num(entry.data, ['applications', 'results', 'other', 'unpaid_fees', 6]);
  if (unpaid !== undefined && unpaid > 0 && !/收费通知/.test(other) && !unfilled(narrative.other)) {
    out.push(atText(entry, sixPath, '', 'warning', 'S6-T3', `表三「申请人逾期未按收费通知要求缴纳费用」总计为 ${unpaid}，但${six}未说明发出收费通知的情况`));
  }
  const trimmed = problems.replace(/[\s。.]/g, '');
  if (trimmed === '' || trimmed === '无' || trimmed === '暂无') {
    const p = narrative.problems === undefined ? (entry.data?.narrative ? ['narrative'] : []) : ['narrative', 'problems'];
    out.push(atText(entry, p, '', 'warning', 'S5-EMPTY', `${five}为空或只写了「无」；2021 版格式要求如实报告存在的主要问题及改进情况`));
  }
  return out;
}

/**
 * Stress variants of the example reports (issue 13): the narrative grown a line at a time so that the
 * tables and the 落款 meet every position on a page, every table-三/四 figure scaled to six digits, table
 * 二's counts at seven digits and its money at 24252.311082 万元, a 30–40-character agency name. Built from the real examples of both editions, so they follow any change
 * of the templates or the format data.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../../src/model/build-document.js';
import { checkText } from '../../src/validate/index.js';
import { officialGrid, type EditionId } from '../../src/format/official.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import type { Report } from '../../src/format/report.js';
import { PAGE } from '../../src/render/layout.js';
import { consistentReport, sequenceDraw } from './consistent.js';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The example reports, by file name, checked as the CLI checks them. */
export function exampleReports(): [string, Report][] {
  const dir = path.join(root, 'examples', 'reports');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, checkText(readFileSync(path.join(dir, f)), f).report!]);
}

/** A long agency name of 30–40 characters, made of real words (so word breaks can be tested). */
export const LONG_AGENCY = '湖北省恩施土家族苗族自治州巴东县沿渡河镇人民政府办公室政务公开科';

/** The largest money figure of the stress variants: 万元 to the yuan and beyond, as the contract allows (6 decimals). */
export const BIG_MONEY = 24252.311082;

const dataPaths = (edition: EditionId, table: 'table2' | 'table3' | 'table4') => officialGrid(edition, table).dataCells().map((cell) => cell.path!);

/**
 * Every figure of tables 三 and 四 multiplied by one factor that brings the largest to six digits (a
 * report whose tables 三 and 四 hold only zeros takes a consistent set of small figures first), every
 * count of table 二 at seven digits and its money at `BIG_MONEY`. A common factor keeps every sum of
 * tables 三 and 四 a sum; table 二's counts keep its two rules (增/减 ≥ −上一年, 总数量 ≥ 新公开), so the
 * report stays consistent.
 */
export function scaledReport(report: Report, agency = LONG_AGENCY): Report {
  const copy = structuredClone(report) as unknown as Record<string, unknown>;
  const paths = (['table3', 'table4'] as const).flatMap((t) => dataPaths(report.format, t));
  const get = (from: unknown, dotted: string) => dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], from);
  const set = (dotted: string, value: number) => {
    const keys = dotted.split('.');
    const parent = keys.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as Record<string, unknown>;
    parent[keys.at(-1)!] = value;
  };
  if (paths.every((p) => !get(copy, p))) {
    const filled = consistentReport(report.format, sequenceDraw());
    for (const p of paths) set(p, Number(get(filled, p)));
  }
  const max = Math.max(1, ...paths.map((p) => Number(get(copy, p) ?? 0)));
  const factor = Math.floor(999_999 / max);
  for (const p of paths) {
    const value = get(copy, p);
    if (typeof value === 'number') set(p, value * factor);
  }
  // table 二: distinct seven-digit counts below 5 000 000, so a 总数量 of 新公开 + 2 000 000 keeps seven digits
  dataPaths(report.format, 'table2').forEach((p, k) => {
    if (p.endsWith('.amount')) set(p, BIG_MONEY);
    else if (p.endsWith('.total_published')) set(p, Number(get(copy, p.replace(/total_published$/, 'published'))) + 2_000_000);
    else set(p, 1_000_000 + ((k + 1) * 738_917) % 3_999_999);
  });
  (copy.agency as Record<string, unknown>).name = agency;
  // the figures as the example wrote them are not these figures
  delete copy.figureText;
  return copy as unknown as Report;
}

/**
 * Every figure of tables 二, 三 and 四 set to 0, as many townships report: the tables print their
 * narrowest, so the page positions differ from the figures as published.
 */
export function zeroReport(report: Report): Report {
  const copy = structuredClone(report) as unknown as Record<string, unknown>;
  const paths = ['table2', 'table3', 'table4'].flatMap((t) => officialGrid(report.format, t as 'table3').dataCells().map((cell) => cell.path!));
  for (const dotted of paths) {
    const keys = dotted.split('.');
    const parent = keys.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], copy) as Record<string, unknown> | undefined;
    if (parent && typeof parent[keys.at(-1)!] === 'number') parent[keys.at(-1)!] = 0;
  }
  return copy as unknown as Report;
}

/** Text of exactly `lines` body lines for an indented paragraph (all full-width characters, 28 a line). */
export function fillerText(lines: number): string {
  const words = '本机关持续推进政务公开标准化规范化建设不断提升公开质量和实效';
  let text = '';
  const length = lines * PAGE.charsPerLine - 2 - 1;
  while (text.length < length) text += words;
  return text.slice(0, length) + '。';
}

/**
 * The document with a paragraph of `lines` lines added: after the first paragraph of the body (`start`:
 * the tables move through the page positions) or before the last block ahead of the 落款 (`end`: the
 * signature does).
 */
export function grown(doc: ReportDocument, lines: number, where: 'start' | 'end' = 'start'): ReportDocument {
  if (lines === 0) return doc;
  const blocks: Block[] = [...doc.blocks];
  const at = where === 'start' ? blocks.findIndex((block) => block.kind === 'paragraph') + 1 : blocks.findIndex((block) => block.kind === 'signature') - 1;
  blocks.splice(at, 0, { kind: 'paragraph', indent: true, text: fillerText(lines) });
  return { ...doc, blocks };
}

export interface StressVariant {
  readonly name: string;
  readonly doc: ReportDocument;
}

/**
 * The variants: for each chosen example, the narrative grown by 0…`lines` lines (a full page by
 * default) at the start and at the end, every `step`-th growth kept (`startStep` at the start); as published and scaled (6-digit
 * figures, long name), and with every table figure 0 when `zero` is set.
 */
export function stressVariants(options: { examples?: readonly string[]; lines?: number; step?: number; startStep?: number; scaled?: boolean; zero?: boolean } = {}): StressVariant[] {
  const out: StressVariant[] = [];
  const lines = options.lines ?? PAGE.linesPerPage;
  const step = options.step ?? 1;
  for (const [file, report] of exampleReports()) {
    if (options.examples && !options.examples.some((e) => file.includes(e))) continue;
    const kinds: [string, Report][] = [['as published', report]];
    if (options.scaled !== false) kinds.push(['6-digit figures, 7-digit table 二, long name', scaledReport(report)]);
    if (options.zero) kinds.push(['all zero', zeroReport(report)]);
    for (const [kind, variant] of kinds) {
      const doc = buildDocument(variant);
      for (const where of ['start', 'end'] as const) {
        const by = where === 'start' ? (options.startStep ?? step) : step;
        for (let n = where === 'start' ? 0 : 1; n <= lines; n += by) out.push({ name: `${file} ${kind} +${n} lines at the ${where}`, doc: grown(doc, n, where) });
      }
    }
  }
  return out;
}

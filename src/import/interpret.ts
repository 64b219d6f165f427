/**
 * The shared interpretation of a read document: title → agency and year, the tables → edition and
 * figures (through the one label mapping, labels.ts), the text → the contract's narrative sections
 * by the official headings. A figure is kept as printed; a cell that cannot be read becomes a marker
 * with its source place, never a guessed number.
 */
import { EDITION_IDS, editionForYear, OVERVIEW_TOPICS, SECTIONS, TITLE_SUFFIX, type EditionId } from '../format/official.js';
import { editionFromLabels, isHeaderText, labelIndex, matchRow, normalizeLabel, type OfficialRow } from './labels.js';
import { cleanText, describePlace, type SourceCell, type SourceDocument, type SourcePlace } from './source.js';
import type { Narrative, OverviewTopics } from '../format/report.js';

/** The marker written for a cell that could not be read: text, so `check` rejects it (CELL-TYPE). */
export const UNREADABLE = '？无法读取';

export type Figure = number | string;

export interface ImportNote {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly place?: SourcePlace;
  /** the contract path concerned, e.g. applications.received.3 */
  readonly path?: string;
}

export interface ImportedReport {
  readonly edition: EditionId;
  readonly year?: number;
  readonly agency?: string;
  readonly date?: string;
  readonly narrative: Narrative;
  /** every figure by contract path (applications.received.3); markers for unreadable cells */
  readonly figures: ReadonlyMap<string, Figure>;
  readonly notes: readonly ImportNote[];
}

/** A figure as printed: a plain number becomes a number, anything else stays text for `check` to name. */
export function parseFigure(printed: string, unit?: string): Figure {
  // figures split by a space or line break (two <p> in a cell) are not one number
  if (/\d[\s\u00a0\u3000]+\d/.test(printed.trim())) return cleanText(printed);
  let text = printed.normalize('NFKC').replace(/[\s\u200b\ufeff]+/g, '');
  if (unit && text.endsWith(unit) && text.length > unit.length) text = text.slice(0, -unit.length);
  if (/^-?\d+(\.\d+)?$/.test(text) && Number.isSafeInteger(Math.trunc(Number(text)))) return Number(text);
  return cleanText(printed);
}

const CJK = '[\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f“”‘’]';
/** Spaces a browser or PDF puts between Chinese characters (source line breaks) are not the author's. */
const tidy = (text: string) => cleanText(text).replace(new RegExp(`(?<=${CJK}) +| +(?=${CJK})`, 'g'), '');

const TITLE = new RegExp(`^(.*?)(\\d{4})年度?${TITLE_SUFFIX}$`);

interface TextLine {
  readonly text: string;
  readonly align?: 'right';
}

/**
 * The title: one to three lines among the first few, naming the agency before the year. The fewest
 * lines win, so a CMS page's breadcrumbs above the title are not taken for the agency's name.
 */
function findTitle(lines: readonly TextLine[]): { agency?: string; year?: number; used: number } {
  const starts = Math.min(8, lines.length);
  for (let length = 1; length <= 3; length++) {
    for (let start = 0; start < starts && start + length <= lines.length; start++) {
      const joined = lines.slice(start, start + length).map((l) => l.text.replace(/\s+/g, '')).join('');
      const m = TITLE.exec(joined);
      if (m && m[1] && !/[>》|｜：:]/.test(m[1])) return { agency: m[1], year: Number(m[2]), used: start + length };
    }
  }
  for (let start = 0; start < starts; start++) {
    const m = TITLE.exec(lines[start].text.replace(/\s+/g, ''));
    if (m) return { year: Number(m[2]), used: start + 1 };
  }
  return { used: 0 };
}

/** A CMS page's article information under the title (发布时间、来源、浏览次数 …) is not the report's text. */
const PAGE_INFO = /^(?:发布时间|发布日期|信息来源|来源|浏览次数|访问量|阅读次数|字号|【字体|打印本页|关闭窗口)/;

function sectionOf(text: string, expected: number): number | undefined {
  const norm = normalizeLabel(text);
  for (const section of SECTIONS) {
    if (section.no < expected) continue;
    if (norm === normalizeLabel(section.heading)) return section.no;
    // a heading printed a little differently (四、政府信息公开行政复议行政诉讼情况): its number, short, no sentence
    if (section.no === expected && text.startsWith(section.heading.slice(0, 2)) && norm.length <= 30 && !/[。；]/.test(text)) return section.no;
  }
  return undefined;
}

function overviewOf(paragraphs: readonly string[]): string | OverviewTopics | undefined {
  if (paragraphs.length === 0) return undefined;
  // the five topics as headings of their own, in order, the first paragraph being one; else one text
  const found = OVERVIEW_TOPICS.map((t) => ({ key: t.key, at: paragraphs.findIndex((p) => normalizeLabel(p) === normalizeLabel(t.heading)) })).filter((t) => t.at >= 0);
  const inOrder = found.length > 0 && found[0].at === 0 && found.every((t, k) => k === 0 || t.at > found[k - 1].at);
  if (!inOrder) return paragraphs.join('\n');
  const topics: OverviewTopics = {};
  found.forEach((t, k) => {
    const body = paragraphs.slice(t.at + 1, k + 1 < found.length ? found[k + 1].at : undefined);
    if (body.length > 0) topics[t.key] = body.join('\n');
  });
  return topics;
}

const DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;

function narrativeOf(lines: readonly TextLine[], agency: string | undefined): { narrative: Narrative; date?: string; sectionsFound: number } {
  const parts = new Map<number, string[]>(); // 0 = preface
  let current = 0;
  let expected = 1;
  for (const line of lines) {
    const no = sectionOf(line.text, expected);
    if (no !== undefined) {
      current = no;
      expected = no + 1;
      parts.set(no, parts.get(no) ?? []);
      continue;
    }
    const list = parts.get(current) ?? [];
    list.push(tidy(line.text));
    parts.set(current, list);
  }
  // 落款 at the very end: the agency's name and the date, right-aligned
  const last = parts.get(current) ?? [];
  let date: string | undefined;
  for (let k = 0; k < 3 && last.length > 0; k++) {
    const text = last.at(-1)!;
    const m = DATE.exec(text.replace(/\s+/g, ''));
    if (m && !date) {
      date = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
      last.pop();
    } else if ((agency && normalizeLabel(text) === normalizeLabel(agency)) || (text.length <= 30 && !/[。，；]/.test(text) && lines.at(-(k + 1))?.align === 'right')) {
      last.pop();
    } else break;
  }
  const joined = (no: number) => {
    const list = parts.get(no);
    return list && list.length > 0 ? list.join('\n') : undefined;
  };
  const narrative: Narrative = {};
  const preface = joined(0);
  if (preface) narrative.preface = preface;
  const overview = overviewOf(parts.get(1) ?? []);
  if (overview) narrative.overview = overview;
  const problems = joined(5);
  if (problems) narrative.problems = problems;
  const other = joined(6);
  if (other) narrative.other = other;
  return { narrative, date, sectionsFound: [...parts.keys()].filter((k) => k > 0).length };
}

const rowName = (row: OfficialRow) => row.labels.join('·');

/** Maps every table row through the official labels; fills figures and notes. */
function tablesOf(doc: SourceDocument, edition: EditionId, figures: Map<string, Figure>, notes: ImportNote[]): void {
  const index = labelIndex(edition);
  const found = new Map<string, SourcePlace>(); // official row label → where it was read
  const crossEdition = new Set<string>(); // contract paths filled by a row of the other edition

  const put = (row: OfficialRow, read: readonly SourceCell[], labelPlace: SourcePlace, placed?: readonly SourceCell[]) => {
    // a PDF row with blank cells: its figures placed by column, when that gives the official count
    const values = read.length !== row.cells.length && placed?.length === row.cells.length ? placed : read;
    const key = `${row.table}/${row.label}`;
    if (found.has(key)) {
      notes.push({ severity: 'warning', message: `「${rowName(row)}」这一行出现了两次，只读取了第一次（${describePlace(found.get(key)!)}）`, place: labelPlace });
      return;
    }
    found.set(key, labelPlace);
    let cells = [...values];
    while (cells.length > row.cells.length && cleanText(cells.at(-1)!.text) === '') cells.pop();
    const lengthWrong = cells.length !== row.cells.length;
    if (lengthWrong) {
      notes.push({
        severity: 'error',
        message: `「${rowName(row)}」这一行有 ${cells.length} 格数字，官方格式为 ${row.cells.length} 格，无法判断各数字属于哪一列，整行未读取`,
        place: labelPlace,
      });
    }
    row.cells.forEach((cell, i) => {
      const source = cells[i];
      if (lengthWrong || !source || source.unreadable) {
        figures.set(cell.path!, UNREADABLE);
        if (source?.unreadable && !lengthWrong) notes.push({ severity: 'error', message: `「${rowName(row)}」一格${source.unreadable}`, place: source.place, path: cell.path });
        return;
      }
      figures.set(cell.path!, parseFigure(source.text, cell.unit));
    });
  };

  let table4Seen = false;
  for (const block of doc.blocks) {
    if (block.kind !== 'table') continue;
    for (const [rowIndex, cells] of block.rows.entries()) {
      const placed = block.placed?.get(rowIndex);
      if (cells.some((c) => index.table4Headers.has(normalizeLabel(c.text)) && !isHeaderText(c.text, ['table2', 'table3']))) {
        table4Seen = true;
        continue;
      }
      let matched = false;
      const label = (i: number) => /\p{Script=Han}/u.test(cells[i].text);
      for (let i = 0; i < cells.length && !matched; i++) {
        const row = label(i) ? matchRow(edition, cells[i].text) : undefined;
        if (row) {
          put(row, cells.slice(i + 1), cells[i].place, placed);
          matched = true;
        }
      }
      // a row only the other edition has (a 2021 report printing （六）其他处理 as one row): kept as printed
      for (let i = 0; i < cells.length && !matched; i++) {
        for (const other of EDITION_IDS) {
          const foreign = other === edition || !label(i) ? undefined : matchRow(other, cells[i].text);
          if (foreign && foreign.table === 'table3' && !cells.slice(i + 1).some((_, k) => label(i + 1 + k))) {
            notes.push({ severity: 'warning', message: `「${rowName(foreign)}」是 ${other} 版格式的行，${edition} 版格式没有这一行：照原样导入，由 check 指出`, place: cells[i].place });
            put(foreign, cells.slice(i + 1), cells[i].place, placed);
            for (const c of foreign.cells) crossEdition.add(c.path!.replace(/\.\d+$/, ''));
            matched = true;
            break;
          }
        }
      }
      const figuresOnly = cells.length > 0 && cells.every((c) => !/\p{Script=Han}/u.test(c.text) || /^[\d\s.\-万元/]*$/u.test(c.text));
      if (!matched && figuresOnly && (table4Seen || cells.length === index.table4.cells.length)) {
        put(index.table4, cells, cells[0].place, placed);
        table4Seen = false;
      }
    }
  }
  // every official row not found: its cells are markers, never zeros
  for (const row of [...index.rows.values(), index.table4].filter((r, i, all) => all.indexOf(r) === i)) {
    if (found.has(`${row.table}/${row.label}`)) continue;
    const parent = row.cells[0].path!.replace(/\.\d+$/, '').replace(/\.[a-z_]+$/, '');
    if ([...crossEdition].some((p) => p === parent)) continue;
    for (const cell of row.cells) figures.set(cell.path!, UNREADABLE);
    notes.push({ severity: 'error', message: `没有找到「${row.table === 'table4' ? '表四 行政复议、行政诉讼' : rowName(row)}」这一行，其数字未导入` });
  }
}

/** Interprets a read document as a report of the contract. */
export function interpret(doc: SourceDocument): ImportedReport {
  const notes: ImportNote[] = [];
  const lines: TextLine[] = doc.blocks.flatMap((b) => (b.kind === 'text' && cleanText(b.text) !== '' ? [{ text: cleanText(b.text), ...(b.align ? { align: b.align } : {}) }] : []));
  const title = findTitle(lines);
  if (title.year === undefined) notes.push({ severity: 'error', message: `没有找到标题「某某机关某年${TITLE_SUFFIX}」，无法确定机关名称和年度` });
  const labels = doc.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.flatMap((r) => r.map((c) => c.text)) : []));
  const byLabels = editionFromLabels(labels);
  const byYear = title.year !== undefined ? editionForYear(title.year) : undefined;
  const edition = byLabels ?? byYear ?? '2021';
  if (byLabels && byYear && byLabels !== byYear) {
    notes.push({ severity: 'warning', message: `表格是 ${byLabels} 版格式，而 ${title.year} 年度应使用 ${byYear} 版：照表格导入，由 check 指出` });
  }
  const body = lines.slice(title.used);
  while (body.length > 0 && PAGE_INFO.test(body[0].text)) body.shift();
  const { narrative, date, sectionsFound } = narrativeOf(body, title.agency);
  if (sectionsFound < SECTIONS.length) notes.push({ severity: 'warning', message: `正文只找到 ${sectionsFound} 个官方标题（一、总体情况 … 六、其他需要报告的事项），未找到的部分没有导入` });
  const figures = new Map<string, Figure>();
  tablesOf(doc, edition, figures, notes);
  return { edition, ...(title.year !== undefined ? { year: title.year } : {}), ...(title.agency ? { agency: title.agency } : {}), ...(date ? { date } : {}), narrative, figures, notes };
}

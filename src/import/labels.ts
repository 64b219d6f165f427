/**
 * The one mapping from printed table labels to the contract, shared by the HTML, docx and PDF readers.
 * Everything comes from the official grids (src/format/official.ts) and format/label-variants.yaml:
 * no label is written here. Matching forgives what printing changes (whitespace, full/half-width
 * brackets, digits and punctuation, quotes, 1、/1. numbering) and the listed variants, never a
 * different row: the index refuses to build if two rows of one edition would read alike.
 */
import { EDITION_IDS, officialGrid, type EditionId, type TableId } from '../format/official.js';
import { readFormatFile } from '../format/data-files.js';
import type { GridCell } from '../format/grid.js';

/** A printed label reduced to what identifies it. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b\ufeff]+/g, '')
    .replace(/[“”"'‘’「」『』]/g, '')
    .replace(/^(\d+)[、.,]/, '$1.')
    .replace(/[:：。]+$/, '');
}

/** A body row of an official table: its label and the data cells it holds, left to right. */
export interface OfficialRow {
  readonly edition: EditionId;
  readonly table: TableId;
  /** the row's most specific label as printed officially, e.g. 1.属于国家秘密 */
  readonly label: string;
  /** every label left of the figures, outermost first (for messages) */
  readonly labels: readonly string[];
  readonly cells: readonly GridCell[];
}

export interface LabelIndex {
  readonly edition: EditionId;
  /** rows with a label (表二, 表三), by normalized label and variant */
  readonly rows: ReadonlyMap<string, OfficialRow>;
  /** 表四's one row of figures */
  readonly table4: OfficialRow;
  /** normalized header labels only this edition prints (e.g. 本年制发件数 for 2021) */
  readonly ownHeaders: ReadonlySet<string>;
  /** normalized labels of every header cell of 表四 */
  readonly table4Headers: ReadonlySet<string>;
}

let variants: Record<string, string[]> | undefined;
const variantsOf = (label: string): string[] => (variants ??= readFormatFile<Record<string, string[]>>('label-variants.yaml'))[label] ?? [];

function officialRows(edition: EditionId, table: TableId): OfficialRow[] {
  const grid = officialGrid(edition, table);
  const out: OfficialRow[] = [];
  for (let r = 0; r < grid.rowCount; r++) {
    const cells = grid.rows[r].filter((c) => c.role === 'data');
    if (cells.length === 0) continue;
    const labels = grid.describe(cells[0]).row;
    out.push({ edition, table, label: labels.at(-1) ?? '', labels, cells });
  }
  return out;
}

function headerTexts(edition: EditionId, table: TableId): Set<string> {
  const grid = officialGrid(edition, table);
  return new Set(grid.rows.flat().filter((c) => c.role === 'header' || c.role === 'block').map((c) => normalizeLabel(c.text ?? '')));
}

const indexes = new Map<EditionId, LabelIndex>();

export function labelIndex(edition: EditionId): LabelIndex {
  const cached = indexes.get(edition);
  if (cached) return cached;
  const rows = new Map<string, OfficialRow>();
  for (const row of [...officialRows(edition, 'table2'), ...officialRows(edition, 'table3')]) {
    for (const text of [row.label, ...variantsOf(row.label)]) {
      const key = normalizeLabel(text);
      const other = rows.get(key);
      // a variant equal to another row's own label is dropped; two official labels alike is a data error
      if (other && other !== row) {
        if (text === row.label && normalizeLabel(other.label) === key) throw new Error(`format/: 表格行「${row.label}」与「${other.label}」无法区分`);
        if (text !== row.label) continue;
      }
      rows.set(key, row);
    }
  }
  const others = EDITION_IDS.filter((e) => e !== edition).map((e) => headerTexts(e, 'table2'));
  const ownHeaders = new Set([...headerTexts(edition, 'table2')].filter((h) => !others.some((o) => o.has(h))));
  const index: LabelIndex = { edition, rows, table4: officialRows(edition, 'table4')[0], ownHeaders, table4Headers: headerTexts(edition, 'table4') };
  indexes.set(edition, index);
  return index;
}

/** The official row a printed label names in an edition, if any. */
export function matchRow(edition: EditionId, printed: string): OfficialRow | undefined {
  return labelIndex(edition).rows.get(normalizeLabel(printed));
}

/** Tells which edition a set of printed labels belongs to, from the headers only one edition prints. */
export function editionFromLabels(printed: Iterable<string>): EditionId | undefined {
  const seen = new Set([...printed].map(normalizeLabel));
  const hits = EDITION_IDS.filter((e) => [...labelIndex(e).ownHeaders].some((h) => seen.has(h)));
  return hits.length === 1 ? hits[0] : undefined;
}

let headers: Map<TableId, Set<string>> | undefined;

/** Whether a printed text is a column header or block title (第二十条第（一）项) of the given tables, any edition. */
export function isHeaderText(printed: string, tables: readonly TableId[] = ['table2', 'table3', 'table4']): boolean {
  headers ??= new Map(
    (['table2', 'table3', 'table4'] as const).map((t) => [t, new Set(EDITION_IDS.flatMap((e) => [...headerTexts(e, t)]))]),
  );
  const norm = normalizeLabel(printed);
  return tables.some((t) => headers!.get(t)!.has(norm));
}

/** 表三's column headers over its figures, left to right (自然人 … 总计), normalized: the same in both editions. */
export function table3ColumnHeaders(): string[] {
  const grid = officialGrid('2021', 'table3');
  const first = grid.dataCells().filter((c) => c.row === grid.dataCells()[0].row);
  return first.map((c) => normalizeLabel(grid.describe(c).column.at(-1) ?? ''));
}

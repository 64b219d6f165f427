/**
 * The official format, read from the data files in format/: editions, table grids, section headings.
 * Everything the product prints as an official label comes from here, so a change of the official
 * format is an edit of format/*.yaml and nothing else.
 */
import path from 'node:path';
import { Grid, GridError, type CellRole, type GridCell } from './grid.js';
import { readFormatFile } from './data-files.js';

export type EditionId = '2019' | '2021';
export const EDITION_IDS: readonly EditionId[] = ['2019', '2021'];
export type TableId = 'table2' | 'table3' | 'table4';
export const TABLE_IDS: readonly TableId[] = ['table2', 'table3', 'table4'];

export interface Edition {
  readonly id: EditionId;
  /** 发文字号, e.g. 国办公开办函〔2021〕30号 */
  readonly notice: string;
  readonly noticeTitle: string;
  readonly formatName: string;
  readonly years: { readonly from: number; readonly to?: number };
  readonly tables: Readonly<Record<TableId, string>>;
}

export interface Section {
  readonly no: number;
  readonly heading: string;
  readonly kind: 'text' | 'table';
  readonly table?: TableId;
}

export interface OverviewTopic {
  readonly key: 'active' | 'on_request' | 'management' | 'platforms' | 'oversight';
  readonly heading: string;
}

/** A body row's short name for narrative placeholders (`{{三.一.总计}}`), keyed by its first data cell. */
export interface RowRef {
  readonly table: TableId;
  readonly ref: string;
  /** contract path of the row's figures, without the column index */
  readonly path: string;
}

interface RawCell {
  text?: string;
  data?: string;
  cs?: number;
  rs?: number | Record<string, number>;
  role?: CellRole;
  unit?: string;
}
interface RawRow {
  cells?: RawCell[];
  values?: string | string[];
  only?: string;
  ref?: string;
}
interface RawTable {
  id: string;
  columns: number;
  headerRows: number;
  rows: (RawCell[] | RawRow)[];
}

const editions: Record<EditionId, Edition> = (() => {
  const raw = readFormatFile<Record<string, { notice: string; notice_title: string; format_name: string; years: Edition['years']; tables: Record<TableId, string> }>>('editions.yaml');
  const out = {} as Record<EditionId, Edition>;
  for (const id of EDITION_IDS) {
    const e = raw[id];
    out[id] = { id, notice: e.notice, noticeTitle: e.notice_title, formatName: e.format_name, years: e.years, tables: e.tables };
  }
  return out;
})();

const sectionsFile = readFormatFile<{ sections: Section[]; overview_topics: OverviewTopic[]; title_suffix: string }>('sections.yaml');

export const SECTIONS: readonly Section[] = sectionsFile.sections;
export const OVERVIEW_TOPICS: readonly OverviewTopic[] = sectionsFile.overview_topics;
/** 政府信息公开工作年度报告: the title is {机关}{年}年 + this. */
export const TITLE_SUFFIX: string = sectionsFile.title_suffix;

export function edition(id: EditionId): Edition {
  return editions[id];
}

/** The edition a report year must use: 2019–2020 → 2019, 2021 onward → 2021. */
export function editionForYear(year: number): EditionId | undefined {
  return EDITION_IDS.find((id) => {
    const { from, to } = editions[id].years;
    return year >= from && (to === undefined || year <= to);
  });
}

/** Number of figures a `values` path expands to, by the last grid columns left in the row. */
function expandValues(values: string | string[], firstCol: number, columns: number): { path: string; count: number }[] {
  const list = Array.isArray(values) ? values : [values];
  const count = (columns - firstCol) / list.length;
  if (!Number.isInteger(count)) throw new GridError(`values ${list.join(', ')} 无法均分剩余的 ${columns - firstCol} 列`);
  return list.map((p) => ({ path: p, count }));
}

function buildTable(file: string, editionId: EditionId): { grid: Grid; refs: RowRef[] } {
  const raw = readFormatFile<RawTable>(path.join('tables', `${file}.yaml`));
  const tableId = raw.id as TableId;
  const occupied: number[][] = []; // occupied[r] = columns covered by spans from earlier rows
  const rows: GridCell[][] = [];
  const refs: RowRef[] = [];
  const bodyRows = raw.rows
    .map((row) => (Array.isArray(row) ? { cells: row } : row))
    .filter((row) => row.only === undefined || row.only === editionId);

  bodyRows.forEach((row, r) => {
    const taken = occupied[r] ?? [];
    let col = 0;
    const nextFree = () => {
      while (taken.includes(col)) col++;
    };
    const cells: GridCell[] = [];
    const place = (partial: Omit<GridCell, 'row' | 'col'>) => {
      nextFree();
      const cell: GridCell = { row: r, col, ...partial };
      cells.push(cell);
      for (let dr = 1; dr < cell.rowSpan; dr++) (occupied[r + dr] ??= []).push(...range(col, cell.colSpan));
      col += cell.colSpan;
    };
    for (const c of row.cells ?? []) {
      const rowSpan = typeof c.rs === 'object' ? c.rs[editionId] : (c.rs ?? 1);
      if (rowSpan === undefined) throw new GridError(`${file}: 第${r + 1}行的跨行数没有 ${editionId} 版的值`);
      const colSpan = c.cs ?? 1;
      if (c.data !== undefined) {
        place({ rowSpan, colSpan, role: 'data', path: c.data, ...(c.unit ? { unit: c.unit } : {}) });
      } else {
        place({ rowSpan, colSpan, role: c.role ?? 'label', text: c.text ?? '' });
      }
    }
    if (row.values !== undefined) {
      nextFree();
      const groups = expandValues(row.values, col, raw.columns);
      if (row.ref !== undefined && groups.length === 1) refs.push({ table: tableId, ref: row.ref, path: groups[0].path });
      for (const g of groups) for (let i = 0; i < g.count; i++) place({ rowSpan: 1, colSpan: 1, role: 'data', path: `${g.path}.${i}` });
    }
    rows.push(cells);
  });
  // Spans written as 1 are noise in the data; the grid model rejects them to keep the files minimal.
  for (const row of raw.rows) {
    for (const c of Array.isArray(row) ? row : (row.cells ?? [])) {
      if (c.cs === 1 || c.rs === 1) throw new GridError(`${file}: 跨度 1 不必写出（${c.text ?? c.data}）`);
    }
  }
  return { grid: new Grid(tableId, raw.columns, raw.headerRows, rows), refs };
}

function range(start: number, length: number): number[] {
  return Array.from({ length }, (_, i) => start + i);
}

const tableCache = new Map<string, { grid: Grid; refs: RowRef[] }>();

function loadTable(editionId: EditionId, table: TableId) {
  const key = `${editionId}/${table}`;
  let entry = tableCache.get(key);
  if (!entry) {
    entry = buildTable(editions[editionId].tables[table], editionId);
    tableCache.set(key, entry);
  }
  return entry;
}

/** The official grid of a table in an edition (label cells and data cells bound to contract paths). */
export function officialGrid(editionId: EditionId, table: TableId): Grid {
  return loadTable(editionId, table).grid;
}

/** The short row names of a table, for narrative placeholders. */
export function rowRefs(editionId: EditionId, table: TableId): readonly RowRef[] {
  return loadTable(editionId, table).refs;
}

type FoundCell = { table: TableId; grid: Grid; cell: GridCell };

/** An edition's data cells by contract path, and how many figures each row of figures holds. */
interface EditionIndex {
  readonly cells: ReadonlyMap<string, FoundCell>;
  readonly rowLengths: ReadonlyMap<string, number>;
}
const indexes = new Map<EditionId, EditionIndex>();

/**
 * Each edition's data cells indexed once: the checks ask about every figure of every report (a scan of the
 * grids per question was most of a report's check).
 */
function editionIndex(editionId: EditionId): EditionIndex {
  let index = indexes.get(editionId);
  if (!index) {
    const cells = new Map<string, FoundCell>();
    const rowLengths = new Map<string, number>();
    for (const table of TABLE_IDS) {
      const grid = officialGrid(editionId, table);
      for (const cell of grid.dataCells()) {
        if (cell.path === undefined) continue;
        if (!cells.has(cell.path)) cells.set(cell.path, { table, grid, cell });
        const row = /^(.+)\.\d+$/.exec(cell.path)?.[1];
        if (row) rowLengths.set(row, (rowLengths.get(row) ?? 0) + 1);
      }
    }
    indexes.set(editionId, (index = { cells, rowLengths }));
  }
  return index;
}

/** Finds the data cell bound to a contract path in an edition, with its table. */
export function findDataCell(editionId: EditionId, dottedPath: string): FoundCell | undefined {
  return editionIndex(editionId).cells.get(dottedPath);
}

/**
 * How many figures an official row holds, by the row's contract path (`applications.received` → 7,
 * `review_litigation.review` → 5); undefined for a path that is no row of figures (`active_disclosure.rules`,
 * whose cells have names).
 */
export function officialRowLength(editionId: EditionId, dottedRow: string): number | undefined {
  return editionIndex(editionId).rowLengths.get(dottedRow);
}

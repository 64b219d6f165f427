/**
 * The HTML tables, read back with a DOM parser and expanded into a grid, reproduce the official
 * grids of FORMAT.md: every label at its official position with its official spans, every figure of
 * a report whose figures are all different at its own place, header rows in <thead>, th/scope by role.
 */
import { describe, expect, it } from 'vitest';
import { EDITION_IDS, officialGrid, TABLE_IDS } from '../../src/format/official.js';
import { buildDocument } from '../../src/model/build-document.js';
import { formatFigure } from '../../src/model/fill.js';
import { figureAt } from '../../src/format/report.js';
import { renderHtml } from '../../src/render/html/index.js';
import { distinctReport } from '../helpers/sample.js';
import { expandTable, parseHtml } from '../helpers/html-grid.js';

// Shape facts stated in FORMAT.md §8, independent of format/*.yaml: rows × columns and data cells.
const SHAPE = {
  '2019': { table2: [18, 5, 22], table3: [26, 10, 161], table4: [4, 15, 15] },
  '2021': { table2: [14, 4, 10], table3: [28, 10, 175], table4: [4, 15, 15] },
} as const;

describe.each(EDITION_IDS)('HTML tables, %s edition', (edition) => {
  const report = distinctReport(edition);
  const document = parseHtml(renderHtml(buildDocument(report)));

  it.each(TABLE_IDS)('%s matches the official grid cell for cell', (table) => {
    const official = officialGrid(edition, table);
    const tables = document.querySelectorAll(`table.${table}`);
    expect(tables).toHaveLength(1);
    const html = expandTable(tables[0] as HTMLTableElement);

    const [rows, columns, dataCells] = SHAPE[edition][table];
    expect(html.slots).toHaveLength(rows);
    for (const line of html.slots) {
      expect(line).toHaveLength(columns);
      expect(line.every(Boolean)).toBe(true);
    }
    expect(html.headRows).toBe(official.headerRows);
    expect(html.cells).toHaveLength(official.rows.flat().length);
    expect(html.cells.filter((c) => c.tag === 'td')).toHaveLength(dataCells);

    for (const cell of official.rows.flat()) {
      const got = html.slots[cell.row][cell.col]!;
      const where = `${table} r${cell.row} c${cell.col}`;
      expect({ where, row: got.row, col: got.col, rowSpan: got.rowSpan, colSpan: got.colSpan }).toEqual({
        where,
        row: cell.row,
        col: cell.col,
        rowSpan: cell.rowSpan,
        colSpan: cell.colSpan,
      });
      expect(got.inHead, where).toBe(cell.row < official.headerRows);
      if (cell.role === 'data') {
        const expected = formatFigure(figureAt(report, cell.path!), cell.unit);
        expect(expected, where).not.toBe('');
        expect({ where, text: got.text, tag: got.tag }).toEqual({ where, text: expected, tag: 'td' });
      } else {
        expect({ where, text: got.text, tag: got.tag }).toEqual({ where, text: cell.text, tag: 'th' });
        const scope = cell.role === 'header' || cell.role === 'block' ? (cell.colSpan > 1 ? 'colgroup' : 'col') : 'row';
        expect(got.scope, where).toBe(scope);
      }
    }
  });

  it('shows every figure exactly once, so no two cells can be swapped unnoticed', () => {
    const shown = [...document.querySelectorAll('td')].map((td) => td.textContent);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it.each(TABLE_IDS)("%s: every figure's headers resolve to header cells of its table naming its official row and column", (table) => {
    const official = officialGrid(edition, table);
    const el = document.querySelector(`table.${table}`) as HTMLTableElement;
    const html = expandTable(el);
    const tds = [...el.querySelectorAll('td')];
    expect(tds).toHaveLength(official.dataCells().length);
    for (const cell of official.dataCells()) {
      const where = `${table} r${cell.row} c${cell.col}`;
      const td = tds.find((t) => html.slots[cell.row][cell.col]!.text === t.textContent && t.closest('tr') === el.querySelectorAll('tr')[cell.row])!;
      expect(td, where).toBeDefined();
      const ids = (td.getAttribute('headers') ?? '').split(/\s+/).filter(Boolean);
      expect(ids.length, where).toBeGreaterThan(0);
      const named = ids.map((id) => {
        const found = document.getElementById(id);
        expect(found, `${where}: ${id}`).not.toBeNull();
        expect(found!.tagName, where).toBe('TH');
        expect(found!.closest('table'), where).toBe(el);
        return found!;
      });
      // the names a clerk reads off the printed table (grid model over format/ data): the block title
      // above, the column headers (outermost first), the row labels to the left
      let block: string | undefined;
      for (let r = cell.row - 1; r >= 0 && block === undefined; r--) {
        const above = official.cellAt(r, cell.col);
        if (above.role === 'block') block = above.text;
      }
      const { row, column } = official.describe(cell);
      const texts = named.map((th) => th.textContent).filter((t, i, all) => i === 0 || all[i - 1] !== t);
      expect(texts, where).toEqual([...(block ? [block] : []), ...column, ...row]);
      // table 二: a block's figures are named by that block's own header cells, in its own row group
      if (table === 'table2') for (const th of named.filter((h) => h.getAttribute('scope') !== 'row')) expect(th.closest('tbody'), where).toBe(td.closest('tbody'));
    }
  });

  it('spans 三、本年度办理结果 over the official number of rows (FORMAT.md §1.4, §2.3)', () => {
    const html = expandTable(document.querySelector('table.table3') as HTMLTableElement);
    const cell = html.cells.find((c) => c.text === '三、本年度办理结果')!;
    expect(cell.rowSpan).toBe(edition === '2019' ? 20 : 22);
    expect(cell.className).toBe('vertical');
  });
});

describe('HTML tables of the seed examples (examples/reports)', async () => {
  const { readdirSync } = await import('node:fs');
  const path = await import('node:path');
  const { checkFile } = await import('../../src/validate/index.js');
  const dir = path.resolve(import.meta.dirname, '../../examples/reports');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

  it('has seed examples of both editions', async () => {
    const editions = new Set<string>();
    for (const f of files) editions.add((await checkFile(path.join(dir, f))).report!.format);
    expect([...editions].sort()).toEqual(['2019', '2021']);
  });

  it.each(files)('%s: every official label and every YAML figure at its place', async (file) => {
    const checked = await checkFile(path.join(dir, file));
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const report = checked.report!;
    const page = parseHtml(renderHtml(buildDocument(report)));
    for (const table of TABLE_IDS) {
      const official = officialGrid(report.format, table);
      const html = expandTable(page.querySelector(`table.${table}`) as HTMLTableElement);
      expect(html.cells).toHaveLength(official.rows.flat().length);
      for (const cell of official.rows.flat()) {
        const got = html.slots[cell.row][cell.col]!;
        const where = `${file} ${table} r${cell.row} c${cell.col}`;
        const text = cell.role === 'data' ? formatFigure(figureAt(report, cell.path!), cell.unit) : cell.text;
        expect({ where, row: got.row, col: got.col, rowSpan: got.rowSpan, colSpan: got.colSpan, text: got.text }).toEqual({
          where,
          row: cell.row,
          col: cell.col,
          rowSpan: cell.rowSpan,
          colSpan: cell.colSpan,
          text,
        });
        if (cell.role === 'data') expect(got.text, where).toMatch(/^-?\d+(\.\d+)?(万元)?$/);
      }
    }
  });
});

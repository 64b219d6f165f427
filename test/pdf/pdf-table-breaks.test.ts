/**
 * Table 三 across a page break at every body row position. pdfmake 0.3.11 loses rows after a break with
 * `verticalAlignment` and inflates rows when a row span crosses a page: the emitter avoids both, and this
 * test proves it by reading the PDF back. Documents push the table down the page in steps of 5.8 pt (title
 * lines at 1.2 × the body pitch, paragraphs at the body pitch), smaller than any row, until the page breaks
 * after each body row in turn; every render must show every label and figure exactly once, in its cell,
 * in table order, inside the 版心, under a repeated header, with no row taller than its lines.
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/index.js';
import { fillGrid } from '../../src/model/fill.js';
import { Grid } from '../../src/format/grid.js';
import { officialGrid, type EditionId } from '../../src/format/official.js';
import type { Block, FilledTable, ReportDocument } from '../../src/model/document.js';
import { LINE_PITCH_PT, TABLE_SIZE } from '../../src/render/layout.js';
import { blocksDocument, distinctReport } from '../helpers/sample.js';
import { horizontalCoverage, readPdf, readTable, textArea, type ReadPdf } from '../helpers/pdf-read.js';

const TITLE_PITCH = LINE_PITCH_PT * 1.2;
const TABLE_PITCH = TABLE_SIZE.table3 * 1.35;

/**
 * A one-column table of `rows` label rows: the only block whose height is off the body's 28.9 pt grid
 * by other than the title's 5.8 pt, so that small offsets (30–60 pt) are reachable too.
 */
function fillerTable(rows: number): Block {
  const cells = Array.from({ length: rows }, (_, r) => [{ row: r, col: 0, rowSpan: 1, colSpan: 1, role: 'label' as const, text: '填充', display: '填充' }]);
  return { kind: 'table', table: 'table2', grid: new Grid('filler', 1, 0, cells) };
}

function offsetDocument(grid: FilledTable, edition: EditionId, titleLines: number, paragraphs: number, fillerRows = 0): ReportDocument {
  const blocks: Block[] = [];
  if (fillerRows > 0) blocks.push(fillerTable(fillerRows));
  if (titleLines > 0) blocks.push({ kind: 'title', lines: Array.from({ length: titleLines }, (_, i) => `填充标题第${'一二三四五六'[i]}行`) });
  for (let i = 0; i < paragraphs; i++) blocks.push({ kind: 'paragraph', indent: true, text: '填充段落，占一行。' });
  blocks.push({ kind: 'table', table: 'table3', grid });
  return blocksDocument('分页测试', blocks, edition);
}

/** How far a document pushes the table down, relative to none (title block: its lines plus one blank line). */
const offsetOf = (titleLines: number, paragraphs: number) => (titleLines > 0 ? titleLines * TITLE_PITCH + LINE_PITCH_PT : 0) + paragraphs * LINE_PITCH_PT;

function expectTableIntact(pdf: ReadPdf, grid: FilledTable): ReturnType<typeof readTable> {
  const read = readTable(pdf, grid);
  const area = textArea();
  // Every body cell reads back exactly as its label or figure: nothing lost, nothing doubled, nothing swapped.
  for (const row of grid.rows.slice(grid.headerRows)) {
    for (const cell of row) expect(read.cells.get(`${cell.row}:${cell.col}`), `row ${cell.row + 1} col ${cell.col + 1}`).toBe(cell.display.replace(/\s+/g, ''));
  }
  expect(read.strays.map((s) => s.str)).toEqual([]);
  // Rows in table order, page by page.
  for (let i = 1; i < read.rows.length; i++) {
    const [a, b] = [read.rows[i - 1], read.rows[i]];
    expect(b.page > a.page || (b.page === a.page && b.y > a.y), `row ${b.row + 1} after row ${a.row + 1}`).toBe(true);
  }
  // No inflated row: between its rules, a row is its tallest cell's lines plus padding.
  for (const row of read.rows) {
    expect(row.bottom - row.top, `row ${row.row + 1} height`).toBeLessThanOrEqual(row.lines * TABLE_PITCH + 4);
    expect(row.bottom - row.top, `row ${row.row + 1} height`).toBeGreaterThanOrEqual(row.lines * TABLE_PITCH + 2);
  }
  // Inside the 版心.
  for (const item of pdf.items.filter((i) => i.y < area.bottom)) {
    expect(item.x).toBeGreaterThanOrEqual(area.left - 0.5);
    expect(item.x + item.width).toBeLessThanOrEqual(area.right + 0.5);
    expect(item.y - item.size).toBeGreaterThanOrEqual(area.top - 0.5);
  }
  // Borders continue and close: on every page the table is on, its first and last horizontal rules span
  // the full width (a stacked span cut by the page break is closed at the foot of the page).
  const width = area.right - area.left;
  for (const page of new Set(read.rows.map((r) => r.page))) {
    const ys = pdf.rules.filter((r) => r.page === page && Math.abs(r.y1 - r.y2) < 0.05 && r.y1 <= area.bottom + 1).map((r) => r.y1);
    const [top, bottom] = [Math.min(...ys), Math.max(...ys)];
    expect(horizontalCoverage(pdf, page, top, area.left, area.right), `top rule on page ${page}`).toBeCloseTo(width, 0);
    expect(horizontalCoverage(pdf, page, bottom, area.left, area.right), `bottom rule on page ${page}`).toBeCloseTo(width, 0);
  }
  // The header repeats complete on every continuation page, and is on the first page too.
  const headerChars = grid.rows
    .slice(0, grid.headerRows)
    .flat()
    .map((c) => c.display.replace(/\s+/g, ''))
    .join('');
  const sortChars = (s: string) => [...s].sort().join('');
  const pages = [...read.headerTextByPage.keys()];
  pages.forEach((page, i) => {
    const above = read.headerTextByPage.get(page)!;
    if (i > 0) expect(sortChars(above), `header on page ${page}`).toBe(sortChars(headerChars));
    else {
      const left = [...above];
      for (const ch of headerChars) {
        const at = left.indexOf(ch);
        expect(at, `header character ${ch} on page ${page}`).toBeGreaterThanOrEqual(0);
        left.splice(at, 1);
      }
    }
  });
  return read;
}

describe.each(['2019', '2021'] as const)('table 三 (%s edition) across a page break', (edition) => {
  const grid = fillGrid(officialGrid(edition, 'table3'), distinctReport(edition));

  it('breaks after every body row in turn and keeps every label and figure, once, in order, in its cell', async () => {
    // Where the rows fall with the table at the top of the page.
    const base = expectTableIntact(await readPdf(await renderPdf(offsetDocument(grid, edition, 0, 0))), grid);
    const area = textArea();
    const firstBody = grid.headerRows;
    const lastRow = grid.rowCount - 1;
    // A page can end after any row that fits on a page with the header: all of them if the table fits on
    // one page (2019: 26 rows), else up to the row where it breaks when it starts at the top of a page
    // (2021's two four-line rows make it taller than the 版心; the rest continue on the next page).
    const fits = base.rows.every((r) => r.page === 1);
    const reachable = fits ? lastRow - 1 : base.rows.filter((r) => r.page === 1).at(-1)!.row;
    expect(reachable).toBeGreaterThanOrEqual(lastRow - 5);
    // A row's bottom edge is its lower rule.
    const bottomOf = (r: number) => {
      const read = base.rows.find((x) => x.row === r)!;
      return read.page > 1 ? Infinity : read.bottom;
    };
    // The filler tables' heights are measured, not predicted: where table 三's first row lands after them.
    const firstRowY = async (doc: ReportDocument) => readTable(await readPdf(await renderPdf(doc)), grid).rows[0].y;
    const fillerOffset = [0];
    for (let f = 1; f <= 2; f++) fillerOffset.push((await firstRowY(offsetDocument(grid, edition, 0, 0, f))) - base.rows[0].y);
    const candidates: { titleLines: number; paragraphs: number; fillerRows: number; offset: number }[] = [];
    for (let fillerRows = 0; fillerRows <= 2; fillerRows++)
      for (let titleLines = 0; titleLines <= 5; titleLines++)
        for (let paragraphs = 0; paragraphs <= 22; paragraphs++)
          candidates.push({ titleLines, paragraphs, fillerRows, offset: fillerOffset[fillerRows] + offsetOf(titleLines, paragraphs) });
    candidates.sort((a, b) => a.offset - b.offset);

    const brokenAfter = new Set<number>();
    const log: string[] = [];
    for (let target = firstBody; target <= reachable; target++) {
      if (brokenAfter.has(target)) continue;
      // Row `target` ends on the page and row `target + 1` does not fit: aim at the middle of that window.
      const low = area.bottom - bottomOf(target + 1);
      const high = area.bottom - bottomOf(target);
      const tries = candidates.filter((c) => c.offset > low - 6 && c.offset < high + 6).sort((a, b) => Math.abs(a.offset - (low + high) / 2) - Math.abs(b.offset - (low + high) / 2));
      for (const c of tries.slice(0, 3)) {
        const pdf = await readPdf(await renderPdf(offsetDocument(grid, edition, c.titleLines, c.paragraphs, c.fillerRows)));
        const read = expectTableIntact(pdf, grid);
        const pages = new Set(read.rows.map((r) => r.page));
        const last = read.rows.filter((r) => r.page === read.rows[0].page).at(-1)!.row;
        if (pages.size > 1) brokenAfter.add(last);
        log.push(`target ${target} window ${low.toFixed(1)}–${high.toFixed(1)} offset ${c.offset.toFixed(1)} → last ${last}`);
        if (last === target) break;
      }
      expect(brokenAfter.has(target), `a page break after row ${target + 1}\n${log.join('\n')}`).toBe(true);
    }
    expect([...brokenAfter].sort((a, b) => a - b)).toEqual(Array.from({ length: reachable - firstBody + 1 }, (_, i) => firstBody + i));
  });
});

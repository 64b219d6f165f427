/**
 * Issue 13: column widths from the content (src/model/column-widths.ts through tableColumnFractions),
 * the same in the three formats, and the shared word breaks of long names (balancedLines).
 */
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/model/build-document.js';
import { contentColumnWidths, textEm } from '../../src/model/column-widths.js';
import type { FilledTable, ReportDocument } from '../../src/model/document.js';
import { TABLE_CELL_PAD_PT, TABLE_RULE_ALLOWANCE_PT, TABLE_SIZE, TEXT_WIDTH_PT, tableColumnFractions, tableColumnWeights } from '../../src/render/layout.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { balancedLines, signatureLines, titleLines, wordBoundaries } from '../../src/render/words.js';
import { all, attr, readDocx } from '../helpers/docx-read.js';
import { exampleReports, LONG_AGENCY, scaledReport } from '../helpers/stress.js';

const examples = exampleReports();
const tablesOf = (doc: ReportDocument) => doc.blocks.flatMap((b) => (b.kind === 'table' ? [{ table: b.table, grid: b.grid }] : []));
const official = (table: string, columns: number) => {
  const weights = tableColumnWeights(table, columns);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
};
/** What a column holds beside its text, in points. */
const inset = (table: string) => 2 * TABLE_CELL_PAD_PT[table as keyof typeof TABLE_CELL_PAD_PT] + TABLE_RULE_ALLOWANCE_PT;

describe('column widths from the content', () => {
  it.each(examples)('%s as published keeps the official proportions', (_file, report) => {
    for (const { table, grid } of tablesOf(buildDocument(report))) {
      const fractions = tableColumnFractions(table, grid);
      official(table, grid.columns).forEach((f, c) => expect(fractions[c]).toBeCloseTo(f, 9));
    }
  });

  it.each(examples)('%s scaled: every figure column holds its widest figure, the table fills the 版心', (_file, report) => {
    const doc = buildDocument(scaledReport(report));
    let widened = 0;
    for (const { table, grid } of tablesOf(doc)) {
      const fractions = tableColumnFractions(table, grid);
      expect(fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const size = TABLE_SIZE[table];
      for (const cell of grid.dataCells()) {
        const width = fractions.slice(cell.col, cell.col + cell.colSpan).reduce((a, b) => a + b, 0) * TEXT_WIDTH_PT;
        expect(width, `${table} ${cell.display}`).toBeGreaterThanOrEqual(textEm(cell.display) * size + inset(table) - 1e-6);
      }
      if (fractions.some((f, c) => f > official(table, grid.columns)[c] + 1e-9)) widened++;
      // the label columns keep five characters a line at least
      if (table === 'table3') for (const c of [1, 2]) expect(fractions[c] * TEXT_WIDTH_PT).toBeGreaterThanOrEqual(5 * size + inset(table) - 1e-6);
    }
    expect(widened).toBeGreaterThan(0);
  });

  it('figures wider than the table share its width in proportion to their need', () => {
    const figure = '999999';
    const cells = Array.from({ length: 4 }, (_, col) => ({ row: 0, col, rowSpan: 1, colSpan: 1, role: 'data' as const, path: `x.${col}`, display: col === 0 ? `${figure}${figure}` : figure }));
    const grid = { columns: 4, rows: [cells] } as unknown as FilledTable;
    const fractions = contentColumnWidths(grid, { weights: [1, 1, 1, 1], widthEm: 10, insetEm: 0.5, labelMinChars: 5, figureMinChars: 2 });
    expect(fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const need = (text: string) => textEm(text) + 0.5;
    expect(fractions[0] / fractions[1]).toBeCloseTo(need(figure + figure) / need(figure), 9);
  });

  it('a figure spanning columns widens the columns it spans together', () => {
    const money = '24252.311082万元';
    const label = { row: 0, col: 0, rowSpan: 1, colSpan: 1, role: 'label' as const, text: '政府集中采购', display: '政府集中采购' };
    const data = { row: 0, col: 1, rowSpan: 1, colSpan: 2, role: 'data' as const, path: 'x', display: money };
    const grid = { columns: 3, rows: [[label, data]] } as unknown as FilledTable;
    const fractions = contentColumnWidths(grid, { weights: [3, 1, 1], widthEm: 20, insetEm: 0.5, labelMinChars: 5, figureMinChars: 2 });
    expect((fractions[1] + fractions[2]) * 20).toBeCloseTo(textEm(money) + 0.5, 9);
    expect(fractions[0] * 20).toBeGreaterThanOrEqual(5.5 - 1e-9);
  });

  it.each(examples)('%s scaled: the docx grid and the HTML <col>s are the shared widths', async (_file, report) => {
    const doc = buildDocument(scaledReport(report));
    const parts = readDocx(await renderDocx(doc));
    const grids = all(parts.xml('word/document.xml'), 'tblGrid').map((g) => all(g, 'gridCol').map((col) => Number(attr(col, 'w'))));
    const html = renderHtml(doc);
    const colgroups = [...html.matchAll(/<colgroup>(.*?)<\/colgroup>/g)].map((m) => [...m[1].matchAll(/width:([\d.]+)%/g)].map((w) => Number(w[1])));
    const tables = tablesOf(doc);
    expect(grids).toHaveLength(tables.length);
    expect(colgroups).toHaveLength(tables.length);
    tables.forEach(({ table, grid }, t) => {
      const fractions = tableColumnFractions(table, grid);
      const total = grids[t].reduce((a, b) => a + b, 0);
      fractions.forEach((f, c) => {
        expect(Math.abs(grids[t][c] - f * total), `docx ${table} column ${c + 1}`).toBeLessThanOrEqual(fractions.length);
        expect(colgroups[t][c], `HTML ${table} column ${c + 1}`).toBeCloseTo(f * 100, 2);
      });
    });
  });
});

describe('long names broken between words, evenly', () => {
  it('a name that fits stays one line', () => {
    expect(titleLines(['红椿镇人民政府', '2020年政府信息公开工作年度报告'])).toEqual(['红椿镇人民政府', '2020年政府信息公开工作年度报告']);
  });

  it.each([
    ['title', titleLines([LONG_AGENCY]), 20],
    ['落款', signatureLines([LONG_AGENCY]), 23],
  ] as const)('%s: the 32-character name takes two even lines, each ending at a word boundary', (_role, lines, measure) => {
    expect(lines.join('')).toBe(LONG_AGENCY);
    expect(lines).toHaveLength(2);
    const boundaries = wordBoundaries(LONG_AGENCY);
    expect(boundaries.has(lines[0].length)).toBe(true);
    for (const line of lines) expect(textEm(line)).toBeLessThanOrEqual(measure);
    expect(Math.abs(lines[0].length - lines[1].length)).toBeLessThanOrEqual(4);
  });

  it('punctuation stays with its word, and the breaks minimise the longest line', () => {
    const lines = balancedLines('中华人民共和国国务院办公厅（政府信息与政务公开办公室）', 20);
    expect(lines).toEqual(['中华人民共和国国务院办公厅', '（政府信息与政务公开办公室）']);
  });

  it('a word longer than a line is cut only where it must be', () => {
    const lines = balancedLines('一'.repeat(25), 20);
    expect(lines.join('')).toBe('一'.repeat(25));
    expect(Math.max(...lines.map(textEm))).toBeLessThanOrEqual(20);
  });
});

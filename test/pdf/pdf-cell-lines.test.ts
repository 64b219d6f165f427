/**
 * A table cell's lines are kept for the process (table.ts), keyed by what they depend on: the table, the
 * cell's role, the widths of the columns it covers, its text and the font. A label met again in a column
 * of another width must be broken for that width, not taken from the earlier table.
 */
import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/format/grid.js';
import type { FilledCell, FilledTable } from '../../src/model/document.js';
import { bundledFontFile, loadFont } from '../../src/render/pdf/fonts.js';
import { breakLines } from '../../src/render/pdf/lines.js';
import { columnWidthsPt, pdfTable } from '../../src/render/pdf/table.js';
import { TABLE_SIZE } from '../../src/render/layout.js';

const LABEL = '本年度办理结果中因申请内容不明确而告知作出更改补充的件数';

function labelTable(): FilledTable {
  const cells: FilledCell[][] = [
    [
      { row: 0, col: 0, rowSpan: 1, colSpan: 1, role: 'label', text: LABEL, display: LABEL },
      { row: 0, col: 1, rowSpan: 1, colSpan: 1, role: 'data', text: '3', display: '3' },
    ],
  ] as unknown as FilledCell[][];
  return new Grid('cell-lines', 2, 0, cells) as unknown as FilledTable;
}

/** The lines the label's cell prints: one inline per line. */
const labelLines = (result: ReturnType<typeof pdfTable>) =>
  ((result.node.table.body[0][0] as { text: { text: string }[] }).text).map((inline) => inline.text);

describe('table cell lines kept for the process', () => {
  const font = loadFont(bundledFontFile('table'));
  const size = TABLE_SIZE.table3;

  it('breaks the same label anew for a column of another width, in either order', () => {
    for (const order of [
      [[0.8, 0.2], [0.3, 0.7]],
      [[0.3, 0.7], [0.8, 0.2]],
    ]) {
      for (const fractions of order) {
        // a fresh grid and a fresh per-render map each time: only the process-wide cache is shared
        const lines = labelLines(pdfTable('table3', labelTable(), font, 'table', 't', fractions));
        expect(lines).toEqual(breakLines(LABEL, font, size, columnWidthsPt('table3', fractions)[0]));
      }
    }
    const wide = labelLines(pdfTable('table3', labelTable(), font, 'table', 't', [0.8, 0.2]));
    const narrow = labelLines(pdfTable('table3', labelTable(), font, 'table', 't', [0.3, 0.7]));
    expect(wide).toHaveLength(1);
    expect(narrow.length).toBeGreaterThan(1);
    expect(narrow.join('')).toBe(LABEL);
  });

  it('gives a later table the same lines as a first one (the cache answers, and answers the same)', () => {
    const first = labelLines(pdfTable('table3', labelTable(), font, 'table', 't', [0.45, 0.55]));
    const again = labelLines(pdfTable('table3', labelTable(), font, 'table', 't', [0.45, 0.55]));
    expect(again).toEqual(first);
    expect(first).toEqual(breakLines(LABEL, font, size, columnWidthsPt('table3', [0.45, 0.55])[0]));
  });
});

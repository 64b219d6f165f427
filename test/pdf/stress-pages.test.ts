/**
 * Issue 13, read back from our PDF: the stress variants of the example reports (test/helpers/stress.ts,
 * the narrative grown a line at a time over a full page, as published and with 6-digit figures and a
 * long agency name, both editions). At every position the 落款 shares its last page with body text and
 * its lines stay together, a table 二 block title never ends a page without its column headers and a
 * row, every figure (six digits in tables 三/四, seven and 24252.311082万元 in table 二) is one word on
 * one line between its column's rules, and the layout is laid out once, as predicted.
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/index.js';
import { MM, PAGE, TEXT_AREA_MM } from '../../src/render/layout.js';
import type { ReportDocument } from '../../src/model/document.js';
import { checkText } from '../../src/validate/index.js';
import { BIG_MONEY, exampleReports, scaledReport, stressVariants } from '../helpers/stress.js';
import { toYaml } from '../helpers/consistent.js';
import { readPdf, type ReadPdf } from '../helpers/pdf-read.js';

const BLOCK_TITLE = /^第二十条第（[一二三四五六七八九十]+）项$/;

/** y below which the page number sits (outside the 版心). */
const TEXT_BOTTOM_PT = (PAGE.marginMm.top + TEXT_AREA_MM.height) * MM;

const variants = stressVariants({ examples: ['红椿', '渠沟'], startStep: 2, zero: true }).map((v) => [v.name, v.doc] as const);

function signatureLines(doc: (typeof variants)[number][1]): readonly string[] {
  const block = doc.blocks.find((b) => b.kind === 'signature');
  if (block?.kind !== 'signature') throw new Error('no signature');
  return block.lines;
}

/** The text items of the 版心 (the page number left out), by page. */
function textOf(pdf: ReadPdf, page: number) {
  return pdf.items.filter((i) => i.page === page && i.str.trim() !== '' && i.y < TEXT_BOTTOM_PT);
}

/** Every figure a table of the document prints, with how many cells print it. */
function figuresOf(doc: ReportDocument): Map<string, number> {
  const counts = new Map<string, number>();
  for (const block of doc.blocks) {
    if (block.kind !== 'table') continue;
    for (const cell of block.grid.dataCells()) counts.set(cell.display, (counts.get(cell.display) ?? 0) + 1);
  }
  return counts;
}

/** The least room kept between a figure and the rules of its cell, in points. */
const CLEARANCE_PT = 0.5;

/**
 * Every figure is one text item (one word on one line: a figure wrapped or cut would read back as two
 * items), and every item showing a figure lies between two vertical rules of its row with room on both
 * sides: no rule crosses it, so it neither leaves its cell nor overlaps its neighbour.
 */
function expectFiguresInCells(pdf: ReadPdf, doc: ReportDocument): void {
  for (const [figure, cells] of figuresOf(doc)) {
    const items = pdf.items.filter((i) => i.str.trim() === figure);
    expect(items.length, `${figure}: one text item per cell printing it (${cells})`).toBeGreaterThanOrEqual(cells);
    for (const item of items) {
      const left = item.x;
      const right = item.x + item.width;
      const middle = item.y - item.size * 0.35;
      const verticals = pdf.rules
        .filter((r) => r.page === item.page && Math.abs(r.x1 - r.x2) < 0.05 && Math.min(r.y1, r.y2) < middle && Math.max(r.y1, r.y2) > middle)
        .map((r) => r.x1);
      const before = Math.max(...verticals.filter((x) => x <= (left + right) / 2));
      const after = Math.min(...verticals.filter((x) => x > (left + right) / 2));
      const where = `${figure} p.${item.page} x ${left.toFixed(1)}–${right.toFixed(1)}, rules ${before.toFixed(1)}/${after.toFixed(1)}`;
      expect(left - before, where).toBeGreaterThanOrEqual(CLEARANCE_PT);
      expect(after - right, where).toBeGreaterThanOrEqual(CLEARANCE_PT);
    }
  }
}

describe('the 落款 and table 二 blocks at every page position (PDF)', () => {
  it('the sweep covers the signature at the top of a page', () => {
    expect(variants.length).toBeGreaterThan(2 * 2 * PAGE.linesPerPage);
  });

  it.each(exampleReports())('the scaled %s passes every check (勾稽关系 and cell types)', (file, report) => {
    const checked = checkText(toYaml(scaledReport(report)), file);
    expect(checked.diagnostics.map((d) => `${d.rule} ${d.message}`)).toEqual([]);
    expect(checked.report).toBeDefined();
  });

  it('the scaled variants hold six-digit figures in tables 三/四, seven digits and BIG_MONEY in table 二', () => {
    const scaled = variants.filter(([name]) => name.includes('6-digit'));
    expect(scaled.length).toBeGreaterThan(PAGE.linesPerPage);
    for (const [, doc] of scaled) {
      const byTable = (table: string) => doc.blocks.flatMap((b) => (b.kind === 'table' && b.table === table ? b.grid.dataCells().map((c) => c.display) : []));
      expect(byTable('table3').some((d) => /^\d{6}$/.test(d))).toBe(true);
      expect(byTable('table4').some((d) => /^\d{5,6}$/.test(d))).toBe(true);
      expect(byTable('table2').some((d) => /^\d{7}$/.test(d))).toBe(true);
      expect(byTable('table2').some((d) => d.startsWith(String(BIG_MONEY)))).toBe(true);
    }
  });

  it.each(variants)('%s', async (_name, doc) => {
    const kinds: string[] = [];
    const bytes = await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) });
    expect(kinds).toEqual(['predicted']);
    const pdf = await readPdf(bytes);
    expectFiguresInCells(pdf, doc);
    // The signature is the end of the last page: its lines (a long name may take two) read back in order.
    const signature = signatureLines(doc).join('');
    const last = textOf(pdf, pdf.pages.length).sort((a, b) => a.y - b.y || a.x - b.x);
    let from = last.length;
    while (from > 0 && last.slice(from).map((i) => i.str.trim()).join('').length < signature.length) from--;
    expect(last.slice(from).map((i) => i.str.trim()).join('')).toBe(signature);
    // two lines of body text above it on the same page (one text item per line)
    expect(from).toBeGreaterThan(1);
    expect(last[from - 2].y).toBeLessThan(last[from - 1].y);
    expect(last[from - 1].y).toBeLessThan(last[from].y);

    // A table 二 block title (第二十条第（X）项) is followed on its page by its column headers and a row.
    const titles = pdf.items.filter((i) => BLOCK_TITLE.test(i.str.trim()));
    expect(titles.length).toBeGreaterThanOrEqual(4);
    for (const title of titles) {
      const below = textOf(pdf, title.page).filter((i) => i.y > title.y + 1).sort((a, b) => a.y - b.y);
      const header = below.find((i) => i.str.trim() === '信息内容');
      expect(header, `${title.str} p.${title.page}`).toBeDefined();
      expect(below.some((i) => i.y > header!.y + 1), `${title.str} p.${title.page}`).toBe(true);
    }
  });
});

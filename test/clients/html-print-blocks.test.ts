/**
 * Chromium's print of the HTML keeps each table 二 block (第二十条第（X）项, its column headers and its
 * rows: one `<tbody class="block">`, `break-inside: avoid`) on one page, and moving a block whole never
 * leaves a half-blank page: table 二 moves a block at a time, not the whole table. Checked
 * on stress variants (test/helpers/stress.ts) whose narrative grows two lines at a time over a full page,
 * so the blocks meet the foot of a page at every position, read back with `pdftotext -bbox`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialGrid } from '../../src/format/official.js';
import { PAGE } from '../../src/render/layout.js';
import { renderHtml } from '../../src/render/html/index.js';
import { stressVariants } from '../helpers/stress.js';
import { pdfWords, type PdfWord } from './helpers/poppler.js';
import { printHtmlPages } from './helpers/chromium-print.js';

const MM = 72 / 25.4;
/** The 版心 of GB/T 9704 in PDF points, from the page geometry of src/render/layout.ts. */
const TEXT_TOP = PAGE.marginMm.top * MM;
const TEXT_BOTTOM = (297 - PAGE.marginMm.bottom) * MM;

const variants = stressVariants({ examples: ['红椿', '渠沟'], step: 2 }).filter((v) => v.name.includes('at the start'));
const printed = new Map<string, PdfWord[]>();
let work = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'nianbao-print-blocks-'));
  const prints = await printHtmlPages(variants.map((v) => renderHtml(v.doc)), work, (i) => `v${i}.pdf`);
  for (const [i, v] of variants.entries()) printed.set(v.name, await pdfWords(prints[i]));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The official texts of table 二's block titles and of its first column header, from format/ data. */
function table2Labels(edition: '2019' | '2021'): { titles: Set<string>; header: string } {
  const grid = officialGrid(edition, 'table2');
  const titles = new Set(grid.rows.flat().flatMap((c) => (c.role === 'block' && c.text ? [c.text] : [])));
  const header = grid.rows.flat().find((c) => c.role === 'header')!.text!;
  return { titles, header };
}

describe('HTML print: table 二 blocks whole, no half-blank page before one', () => {
  it('has variants at every other line position for both editions', () => {
    expect(variants.length).toBeGreaterThanOrEqual(2 * 2 * 11);
  });

  it.each(variants.map((v) => [v.name, v.doc] as const))('%s', (name, doc) => {
    // not the page numbers, told by the words' tops: a word box on the page's last line reaches below the 版心
    const words = printed.get(name)!.filter((w) => w.yMin < TEXT_BOTTOM);
    const { titles, header } = table2Labels(doc.meta.edition);
    const pages = Math.max(...words.map((w) => w.page));
    // each block title is on the page of its column headers and of a row below them
    const shown = words.filter((w) => titles.has(w.text));
    expect(shown.map((w) => w.text).sort()).toEqual([...titles].sort());
    for (const title of shown) {
      const below = words.filter((w) => w.page === title.page && w.yMin > title.yMin + 1).sort((a, b) => a.yMin - b.yMin);
      const head = below.find((w) => w.text === header);
      expect(head, `${title.text} p.${title.page}`).toBeDefined();
      expect(below.some((w) => w.yMin > head!.yMin + 1), `${title.text} p.${title.page}`).toBe(true);
    }
    // a page before one that holds a block is filled at least to half the text block: keeping a block
    // together moved that block (a few rows), never table 二 as a whole
    for (const p of new Set(shown.map((w) => w.page))) {
      if (p === 1) continue;
      const lowest = Math.max(...words.filter((w) => w.page === p - 1).map((w) => w.yMax));
      expect(lowest, `page ${p - 1} of ${pages}`).toBeGreaterThan(TEXT_TOP + (TEXT_BOTTOM - TEXT_TOP) / 2);
    }
  });
});

/**
 * Issue 13 in LibreOffice's rendering of our docx (fonts mapped by test/clients/fontconfig/fonts.conf) and
 * Chromium's print of our HTML:
 * the stress variants of two example reports, one per edition (test/helpers/stress.ts: the narrative
 * grown a line at a time over a full page before the 落款, as published and with 6-digit figures and a
 * long agency name): the docx converted in one soffice call, the HTML printed on A4 by Debian's Chromium,
 * both read back with `pdftotext -bbox`. At every position the 落款 ends the last page below body text,
 * its lines together, and no table 二 block title ends a page without its column headers and a row; in
 * the scaled variants every large figure is one word on one line inside its cell's column edges (the
 * shared column widths), with LibreOffice setting the digits in Liberation Serif (no Windows fonts); the
 * page counts of our PDF, LibreOffice's PDF and Chromium's print differ by one at most. All-zero reports
 * (every table figure 0, as many townships report) are swept too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import type { ReportDocument } from '../../src/model/document.js';
import { MM, PAGE, TEXT_WIDTH_PT, tableColumnFractions } from '../../src/render/layout.js';
import { signatureLines, titleLines, wordBoundaries } from '../../src/render/words.js';
import { LONG_AGENCY, stressVariants } from '../helpers/stress.js';
import { sofficeConvert } from './helpers/soffice.js';
import { printHtmlPages } from './helpers/chromium-print.js';
import { pdfFonts, pdfPageCount, pdfWords, type PdfWord } from './helpers/poppler.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FONTS_CONF = path.join(root, 'test/clients/fontconfig/fonts.conf');
/**
 * The foot of the 版心 (297 − 35 mm): below it only the page number. Words are told apart by their tops:
 * pdftotext's word box is the font's full height (a 3号 word some 42 pt), so the box of a word on the
 * page's last line reaches a little below the 版心 while the page number's box starts below it.
 */
const TEXT_BOTTOM_PT = (297 - 35) * (72 / 25.4);

// (every line position for the reports as published, every other one for the scaled ones, every fifth for
// the all-zero ones: CI time)
const variants = stressVariants({ examples: ['红椿', '渠沟'], startStep: 4, zero: true }).filter(
  (v) => (!v.name.includes('6-digit') || /[02468] lines/.test(v.name)) && (!v.name.includes('all zero') || /[05] lines/.test(v.name)),
);
const BLOCK_TITLE = /^第二十条第（[一二三四五六七八九十]+）项$/;
const words = new Map<string, PdfWord[]>();
/** Page counts of our PDF, LibreOffice's PDF of our docx and Chromium's print of our HTML, by variant. */
const pageCounts = new Map<string, { pdf: number; docx: number; html: number }>();
const printed = new Map<string, PdfWord[]>();
/** the faces of LibreOffice's PDF of one scaled variant */
let scaledFonts: string[] = [];
let work = '';

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'nianbao-stress-lo-'));
  const inputs = await Promise.all(
    variants.map(async (v, i) => {
      const file = path.join(work, `v${i}.docx`);
      writeFileSync(file, await renderDocx(v.doc));
      return file;
    }),
  );
  const { converted } = await sofficeConvert(inputs, work, { fontconfigFile: FONTS_CONF });
  for (const [i, v] of variants.entries()) {
    words.set(v.name, await pdfWords(converted[i].output));
    const ours = path.join(work, `v${i}-ours.pdf`);
    writeFileSync(ours, await renderPdf(v.doc));
    pageCounts.set(v.name, { pdf: await pdfPageCount(ours), docx: await pdfPageCount(converted[i].output), html: 0 });
  }
  scaledFonts = (await pdfFonts(converted[variants.findIndex((v) => v.name.includes('6-digit'))].output)).map((f) => f.name);


  // the same variants as HTML, printed by Debian's Chromium on A4
  const prints = await printHtmlPages(variants.map((v) => renderHtml(v.doc)), work, (i) => `v${i}-print.pdf`);
  for (const [i, v] of variants.entries()) {
    printed.set(v.name, await pdfWords(prints[i]));
    pageCounts.get(v.name)!.html = await pdfPageCount(prints[i]);
  }
}, 900_000); // about 100 LibreOffice conversions and Chromium prints: minutes on a loaded machine

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function signatureText(doc: ReportDocument): string {
  const block = doc.blocks.find((b) => b.kind === 'signature');
  if (block?.kind !== 'signature') throw new Error('no signature');
  return block.lines.join('');
}

/** The 落款 is the end of the last page, below body text. */
function expectSignedBelowText(all: readonly PdfWord[], doc: ReportDocument): void {
  const lastPage = Math.max(...all.map((w) => w.page));
  const last = all.filter((w) => w.page === lastPage && w.yMin < TEXT_BOTTOM_PT).sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
  const signature = signatureText(doc);
  let from = last.length;
  while (from > 0 && last.slice(from).map((w) => w.text).join('').length < signature.length) from--;
  expect(last.slice(from).map((w) => w.text).join('')).toBe(signature);
  // body text above the 落款 on its page
  expect(from).toBeGreaterThan(0);
  expect(last[from - 1].yMax).toBeLessThan(last[from].yMin);
}

/** Every table 二 block title has its column headers (信息内容 …) and a row below it on its page. */
function expectBlocksWhole(all: readonly PdfWord[]): void {
  const titles = all.filter((w) => BLOCK_TITLE.test(w.text));
  expect(titles.length).toBeGreaterThanOrEqual(4);
  for (const title of titles) {
    // (word boxes are a line box high and overlap the next row's: compared by their tops)
    const below = all.filter((w) => w.page === title.page && w.yMin > title.yMin + 1 && w.yMin < TEXT_BOTTOM_PT).sort((a, b) => a.yMin - b.yMin);
    const header = below.find((w) => w.text === '信息内容');
    expect(header, `${title.text} p.${title.page}`).toBeDefined();
    expect(below.some((w) => w.yMin > header!.yMin + 1), `${title.text} p.${title.page}`).toBe(true);
  }
}

/** The left edge of the 版心, where every table starts. */
const TEXT_LEFT_PT = PAGE.marginMm.left * MM;

/**
 * Every figure of five characters or more (the ones at risk; shorter ones also occur in the narrative)
 * reads back as whole words — the number one word, a unit after it may be a second — as many times as
 * cells print it, each inside the column edges of a cell printing it (edges from the shared column
 * widths) with room to spare: on one line, inside its cell, clear of its neighbours.
 */
function expectFiguresInColumns(all: readonly PdfWord[], doc: ReportDocument): void {
  const narrative = doc.blocks.map((b) => (b.kind === 'paragraph' ? b.text : '')).join('\n');
  const cellsOf = new Map<string, { left: number; right: number }[]>();
  for (const block of doc.blocks) {
    if (block.kind !== 'table') continue;
    const edges = [TEXT_LEFT_PT];
    for (const f of tableColumnFractions(block.table, block.grid)) edges.push(edges.at(-1)! + f * TEXT_WIDTH_PT);
    for (const cell of block.grid.dataCells()) {
      const number = /^[-\d.]+/.exec(cell.display)?.[0] ?? '';
      if (number.length < 5 || narrative.includes(number)) continue;
      cellsOf.set(number, [...(cellsOf.get(number) ?? []), { left: edges[cell.col], right: edges[cell.col + cell.colSpan] }]);
    }
  }
  expect(cellsOf.size).toBeGreaterThan(20);
  for (const [number, cells] of cellsOf) {
    const found = all.filter((w) => w.text === number || (w.text.startsWith(number) && !/^[-\d.]/.test(w.text.slice(number.length))));
    expect(found.length, `${number}: one word per cell printing it (${cells.length})`).toBe(cells.length);
    for (const word of found) {
      const where = `${number} p.${word.page} x ${word.xMin.toFixed(1)}–${word.xMax.toFixed(1)}`;
      expect(
        cells.some((cell) => word.xMin >= cell.left + 0.5 && word.xMax <= cell.right - 0.5),
        `${where} in none of ${cells.map((c) => `${c.left.toFixed(1)}–${c.right.toFixed(1)}`).join(', ')}`,
      ).toBe(true);
    }
  }
}

describe('the 落款 and table 二 blocks at every page position', () => {
  it('sweeps a full page for both examples, as published and scaled', () => {
    expect(variants.filter((v) => v.name.includes('as published') && v.name.includes('at the end')).length).toBe(2 * 22);
  });

  it.each(variants.map((v) => [v.name, v.doc] as const))('docx in LibreOffice: %s', (name, doc) => {
    expectSignedBelowText(words.get(name)!, doc);
    expectBlocksWhole(words.get(name)!);
  });

  it('sweeps the all-zero reports of both editions too', () => {
    expect(variants.filter((v) => v.name.includes('all zero')).length).toBeGreaterThanOrEqual(2 * 6);
  });

  // one source of page geometry (src/render/layout.ts: line pitch, 28 characters a line, table padding
  // and pitch, space around tables, the 落款's blank line): the three formats end within a page of each other
  it.each(variants.map((v) => [v.name] as const))('page counts of the PDF, the docx in LibreOffice and the HTML print differ by one at most: %s', (name) => {
    const { pdf, docx, html } = pageCounts.get(name)!;
    expect(pdf).toBeGreaterThan(3);
    expect(Math.max(pdf, docx, html) - Math.min(pdf, docx, html), `PDF ${pdf}, docx ${docx}, HTML ${html}`).toBeLessThanOrEqual(1);
  });

  it.each(variants.map((v) => [v.name, v.doc] as const))('HTML printed by Chromium: %s', (name, doc) => {
    expectSignedBelowText(printed.get(name)!, doc);
    expectBlocksWhole(printed.get(name)!);
  });
});

/** The text lines of a page, top to bottom (words whose tops are within 2 pt, joined left to right). */
function pageLines(all: readonly PdfWord[], page: number): string[] {
  const lines: { y: number; words: PdfWord[] }[] = [];
  for (const word of all.filter((w) => w.page === page).sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin)) {
    const line = lines.find((l) => Math.abs(l.y - word.yMin) <= 2);
    if (line) line.words.push(word);
    else lines.push({ y: word.yMin, words: [word] });
  }
  return lines.map((l) => l.words.sort((a, b) => a.xMin - b.xMin).map((w) => w.text).join(''));
}

/**
 * The long agency name is printed on `page` as consecutive whole lines (more than one), each ending at a
 * word boundary of the name, never inside a word, and they are the lines every format shares (`expected`:
 * LibreOffice breaks Chinese at word boundaries by itself, but not at the same ones, and Word anywhere).
 */
function expectNameBrokenBetweenWords(all: readonly PdfWord[], page: number, expected: readonly string[]): void {
  const lines = pageLines(all, page);
  const start = lines.findIndex((line, i) => LONG_AGENCY.startsWith(line) && lines.slice(i).join('').startsWith(LONG_AGENCY));
  expect(start, lines.join(' / ')).toBeGreaterThanOrEqual(0);
  const boundaries = wordBoundaries(LONG_AGENCY);
  let offset = 0;
  let count = 0;
  for (let i = start; offset < LONG_AGENCY.length; i++, count++) {
    offset += lines[i].length;
    expect(offset <= LONG_AGENCY.length && (offset === LONG_AGENCY.length || boundaries.has(offset)), `${lines[i]} (${lines.join(' / ')})`).toBe(true);
  }
  expect(count).toBeGreaterThan(1);
  expect(lines.slice(start, start + count)).toEqual(expected);
}

describe('the long agency name broken only between words (title and 落款)', () => {
  const named = variants.filter((v) => v.name.includes('long name')).map((v) => [v.name, v.doc] as const);

  it.each(named)('docx in LibreOffice: %s', (name) => {
    const all = words.get(name)!;
    expectNameBrokenBetweenWords(all, 1, titleLines([LONG_AGENCY]));
    expectNameBrokenBetweenWords(all, Math.max(...all.map((w) => w.page)), signatureLines([LONG_AGENCY]));
  });

  it.each(named)('HTML printed by Chromium: %s', (name) => {
    const all = printed.get(name)!;
    expectNameBrokenBetweenWords(all, 1, titleLines([LONG_AGENCY]));
    expectNameBrokenBetweenWords(all, Math.max(...all.map((w) => w.page)), signatureLines([LONG_AGENCY]));
  });
});

describe('six- and seven-digit figures and 24252.311082万元 inside their cells', () => {
  const scaled = variants.filter((v) => v.name.includes('6-digit')).map((v) => [v.name, v.doc] as const);

  it('LibreOffice sets the digits in Liberation Serif, the metric twin of Times New Roman (no Windows fonts)', () => {
    expect(scaledFonts.some((name) => name.includes('LiberationSerif'))).toBe(true);
    expect(scaledFonts.some((name) => name.includes('TimesNewRoman'))).toBe(false);
  });

  it.each(scaled)('docx in LibreOffice: %s', (name, doc) => expectFiguresInColumns(words.get(name)!, doc));

  it.each(scaled)('HTML printed by Chromium: %s', (name, doc) => expectFiguresInColumns(printed.get(name)!, doc));
});

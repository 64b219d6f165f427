/**
 * The PDF drawn directly with pdfkit from the predicted layout (src/render/pdf/direct/), read back:
 * where its text stands (the 28-character line, the centred title, the right-aligned 落款, the page
 * numbers on the outer side, the table cells inside their rules), which fonts it embeds, what it says
 * about itself, and that a draft and county fonts give the same pages as pdfmake draws.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/index.js';
import { bundledFontFile, loadFont } from '../../src/render/pdf/fonts.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import { fillGrid } from '../../src/model/fill.js';
import { officialGrid } from '../../src/format/official.js';
import { GRID_CHAR_PT, LINE_PITCH_PT, MM, PAGE, ROLE_SIZE, signatureIndents } from '../../src/render/layout.js';
import { blocksDocument, distinctReport } from '../helpers/sample.js';
import { readPdf, readTable } from '../helpers/pdf-read.js';

const PAGE_WIDTH = 595.28;
const LEFT = PAGE.marginMm.left * MM;
const RIGHT = PAGE_WIDTH - PAGE.marginMm.right * MM;
const TOP = PAGE.marginMm.top * MM;

/** The baseline of a line whose top is `top`: pdfkit sets text one ascender below the top it is given. */
const baseline = (role: 'body' | 'pageNumber', top: number) => {
  const font = loadFont(bundledFontFile(role)).font;
  return top + (font.ascent / font.unitsPerEm) * ROLE_SIZE[role];
};

/** The embedded fonts' names (subset tag + PostScript name), each once. */
const baseFonts = (bytes: Uint8Array) => [...new Set([...Buffer.from(bytes).toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1]))];

const paragraph = (text: string): Block => ({ kind: 'paragraph', indent: true, text });
const filler = (n: number) => Array.from({ length: n }, (_, i) => paragraph(`第${i + 1}段，占一行。`));

describe('the PDF drawn from the predicted layout', () => {
  it('draws with the pdfkit pdfmake uses (one module, so one fontkit that knows our parsed fonts)', () => {
    const here = createRequire(import.meta.url);
    expect(here.resolve('pdfkit')).toBe(createRequire(here.resolve('pdfmake')).resolve('pdfkit'));
    expect(path.basename(path.dirname(path.dirname(here.resolve('pdfkit'))))).toBe('pdfkit');
  });

  const doc = blocksDocument('直接绘制测试', [
    { kind: 'title', lines: ['直接绘制测试'] },
    { kind: 'heading', level: 1, text: '一、总体情况' },
    ...filler(30),
    { kind: 'signature', lines: ['测试镇人民政府', '2025年1月20日'] },
  ]);

  it('sets the lines where the layout says: title centred, body on the pitch, 落款 right-aligned, page numbers outside', async () => {
    const kinds: string[] = [];
    const bytes = await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) });
    expect(kinds).toEqual(['predicted']);
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toHaveLength(2);
    const find = (s: string) => pdf.items.find((i) => i.str === s)!;

    const title = find('直接绘制测试');
    expect(title.page).toBe(1);
    expect(title.x + title.width / 2).toBeCloseTo((LEFT + RIGHT) / 2, 2);

    // 左空二字; each body line one pitch below the one before; page 2 starts at the top of the 版心
    const heading = find('一、总体情况');
    expect(heading.x).toBeCloseTo(LEFT + 2 * GRID_CHAR_PT, 4);
    const lines = pdf.items.filter((i) => i.str.startsWith('第') && i.str.endsWith('占一行。'));
    expect(lines).toHaveLength(30);
    const onPage1 = lines.filter((l) => l.page === 1);
    for (let i = 1; i < onPage1.length; i++) expect(onPage1[i].y - onPage1[i - 1].y).toBeCloseTo(LINE_PITCH_PT, 5);
    const firstOnPage2 = lines.find((l) => l.page === 2)!;
    expect(firstOnPage2.y).toBeCloseTo(baseline('body', TOP), 5);

    // each 落款 line ends its indent (layout.ts signatureIndents) from the right edge of the 版心
    const indents = signatureIndents(['测试镇人民政府', '2025年1月20日']);
    const agency = find('测试镇人民政府');
    const date = find('2025年1月20日');
    expect([agency.page, date.page]).toEqual([2, 2]);
    expect(date.y - agency.y).toBeCloseTo(LINE_PITCH_PT, 5);
    // (a body line is condensed to the 28-character grid: its last character's spacing hangs past the end)
    expect(agency.x + agency.width).toBeCloseTo(RIGHT - indents[0] * GRID_CHAR_PT, 0);
    expect(date.x + date.width).toBeCloseTo(RIGHT - indents[1] * GRID_CHAR_PT, 0);

    // — 1 — on the right of page 1, — 2 — on the left of page 2, 空一字 (a 4号 character) from the 版心's edge,
    // 7 mm below it
    const numbers = pdf.items.filter((i) => /^[—\d\s]+$/.test(i.str) && i.y > 700);
    const byPage = (n: number) => numbers.filter((i) => i.page === n);
    const right = Math.max(...byPage(1).map((i) => i.x + i.width));
    expect(byPage(1).map((i) => i.str).join('').replace(/\s+/g, ' ').trim()).toBe('— 1 —');
    expect(right).toBeCloseTo(RIGHT - ROLE_SIZE.pageNumber, 1);
    expect(Math.min(...byPage(2).map((i) => i.x))).toBeCloseTo(LEFT + ROLE_SIZE.pageNumber, 4);
    const pageNumberTop = 841.89 - PAGE.marginMm.bottom * MM + PAGE.pageNumberBelowTextMm * MM;
    for (const item of numbers) expect(item.y).toBeCloseTo(baseline('pageNumber', pageNumberTop), 5);
  });

  it('embeds each face once, as a subset, and says what made it', async () => {
    const bytes = await renderPdf(doc);
    // title, body (with the page number, the same face), heading 1: one subset each, tagged by pdfkit's font id
    expect(baseFonts(bytes).sort()).toEqual(['BZZZZZ+NotoSerifSC-Bold', 'CZZZZZ+NotoSansSC-Medium', 'DZZZZZ+NotoSerifSC-Regular']);
    expect(Buffer.from(bytes).toString('latin1').match(/\/FontFile2 /g)).toHaveLength(3);
    const pdf = await readPdf(bytes);
    expect(pdf.info).toMatchObject({ Title: '直接绘制测试', Author: '测试镇人民政府', Creator: 'nianbao', Producer: 'nianbao (pdfkit)', Language: 'zh-CN' });
    // compressed content streams
    expect(Buffer.from(bytes).toString('latin1')).toContain('/Filter /FlateDecode');
  });

  it('draws table cells inside their rules, the header repeated on the next page', async () => {
    const grid = fillGrid(officialGrid('2021', 'table3'), distinctReport('2021'));
    const tableDoc = blocksDocument('表格', [...filler(12), { kind: 'table', table: 'table3', grid }]);
    const pdf = await readPdf(await renderPdf(tableDoc));
    const read = readTable(pdf, grid);
    expect(read.strays).toEqual([]);
    expect(new Set(read.rows.map((r) => r.page)).size).toBeGreaterThan(1);
    for (const row of grid.rows.slice(grid.headerRows)) for (const cell of row) expect(read.cells.get(`${cell.row}:${cell.col}`)).toBe(cell.display.replace(/\s+/g, ''));
    for (const page of new Set(read.rows.map((r) => r.page))) expect(read.headerTextByPage.get(page)).toBeDefined();
  });
});

describe('the same pages as pdfmake draws', () => {
  /** Text items and rules of every page, and the information but the Producer. */
  const pagesOf = async (bytes: Uint8Array) => {
    const pdf = await readPdf(bytes);
    const { Producer: _producer, ...info } = pdf.info;
    // (pdfjs names a font after the document it loaded: `g_d5_f3` is font 3 of document 5)
    const pages = pdf.pages.map((page) => ({ ...page, items: page.items.map((item) => ({ ...item, font: item.font.replace(/^g_d\d+_/, '') })) }));
    return { pages, rules: pdf.rules, info };
  };
  const expectSame = async (doc: ReportDocument, options: Parameters<typeof renderPdf>[1] = {}) => {
    const kinds: string[] = [];
    const direct = await renderPdf(doc, { ...options, onLayout: (kind) => kinds.push(kind) });
    expect(kinds).toEqual(['predicted']);
    const pdfmake = await renderPdf(doc, { ...options, layout: 'iterative' });
    expect(await pagesOf(direct)).toEqual(await pagesOf(pdfmake));
    expect(baseFonts(direct)).toEqual(baseFonts(pdfmake));
    return readPdf(direct);
  };
  const grid = fillGrid(officialGrid('2019', 'table3'), distinctReport('2019'));
  const report = blocksDocument('草稿测试', [...filler(8), { kind: 'table', table: 'table3', grid }, { kind: 'signature', lines: ['测试镇人民政府', '2025年1月20日'] }], '2019');

  it('a draft: 草稿 across every page, the problem page at the end', async () => {
    const draft: ReportDocument = { ...report, draft: { problems: [{ id: 'problem-1', rule: 'T3-SUM', severity: 'error', message: '表三合计不符', hint: '核对各项', line: 41, col: 22 }] } };
    const pdf = await expectSame(draft);
    for (const page of pdf.pages) expect(page.items.filter((i) => i.str === '草稿')).toHaveLength(1);
    expect(pdf.items.some((i) => i.str.includes('附：草稿中尚未解决的问题'))).toBe(true);
  });

  it('county fonts: faces given to other roles, and a copy of a face under another name', async () => {
    await expectSame(report, { fonts: { table: bundledFontFile('title'), pageNumber: bundledFontFile('heading1'), heading1: bundledFontFile('body') } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-direct-'));
    try {
      copyFileSync(bundledFontFile('heading1'), path.join(dir, '县里的正文字体.ttf'));
      await expectSame(report, { fonts: { body: '县里的正文字体.ttf', heading2: bundledFontFile('heading1') }, baseDir: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

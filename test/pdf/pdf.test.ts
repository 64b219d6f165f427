/**
 * The PDF emitter, read back with pdfjs: GB/T 9704 page geometry, sizes, line pitch, indents, page
 * numbers, every figure of every table in its place, fonts per role, font errors, determinism, size,
 * and pdfmake's resource-access policies.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import pdfmake from 'pdfmake';
import { renderPdf } from '../../src/render/pdf/index.js';
import { bundledFontFile, loadFont } from '../../src/render/pdf/fonts.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { EDITION_IDS, type EditionId } from '../../src/format/official.js';
import type { Block, FilledTable, ReportDocument } from '../../src/model/document.js';
import { LINE_PITCH_PT, MM, PAGE, SIZE } from '../../src/render/layout.js';
import { blocksDocument, distinctReport, sampleDocument } from '../helpers/sample.js';
import { readPdf, readTable, textArea, visualLines, type ReadPdf } from '../helpers/pdf-read.js';

const area = textArea();
const tableBlock = (doc: ReportDocument, id: string): FilledTable =>
  (doc.blocks.find((b) => b.kind === 'table' && b.table === id) as Extract<Block, { kind: 'table' }>).grid;
/** The PostScript names of the embedded fonts, from the font dictionaries (pdfkit writes them uncompressed). */
const baseFonts = (bytes: Uint8Array) => [...new Set([...Buffer.from(bytes).toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6})\+([\w-]+)/g)].map((m) => m[2]))].sort();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'nianbao-pdf-'));

describe.each(EDITION_IDS)('a sample %s report as PDF', (edition: EditionId) => {
  let doc: ReportDocument;
  let bytes: Uint8Array;
  let pdf: ReadPdf;
  beforeAll(async () => {
    doc = sampleDocument(distinctReport(edition));
    bytes = await renderPdf(doc);
    pdf = await readPdf(bytes);
  });

  it('is A4, small, carries the report as metadata, and embeds the three bundled faces as subsets', () => {
    for (const page of pdf.pages) {
      expect(page.width).toBeCloseTo(PAGE.widthMm * MM, 1);
      expect(page.height).toBeCloseTo(PAGE.heightMm * MM, 1);
    }
    expect(pdf.pages.length).toBeGreaterThanOrEqual(4);
    expect(bytes.length).toBeLessThan(300 * 1024);
    expect(pdf.info.Title).toBe(doc.meta.title);
    expect(pdf.info.Author).toBe(doc.meta.author);
    expect(pdf.info.Language).toBe('zh-CN');
    // the viewer shows the title, not the file name: the catalog's ViewerPreferences (written uncompressed)
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/\/DisplayDocTitle true/);
    expect(baseFonts(bytes)).toEqual(['NotoSansSC-Medium', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
  });

  it('is byte-identical when rendered again, with a fixed date and document ID', async () => {
    const again = await renderPdf(sampleDocument(distinctReport(edition)));
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect(pdf.info.CreationDate).toBe(`D:${doc.meta.year + 1}0101000000Z`);
    const other = await renderPdf(doc, { date: new Date(Date.UTC(2030, 5, 1)) });
    const id = (b: Uint8Array) => /\/ID \[<([0-9a-f]+)>/.exec(Buffer.from(b).toString('latin1'))?.[1];
    expect(id(bytes)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(other)).not.toBe(id(bytes));
  });

  it('keeps all text inside the 版心 and numbers every page — n — on the outer side, 7 mm below it', () => {
    for (const page of pdf.pages) {
      const body = page.items.filter((i) => i.y < area.bottom + 1 && i.str.trim());
      for (const item of body) {
        expect(item.x).toBeGreaterThanOrEqual(area.left - 0.5);
        expect(item.x + item.width).toBeLessThanOrEqual(area.right + 0.5);
        expect(item.y - item.size).toBeGreaterThanOrEqual(area.top - 1);
      }
      const footer = visualLines(page.items.filter((i) => i.y > area.bottom + 1));
      expect(footer.map((l) => l.text.replace(/\s+/g, ' ').trim())).toEqual([`— ${page.number} —`]);
      const line = footer[0];
      expect(line.items[0].size).toBeCloseTo(SIZE.四号, 1);
      // 7 mm below the 版心 to the top of the number's line box; baseline about one ascent lower.
      expect(line.y - area.bottom).toBeGreaterThan(PAGE.pageNumberBelowTextMm * MM);
      expect(line.y - area.bottom).toBeLessThan(PAGE.pageNumberBelowTextMm * MM + SIZE.四号 * 1.3);
      const left = line.items[0].x;
      const right = line.items.at(-1)!.x + line.items.at(-1)!.width;
      // 空一字: one 4号 character from the edge of the 版心, on the outer side.
      if (page.number % 2 === 1) expect(right).toBeCloseTo(area.right - SIZE.四号, 0);
      else expect(left).toBeCloseTo(area.left + SIZE.四号, 0);
    }
  });

  it('sets the title at 二号, body and headings at 三号 on a 28.9 pt pitch, paragraphs indented two characters', () => {
    const lines = visualLines(pdf.items.filter((i) => i.y < area.bottom));
    const title = doc.blocks.find((b) => b.kind === 'title')!;
    expect(title.kind === 'title' && lines.slice(0, 2).map((l) => l.text)).toEqual(title.kind === 'title' && title.lines);
    expect(lines[0].items[0].size).toBeCloseTo(SIZE.二号, 1);
    // the first paragraph: three lines, first indented by two 三号 characters, on the fixed pitch
    const para = lines.slice(2, 5);
    for (const l of para) expect(l.items[0].size).toBeCloseTo(SIZE.三号, 1);
    expect(para[0].items[0].x).toBeCloseTo(area.left + 2 * SIZE.三号, 0);
    expect(para[1].items[0].x).toBeCloseTo(area.left, 0);
    expect(para[1].y - para[0].y).toBeCloseTo(LINE_PITCH_PT, 1);
    expect(para[2].y - para[1].y).toBeCloseTo(LINE_PITCH_PT, 1);
    const heading = lines.find((l) => l.text === '一、总体情况')!;
    expect(heading.items[0].x).toBeCloseTo(area.left + 2 * SIZE.三号, 0);
    // the three roles use three faces: body, level-1 heading, level-2 heading
    const sub = lines.find((l) => l.text === '（一）主动公开')!;
    expect(new Set([para[0].items[0].font, heading.items[0].font, sub.items[0].font]).size).toBe(3);
  });

  it('never leaves a heading as the last line of a page', () => {
    const headings = new Set(doc.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text] : [])));
    for (const page of pdf.pages.slice(0, -1)) {
      const lines = visualLines(page.items.filter((i) => i.y < area.bottom));
      expect(headings.has(lines.at(-1)!.text), `page ${page.number} ends with “${lines.at(-1)!.text}”`).toBe(false);
    }
  });

  it('prints table 三 and table 四 with every label and figure in its cell, in order', () => {
    for (const id of ['table3', 'table4']) {
      const grid = tableBlock(doc, id);
      const read = readTable(pdf, grid);
      for (const row of grid.rows.slice(grid.headerRows))
        for (const cell of row) expect(read.cells.get(`${cell.row}:${cell.col}`), `${id} row ${cell.row + 1} col ${cell.col + 1}`).toBe(cell.display);
      expect(read.strays).toEqual([]);
    }
  });

  it('prints table 二 with every label and figure once, in reading order', () => {
    const grid = tableBlock(doc, 'table2');
    const text = visualLines(pdf.items.filter((i) => i.y < area.bottom)).map((l) => l.text.replace(/\s+/g, '')).join('');
    let from = text.indexOf(grid.rows[0][0].display);
    expect(from).toBeGreaterThanOrEqual(0);
    // Reading order goes line by line, so a wrapped header may interleave with its neighbours: check the
    // single-line cells (labels of rows and every figure) in order, and that each figure occurs once.
    for (const cell of grid.rows.flat().filter((c) => c.role === 'data' || c.role === 'block')) {
      const at = text.indexOf(cell.display, from);
      expect(at, cell.display).toBeGreaterThanOrEqual(from);
      from = at + cell.display.length;
      // a figure cell is drawn as one line, one text item with its unit: exactly one such item in the PDF
      if (cell.role === 'data') expect(pdf.items.filter((i) => i.str.trim() === cell.display).length, cell.display).toBe(1);
    }
    // block titles are centred across the table, as the docx and the HTML set them
    for (const cell of grid.rows.flat().filter((c) => c.role === 'block')) {
      const item = pdf.items.find((i) => i.str.trim() === cell.display)!;
      expect(item.x + item.width / 2, cell.display).toBeCloseTo((area.left + area.right) / 2, 0);
    }
  });
});

describe('22 lines per page', () => {
  it('fills a page of narrative with 22 body lines of at most 28 characters', async () => {
    const text = '本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，回应社会关切。'.repeat(20);
    const doc = blocksDocument('行数测试', [{ kind: 'paragraph', indent: true, text }]);
    const pdf = await readPdf(await renderPdf(doc));
    const lines = visualLines(pdf.items.filter((i) => i.page === 1 && i.y < area.bottom));
    expect(lines).toHaveLength(PAGE.linesPerPage);
    for (const l of lines) expect([...l.text.replace(/\s+/g, '')].length).toBeLessThanOrEqual(PAGE.charsPerLine);
    expect(pdf.pages.length).toBeGreaterThan(1);
  });
});

describe('fonts', () => {
  const one = blocksDocument('字体测试', [
    { kind: 'title', lines: ['字体测试'] },
    { kind: 'heading', level: 1, text: '一、总体情况' },
    { kind: 'paragraph', indent: true, text: '正文一段。' },
  ]);

  it('parses each font file once per process, and pdfkit lays text out with that parsed font', async () => {
    const a = loadFont(bundledFontFile('body'));
    expect(loadFont(bundledFontFile('body'))).toBe(a);
    expect(loadFont(bundledFontFile('table'))).toBe(a);
    const sans = loadFont(bundledFontFile('heading1'));
    // nianbao itself never shapes through `layout` while rendering (it reads its own cache of runs): a call
    // during a render comes from pdfkit, which was therefore handed our parsed font, not the file again.
    const layout = vi.spyOn(sans.font, 'layout');
    try {
      await renderPdf(one);
      expect(layout.mock.calls.map(([text]) => text)).toContain('一、总体情况');
      layout.mockClear();
      await renderPdf(one);
      expect(layout.mock.calls.map(([text]) => text)).toContain('一、总体情况');
    } finally {
      layout.mockRestore();
    }
  });

  it('uses a county font file named for a role, relative to baseDir', async () => {
    copyFileSync(bundledFontFile('heading1'), path.join(tmp, '县里的正文字体.ttf'));
    const bytes = await renderPdf(one, { fonts: { body: '县里的正文字体.ttf', heading1: bundledFontFile('body') }, baseDir: tmp });
    // body now in the sans face; heading 1 in the serif regular; the title keeps the bundled bold serif
    expect(baseFonts(bytes)).toEqual(['NotoSansSC-Medium', 'NotoSerifSC-Bold', 'NotoSerifSC-Regular']);
    const pdf = await readPdf(bytes);
    const lines = visualLines(pdf.items.filter((i) => i.y < area.bottom));
    expect(lines.map((l) => l.text)).toEqual(['字体测试', '一、总体情况', '正文一段。']);
  });

  const failure = async (options: Parameters<typeof renderPdf>[1]) => {
    try {
      await renderPdf(one, options);
    } catch (error) {
      return error;
    }
    throw new Error('renderPdf did not fail');
  };

  it('names a missing font file in a Chinese error', async () => {
    const error = await failure({ fonts: { body: 'fonts/仿宋_GB2312.ttf' }, baseDir: tmp });
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`找不到字体文件：${path.join(tmp, 'fonts/仿宋_GB2312.ttf')}`);
  });

  it('names a directory or a file that is not a font', async () => {
    const dir = await failure({ fonts: { title: tmp } });
    expect((dir as Error).message).toContain(`字体文件路径是一个目录，不是文件：${tmp}`);
    writeFileSync(path.join(tmp, 'not-a-font.ttf'), '这不是字体');
    const junk = await failure({ fonts: { heading2: path.join(tmp, 'not-a-font.ttf') } });
    expect(junk).toBeInstanceOf(UserError);
    expect((junk as Error).message).toContain(`无法识别字体文件：${path.join(tmp, 'not-a-font.ttf')}`);
  });

  it('refuses a font that lacks characters the document prints, naming file and characters', async () => {
    const roboto = createRequire(import.meta.url).resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf');
    const error = await failure({ fonts: { body: roboto } });
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(roboto);
    expect((error as Error).message).toContain('正 文 一 段 。');
    expect((error as Error).message).toContain('“正文”');
  });
});

describe('resource access', () => {
  // Importing the emitter set the policies on the pdfmake singleton; a document naming a local file or
  // a URL must be refused, not read or fetched.
  const withImage = (src: string) => pdfmake.createPdf({ content: [{ image: 'x' }], images: { x: src }, defaultStyle: { font: 'body' } }).getBuffer();

  it('refuses to read local files named by a document', async () => {
    await expect(withImage('/etc/hostname')).rejects.toThrow(/denied/);
  });

  it('refuses to fetch URLs', async () => {
    await expect(withImage('http://127.0.0.1:9/x.png')).rejects.toThrow(/denied/);
  });
});

/**
 * The predicted layout (src/render/pdf/paginate.ts), drawn directly with pdfkit (src/render/pdf/direct/),
 * against pdfmake's own: a report's PDF is laid out once, from breaks worked out beforehand, and must
 * have the same pages as the iterative way (pdfmake lays out, learns the breaks, lays out again, and
 * again for each heading it moves, then draws): every text item with its font, size and place, every
 * rule, the document information but the Producer. Reports of both editions with narratives of every
 * length, so that tables cross pages at many rows and headings fall on the last line of a page.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { renderPdf } from '../../src/render/pdf/index.js';
import { predictLayout } from '../../src/render/pdf/paginate.js';
import { bundledFontFile, loadFont, FONT_ROLES } from '../../src/render/pdf/fonts.js';
import { buildDocument } from '../../src/model/build-document.js';
import { checkText } from '../../src/validate/index.js';
import { fillGrid } from '../../src/model/fill.js';
import { officialGrid } from '../../src/format/official.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import { LINE_PITCH_PT, MM, PAGE } from '../../src/render/layout.js';
import type { FontRole } from '../../src/render/layout.js';
import { generateReport } from '../../bench/lib/generate.js';
import { blocksDocument, distinctReport, sampleDocument } from '../helpers/sample.js';
import { readPdf } from '../helpers/pdf-read.js';
import { stressVariants } from '../helpers/stress.js';

const root = path.resolve(import.meta.dirname, '..', '..');

async function bothWays(doc: ReportDocument) {
  const kinds: string[] = [];
  const predicted = await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) });
  const iterative = await renderPdf(doc, { layout: 'iterative' });
  return { predicted, iterative, kinds };
}

/** What a reader sees of a PDF: its pages' text items and rules, and its information but the Producer. */
async function pagesOf(bytes: Uint8Array) {
  const pdf = await readPdf(bytes);
  const { Producer: producer, ...info } = pdf.info;
  // (pdfjs names a font after the document it loaded: `g_d5_f3` is font 3 of document 5)
  const pages = pdf.pages.map((page) => ({ ...page, items: page.items.map((item) => ({ ...item, font: item.font.replace(/^g_d\d+_/, '') })) }));
  return { pages, rules: pdf.rules, info, producer };
}

/** The same pages, the one drawn by pdfkit from the prediction, the other by pdfmake. */
async function expectSamePages(predicted: Uint8Array, iterative: Uint8Array): Promise<void> {
  const [direct, pdfmake] = [await pagesOf(predicted), await pagesOf(iterative)];
  expect(direct.pages.length).toBeGreaterThan(0);
  expect(direct.pages).toEqual(pdfmake.pages);
  expect(direct.rules).toEqual(pdfmake.rules);
  expect(direct.info).toEqual(pdfmake.info);
  expect([direct.producer, pdfmake.producer]).toEqual(['nianbao (pdfkit)', 'nianbao (pdfmake)']);
}

function exampleDocuments(): [string, ReportDocument][] {
  const dir = path.join(root, 'examples', 'reports');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, buildDocument(checkText(readFileSync(path.join(dir, f)), f).report!)]);
}

function generatedDocuments(): [string, ReportDocument][] {
  const out: [string, ReportDocument][] = [];
  for (let seed = 1; seed <= 12; seed++) {
    const year = seed % 2 === 0 ? 2020 : 2023;
    out.push([`generated ${year} seed ${seed}`, buildDocument(generateReport({ agency: '红椿镇人民政府', year, seed, scale: 5 + seed * 7 }).report)]);
  }
  return out;
}

function sampleDocuments(): [string, ReportDocument][] {
  const out: [string, ReportDocument][] = [];
  for (const edition of ['2019', '2021'] as const) {
    for (let paragraphs = 0; paragraphs <= 5; paragraphs++) out.push([`${edition} sample, ${paragraphs} paragraphs a section`, sampleDocument(distinctReport(edition), paragraphs)]);
  }
  return out;
}

describe('the predicted layout', () => {
  it.each([...exampleDocuments(), ...generatedDocuments(), ...sampleDocuments()])('%s: one layout, the same pages as laying out until the breaks settle', async (_name, doc) => {
    const { predicted, iterative, kinds } = await bothWays(doc);
    expect(kinds).toEqual(['predicted']);
    await expectSamePages(predicted, iterative);
  });

  // The 落款 meets every line position of a page (its keep-together group moves it with body text), the
  // tables and headings many.
  const signatureSweep = stressVariants({ examples: ['红椿', '渠沟'], scaled: false, startStep: 5 }).map((v) => [v.name, v.doc] as const);
  it.each(signatureSweep)('%s: one layout, the same pages as laying out until the breaks settle', async (_name, doc) => {
    const { predicted, iterative, kinds } = await bothWays(doc);
    expect(kinds).toEqual(['predicted']);
    await expectSamePages(predicted, iterative);
  });

  const paragraph = (text = '填充段落，占一行。'): Block => ({ kind: 'paragraph', indent: true, text });
  /** Paragraphs of one line each filling `lines` lines of page 1 (the first line is the title's blank line). */
  const filler = (lines: number) => Array.from({ length: lines }, () => paragraph());

  it('moves a heading that would end a page to the next one, with its paragraph', async () => {
    const blocks: Block[] = [...filler(PAGE.linesPerPage - 1), { kind: 'heading', level: 1, text: '一、总体情况' }, paragraph('标题后的第一段。')];
    const doc = blocksDocument('标题与正文', blocks);
    const { predicted, iterative, kinds } = await bothWays(doc);
    expect(kinds).toEqual(['predicted']);
    await expectSamePages(predicted, iterative);
    const pdf = await readPdf(predicted);
    const pageOf = (s: string) => pdf.items.find((i) => i.str.includes(s))?.page;
    expect(pageOf('填充段落')).toBe(1);
    expect(pageOf('一、总体情况')).toBe(2);
    expect(pageOf('标题后的第一段')).toBe(2);
  });

  it('keeps a heading with a table that goes to the next page (pdfmake alone would leave it behind)', async () => {
    const grid = fillGrid(officialGrid('2021', 'table3'), distinctReport('2021'));
    const blocks: Block[] = [...filler(PAGE.linesPerPage - 2), { kind: 'heading', level: 1, text: '三、收到和处理政府信息公开申请情况' }, { kind: 'table', table: 'table3', grid }];
    const doc = blocksDocument('标题与表格', blocks);
    const { predicted, iterative, kinds } = await bothWays(doc);
    expect(kinds).toEqual(['predicted']);
    await expectSamePages(predicted, iterative);
    const pdf = await readPdf(predicted);
    const heading = pdf.items.find((i) => i.str.includes('三、收到和处理'))!;
    const header = pdf.items.find((i) => i.str.includes('申请人情况'))!;
    expect(heading.page).toBe(2);
    expect(header.page).toBe(2);
    expect(header.y).toBeGreaterThan(heading.y);
  });

  it('keeps the 落款 with the last two lines of body text when it would start a page alone', async () => {
    // the title's blank line + 19 one-line paragraphs + a two-line paragraph fill page 1 and leave no room for the 落款
    const last = paragraph('最后一段正文的第一行，共两行，第二行在这里结束，这一行字数正好写满一行。第二行。');
    const blocks: Block[] = [...filler(PAGE.linesPerPage - 3), last, { kind: 'signature', lines: ['测试镇人民政府', '2025年1月20日'] }];
    const doc = blocksDocument('落款', blocks);
    const { predicted, iterative, kinds } = await bothWays(doc);
    expect(kinds).toEqual(['predicted']);
    await expectSamePages(predicted, iterative);
    const pdf = await readPdf(predicted);
    const pageOf = (s: string) => pdf.items.filter((i) => i.str.includes(s)).map((i) => i.page);
    expect(pdf.pages).toHaveLength(2);
    expect(pageOf('最后一段正文')).toEqual([2]);
    expect(pageOf('第二行。')).toEqual([2]);
    expect(pageOf('测试镇人民政府')).toEqual([2]);
    expect(pageOf('2025年1月20日')).toEqual([2]);
    expect(pageOf('填充段落').every((p) => p === 1)).toBe(true);
  });

  it('falls back to the iterative layout for a definition it does not model, with the same result', async () => {
    // An empty paragraph is an empty text node: pdfmake draws nothing for it, which the model does not follow.
    const doc = blocksDocument('空段落', [paragraph(''), ...filler(30)]);
    const kinds: string[] = [];
    const bytes = await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) });
    expect(kinds[0]).toBe('iterative');
    expect(Buffer.from(bytes).equals(Buffer.from(await renderPdf(doc, { layout: 'iterative' })))).toBe(true);
    const pdf = await readPdf(bytes);
    expect(pdf.items.filter((i) => i.str.includes('填充段落'))).toHaveLength(30);
  });
});

describe('predictLayout', () => {
  const fonts = Object.fromEntries(FONT_ROLES.map((role) => [role, loadFont(bundledFontFile(role))])) as Record<FontRole, ReturnType<typeof loadFont>>;
  const box = { top: PAGE.marginMm.top * MM, height: 841.89 - (PAGE.marginMm.top + PAGE.marginMm.bottom) * MM };
  const natural = (fonts.body.font.ascent - fonts.body.font.descent) / fonts.body.font.unitsPerEm;
  const line = (text: string, more: object = {}) => ({ text, font: 'body', fontSize: 16, lineHeight: LINE_PITCH_PT / (natural * 16), noWrap: true, ...more });

  it('gives no prediction for a node it does not follow or the direct drawing would not draw as pdfmake', () => {
    const lines = (more: object) => [{ stack: [line('正文'), line('正文', more)] }];
    expect(predictLayout(lines({}), box, fonts, 'continuation')).toBeDefined();
    // a text pdfmake may wrap, a colour, a link, bold, a justified line, an image
    for (const more of [{ noWrap: false }, { color: 'red' }, { link: 'https://example.org' }, { bold: true }, { alignment: 'justify' }, { image: 'x.png' }]) {
      expect(predictLayout(lines(more), box, fonts, 'continuation'), JSON.stringify(more)).toBeUndefined();
    }
    // properties stated as absent are not in the way
    expect(predictLayout(lines({ bold: false, decoration: false }), box, fonts, 'continuation')).toBeDefined();
  });

  it('puts 22 body lines on a page and the 23rd on the next, each at its pitch', () => {
    const content = [{ stack: Array.from({ length: 23 }, (_, i) => line(`第${i + 1}行`)) }];
    const prediction = predictLayout(content, box, fonts, 'continuation')!;
    expect(prediction.texts.map((t) => t.page)).toEqual([...new Array(22).fill(1), 2]);
    expect(prediction.texts[1].top! - prediction.texts[0].top!).toBeCloseTo(LINE_PITCH_PT, 9);
    expect(prediction.texts[22].top).toBeCloseTo(box.top, 9);
  });

  it('moves an orphaned heading, also one followed on its page by nothing but its own second line', () => {
    const heading = line('标题', { headlineLevel: 1 });
    const content = [{ stack: Array.from({ length: 21 }, () => line('正文')) }, { stack: [heading] }, { stack: [line('后文')] }];
    const prediction = predictLayout(content, box, fonts, 'continuation')!;
    expect(prediction.moved).toEqual([heading]);
    expect((heading as { pageBreak?: string }).pageBreak).toBe('before');
    expect(prediction.texts.at(-1)!.page).toBe(2);

    const second = line('标题', { headlineLevel: 1 });
    const fits = [{ stack: Array.from({ length: 20 }, () => line('正文')) }, { stack: [second, line('标题续', { style: 'continuation' })] }, { stack: [line('后文')] }];
    // the heading's two lines fill page 1: nothing but its own continuation follows it there
    expect(predictLayout(fits, box, fonts, 'continuation')!.moved).toEqual([second]);
  });

  it('gives no prediction, and changes nothing, for nodes it does not model', () => {
    const heading = line('标题', { headlineLevel: 1 });
    const content = [{ stack: Array.from({ length: 21 }, () => line('正文')) }, { stack: [heading] }, { columns: [line('栏')] }];
    expect(predictLayout(content, box, fonts, 'continuation')).toBeUndefined();
    expect((heading as { pageBreak?: string }).pageBreak).toBeUndefined();
  });
});

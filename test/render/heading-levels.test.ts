/**
 * Issue 13, second-level headings: a narrative paragraph that starts with （一） 1. （1） is the GB/T 9704
 * heading level it is, read once in the model (src/model/heading-levels.ts), and every format sets that
 * level the same way (src/render/layout.ts, HEADING_LEVELS): read back from the docx XML, the HTML DOM
 * and the PDF's text items, in every section that has narrative.
 */
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/model/build-document.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import { MAX_HEADING_CHARS, narrativeBlock } from '../../src/model/heading-levels.js';
import type { Report } from '../../src/format/report.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { bundledFontFile } from '../../src/render/pdf/font-files.js';
import { HEADING_LEVELS, OFFICIAL_FONT_NAMES } from '../../src/render/layout.js';
import { workspaceRendering } from '../../src/workspace/config/effective.js';
import { all, attr, child, readDocx, resolver, textOf, W } from '../helpers/docx-read.js';
import { parseHtml } from '../helpers/html-grid.js';
import { readPdf } from '../helpers/pdf-read.js';
import { distinctReport } from '../helpers/sample.js';

describe('narrativeBlock: the level a paragraph starts with', () => {
  it.each([
    ['（二）改进措施', { kind: 'heading', level: 2, text: '（二）改进措施' }],
    ['（二）改进措施。', { kind: 'heading', level: 2, text: '（二）改进措施。' }],
    ['1.加强组织领导', { kind: 'heading', level: 3, text: '1.加强组织领导' }],
    ['2．完善制度', { kind: 'heading', level: 3, text: '2．完善制度' }],
    ['3、规范发布', { kind: 'heading', level: 3, text: '3、规范发布' }],
    ['（1）明确责任分工', { kind: 'heading', level: 4, text: '（1）明确责任分工' }],
    ['(2)细化流程', { kind: 'heading', level: 4, text: '(2)细化流程' }],
  ] as const)('%s is a heading', (text, block) => {
    expect(narrativeBlock(text)).toEqual(block);
  });

  it.each([
    ['（一）主动公开情况。本年度主动公开信息12条。', 2, '（一）主动公开情况。'],
    ['（一）、加强领导，健全机构。成立了领导小组。', 2, '（一）、加强领导，健全机构。'],
    ['（二）改进措施：加强培训，提升能力。', 2, '（二）改进措施：'],
    ['1.加强组织领导。成立了工作专班。', 3, '1.加强组织领导。'],
    ['（3）做好监督反馈。及时回应关切。', 4, '（3）做好监督反馈。'],
  ] as const)('%s opens with a run-in heading', (text, level, lead) => {
    const block = narrativeBlock(text);
    expect(block).toEqual({ kind: 'paragraph', text, indent: true, lead: { level, length: lead.length } });
    expect(text.slice(0, lead.length)).toBe(lead);
  });

  it.each([
    // a first sentence longer than a line is a numbered body sentence, not a heading
    ['1.本机关全年主动公开政府信息一千二百条，其中规范性文件十二件，政策解读八篇。此外还有。'],
    ['2020年，我镇共公开政府信息1800条。'],
    ['1.5万元用于平台建设。'],
    ['一是宣传不够。'],
    ['本年度（一）项无变化。'],
  ])('%s is body text', (text) => {
    expect(narrativeBlock(text)).toEqual({ kind: 'paragraph', text, indent: true });
  });

  it('a run-in heading is at most one line', () => {
    const head = `（一）${'很'.repeat(MAX_HEADING_CHARS - 4)}。`;
    expect(narrativeBlock(`${head}正文。`)).toMatchObject({ lead: { level: 2 } });
    expect(narrativeBlock(`（一）很${head.slice(3)}正文。`)).toEqual({ kind: 'paragraph', text: `（一）很${head.slice(3)}正文。`, indent: true });
  });
});

/** A report with headings of levels 2–4, whole and run-in, in the overview, section 五 and section 六. */
function reportWithLevels(): ReportDocument {
  const base = distinctReport('2021');
  return buildDocument({
    ...base,
    narrative: {
      overview: '（一）主动公开情况。本年度主动公开信息12条。\n1.加强组织领导。成立了工作专班。\n（1）明确责任分工\n本机关持续推进政务公开。',
      problems: '（一）存在的主要问题\n一是宣传不够。\n（二）改进措施：加强培训，提升能力。\n2.完善制度建设',
      other: '（1）收取信息处理费情况。本机关未收取信息处理费。',
    },
  } as Report);
}

const EXPECTED: { text: string; level: number; lead?: string }[] = [
  { text: '（一）主动公开情况。本年度主动公开信息12条。', level: 2, lead: '（一）主动公开情况。' },
  { text: '1.加强组织领导。成立了工作专班。', level: 3, lead: '1.加强组织领导。' },
  { text: '（1）明确责任分工', level: 4 },
  { text: '（一）存在的主要问题', level: 2 },
  { text: '（二）改进措施：加强培训，提升能力。', level: 2, lead: '（二）改进措施：' },
  { text: '2.完善制度建设', level: 3 },
  { text: '（1）收取信息处理费情况。本机关未收取信息处理费。', level: 4, lead: '（1）收取信息处理费情况。' },
];

describe('heading levels in every section and format', () => {
  const doc = reportWithLevels();
  const marked = doc.blocks.filter((b): b is Extract<Block, { kind: 'heading' | 'paragraph' }> => (b.kind === 'heading' && b.level > 1) || (b.kind === 'paragraph' && b.lead !== undefined));

  it('the model marks each level once, whole headings and run-in ones', () => {
    expect(marked.map((b) => (b.kind === 'heading' ? { text: b.text, level: b.level } : { text: b.text, level: b.lead!.level, lead: b.text.slice(0, b.lead!.length) }))).toEqual(EXPECTED);
    // the plain paragraphs stay body text
    expect(doc.blocks.filter((b) => b.kind === 'paragraph' && !b.lead).map((b) => (b.kind === 'paragraph' ? b.text : ''))).toEqual(expect.arrayContaining(['本机关持续推进政务公开。', '一是宣传不够。']));
  });

  it('docx: a heading paragraph has its level style, a run-in heading its level character style; faces and weight as layout.ts', async () => {
    const parts = readDocx(await renderDocx(doc));
    const resolve = resolver(parts);
    const styles = parts.xml('word/styles.xml');
    const styleById = (id: string) => all(styles, 'style').find((s) => s.getAttributeNS(W, 'styleId') === id)!;
    const bold = (id: string) => {
      const b = child(child(styleById(id), 'rPr')!, 'b');
      return b !== undefined && attr(b, 'val') !== 'false' && attr(b, 'val') !== '0';
    };
    const paragraphs = all(parts.xml('word/document.xml'), 'p');
    for (const want of EXPECTED) {
      const p = paragraphs.find((el) => textOf(el) === want.text);
      expect(p, want.text).toBeDefined();
      const face = OFFICIAL_FONT_NAMES[HEADING_LEVELS[want.level as 2].role].eastAsia;
      const runs = all(p!, 'r');
      if (want.lead) {
        expect(resolve.styleChain(p!)[0]).toBe('NbBody');
        const leadRun = runs[0];
        expect(textOf(leadRun)).toBe(want.lead);
        const rStyle = attr(child(child(leadRun, 'rPr')!, 'rStyle'), 'val')!;
        expect(rStyle).toBe(`NbLead${want.level}`);
        expect(resolve.run(p!, leadRun).eastAsia).toBe(face);
        expect(bold(rStyle)).toBe(HEADING_LEVELS[want.level as 2].bold);
        // the rest of the paragraph is body text
        expect(resolve.run(p!, runs[1]).eastAsia).toBe(OFFICIAL_FONT_NAMES.body.eastAsia);
        expect(textOf(runs[1])).toBe(want.text.slice(want.lead.length));
      } else {
        const style = resolve.styleChain(p!)[0];
        expect(style).toBe(`NbHeading${want.level}`);
        expect(resolve.run(p!).eastAsia).toBe(face);
        expect(bold(style)).toBe(HEADING_LEVELS[want.level as 2].bold);
        expect(resolve.pOn(p!, 'keepNext')).toBe(true);
      }
    }
    // level 2 is 楷体, level 3 仿宋 bold, level 4 仿宋 (GB/T 9704)
    expect(OFFICIAL_FONT_NAMES[HEADING_LEVELS[2].role].eastAsia).toBe('楷体_GB2312');
    expect([HEADING_LEVELS[3], HEADING_LEVELS[4]]).toEqual([
      { role: 'heading3', bold: true },
      { role: 'body', bold: false },
    ]);
    // level 3's role is the body's face, emboldened (its own role so that the PDF can take a bold file)
    expect(OFFICIAL_FONT_NAMES.heading3).toEqual(OFFICIAL_FONT_NAMES.body);
  });

  it('HTML: level n is h(n+1), a run-in heading a span of its level, styled from layout.ts', () => {
    const html = renderHtml(doc);
    const dom = parseHtml(html);
    for (const want of EXPECTED) {
      if (want.lead) {
        const p = [...dom.querySelectorAll('p')].find((el) => el.textContent === want.text);
        expect(p, want.text).toBeDefined();
        const span = p!.firstElementChild!;
        expect(span.className).toBe(`lead-${want.level}`);
        expect(span.textContent).toBe(want.lead);
      } else {
        const h = [...dom.querySelectorAll(`h${want.level + 1}`)].find((el) => el.textContent === want.text);
        expect(h, want.text).toBeDefined();
      }
    }
    // the style sheet sets each level's face and weight, the same for the heading and its run-in form
    expect(html).toMatch(/h3 \{ font-family: "楷体_GB2312"[^}]*font-weight: normal;/);
    expect(html).toMatch(/\.lead-2 \{ font-family: "楷体_GB2312"[^}]*font-weight: normal; \}/);
    expect(html).toMatch(/h4 \{ font-family: "仿宋_GB2312"[^}]*font-weight: bold;/);
    expect(html).toMatch(/\.lead-3 \{ font-family: "仿宋_GB2312"[^}]*font-weight: bold; \}/);
    expect(html).toMatch(/\.lead-4 \{ font-family: "仿宋_GB2312"[^}]*font-weight: normal; \}/);
  });

  it('PDF: a run-in heading is drawn in its level’s face, the rest of its line in the body face, on one line', async () => {
    const kinds: string[] = [];
    const pdf = await readPdf(await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) }));
    expect(kinds).toEqual(['predicted']);
    const itemOf = (str: string) => pdf.items.find((i) => i.str === str);
    // the faces of a level-2 heading (the overview's topic headings are <h2>) and of body text
    const h2Face = pdf.items.find((i) => i.str.startsWith('（一）存在的主要问题'))!.font;
    const bodyFace = pdf.items.find((i) => i.str.startsWith('一是宣传不够'))!.font;
    expect(h2Face).not.toBe(bodyFace);
    for (const want of EXPECTED.filter((w) => w.lead)) {
      const lead = itemOf(want.lead!);
      expect(lead, want.lead).toBeDefined();
      if (HEADING_LEVELS[want.level as 2].role === 'heading2') expect(lead!.font).toBe(h2Face);
      else if (HEADING_LEVELS[want.level as 2].role === 'heading3') expect(lead!.font).not.toBe(bodyFace);
      else expect(lead!.font).toBe(bodyFace);
      const rest = pdf.items.find((i) => i.page === lead!.page && Math.abs(i.y - lead!.y) < 0.01 && i.x > lead!.x && i.str.trim() !== '');
      expect(rest, want.text).toBeDefined();
      expect(want.text.slice(want.lead!.length).startsWith(rest!.str)).toBe(true);
      expect(rest!.font).toBe(bodyFace);
      // the rest starts where the heading ends
      expect(Math.abs(rest!.x - (lead!.x + lead!.width))).toBeLessThan(1);
    }
    // whole headings: level 3 in its bold face (bundled: the body serif's bold, heading3 in font-files.ts),
    // level 4 in the body face
    expect(bundledFontFile('heading3')).toMatch(/NotoSerifSC_700Bold\.ttf$/);
    expect(itemOf('2.完善制度建设')!.font).not.toBe(bodyFace);
    expect(itemOf('（1）明确责任分工')!.font).toBe(bodyFace);
  });
});

describe('level 3 in a county’s own fonts', () => {
  it('takes the county’s body face when it names no heading3 (its 仿宋 has no bold file); its own heading3 when it does', () => {
    const body = { file: '/fonts/fangsong.ttf' };
    const bold = { file: '/fonts/fangsong-bold.ttf' };
    expect(workspaceRendering({ fonts: { body }, wordFonts: { body: { eastAsia: '方正仿宋_GBK' } } })).toMatchObject({
      pdfFonts: { body, heading3: body },
      docxFonts: { body: { eastAsia: '方正仿宋_GBK' }, heading3: { eastAsia: '方正仿宋_GBK' } },
    });
    expect(workspaceRendering({ fonts: { body, heading3: bold }, wordFonts: {} }).pdfFonts.heading3).toBe(bold);
    // no county fonts: the bundled bold serif (font-files.ts)
    expect(workspaceRendering({ fonts: {}, wordFonts: {} }).pdfFonts.heading3).toBeUndefined();
  });
});

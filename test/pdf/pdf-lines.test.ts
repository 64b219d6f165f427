/**
 * Line setting for the PDF (src/render/pdf/lines.ts): breaks at UAX #14 opportunities (no closing
 * punctuation at a line start, no opening punctuation at a line end, numbers and words kept whole),
 * long web addresses cut to fit, 28 characters on a condensed 3号 line, and justification that ends
 * every line but a paragraph's last exactly at the right edge — first as data, then read back from a PDF.
 */
import { describe, expect, it } from 'vitest';
import { bundledFontFile, loadFont } from '../../src/render/pdf/fonts.js';
import { breakLines, lineInlines, lineNodes, setLines } from '../../src/render/pdf/lines.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { GRID_CHAR_PT, PAGE, ROLE_SIZE } from '../../src/render/layout.js';
import { TEXT_WIDTH_PT } from '../../src/render/pdf/table.js';
import { wordBoundaries } from '../../src/render/words.js';
import { blocksDocument } from '../helpers/sample.js';
import { readPdf, textArea, visualLines } from '../helpers/pdf-read.js';

const body = loadFont(bundledFontFile('body'));
const size = ROLE_SIZE.body;
const condense = size - GRID_CHAR_PT;
const grid = { condense, justify: true };
/** The width pdfkit draws a line at: its shaped glyphs plus the spacing between them. */
const drawnWidth = (text: string, spacing: number) => {
  const run = body.font.layout(text);
  return (run.advanceWidth / body.font.unitsPerEm) * size + spacing * (run.glyphs.length - 1);
};
const chars = (s: string) => [...s].length;

describe('setLines', () => {
  const sentence = '本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，回应社会关切。';

  it('puts 28 characters on a full condensed 3号 line, 26 after a two-character indent', () => {
    const text = '政'.repeat(100);
    const lines = setLines(text, body, size, TEXT_WIDTH_PT, { ...grid, indent: 2 * GRID_CHAR_PT });
    expect(lines.map((l) => chars(l.text))).toEqual([26, 28, 28, 18]);
    expect(lines.map((l) => l.text).join('')).toBe(text);
  });

  it('justifies every line but the last to the full width, and keeps the condensed pitch on the last', () => {
    const text = `${sentence}2021年共收到申请12件，网址https://www.example.gov.cn/zwgk/。${sentence}`;
    const lines = setLines(text, body, size, TEXT_WIDTH_PT, { ...grid, indent: 2 * GRID_CHAR_PT });
    expect(lines.length).toBeGreaterThan(3);
    lines.slice(0, -1).forEach((line, i) => expect(drawnWidth(line.text, line.characterSpacing), line.text).toBeCloseTo(TEXT_WIDTH_PT - (i === 0 ? 2 * GRID_CHAR_PT : 0), 6));
    expect(lines.at(-1)!.characterSpacing).toBeCloseTo(-condense, 9);
    expect(lines.map((l) => l.text).join('')).toBe(text);
  });

  it('measures a run-in heading in its own face, so a justified line with it still ends at the edge', () => {
    const bold = loadFont(bundledFontFile('heading3'));
    const lead = '2.加大数字化管理2021年12项。';
    const text = `${lead}${sentence}${sentence}`;
    const lines = setLines(text, body, size, TEXT_WIDTH_PT, { ...grid, indent: 2 * GRID_CHAR_PT, lead: { length: lead.length, font: bold } });
    const first = lines[0];
    expect(first.text.startsWith(lead)).toBe(true);
    // drawn as pdfkit draws it: the lead shaped in the bold face, the rest in the body's, one spacing between all glyphs
    const head = bold.font.layout(lead);
    const rest = body.font.layout(first.text.slice(lead.length).trimEnd());
    const glyphs = head.glyphs.length + rest.glyphs.length;
    const drawn = (head.advanceWidth / bold.font.unitsPerEm) * size + (rest.advanceWidth / body.font.unitsPerEm) * size + first.characterSpacing * (glyphs - 1);
    expect(drawn).toBeCloseTo(TEXT_WIDTH_PT - 2 * GRID_CHAR_PT, 6);
    // measured in the body face alone, the same line would overrun the edge: the digits are wider in bold
    expect(drawnWidth(first.text.trimEnd(), first.characterSpacing)).not.toBeCloseTo(TEXT_WIDTH_PT - 2 * GRID_CHAR_PT, 3);
    expect(lines.map((l) => l.text).join('')).toBe(text);
  });

  it('does not letter-space a line cut short by a web address or phone number that follows it', () => {
    // every position of the unbreakable run relative to the line end
    let ragged = 0;
    for (let shift = 0; shift < 28; shift++) {
      const text = `${'甲'.repeat(shift)}云溪县红椿镇人民政府，电话0915-4841407，网址https://www.hongchun.gov.cn/zwgk/xxgk/。${sentence}`;
      const lines = setLines(text, body, size, TEXT_WIDTH_PT, grid);
      for (const line of lines.slice(0, -1)) {
        const natural = drawnWidth(line.text, -condense);
        // justified lines end at the edge; a ragged one keeps the grid pitch, never more than 2 ems of stretch
        if (Math.abs(line.characterSpacing + condense) < 1e-9) expect(natural, `shift ${shift}: ${line.text}`).toBeLessThan(TEXT_WIDTH_PT);
        else expect(drawnWidth(line.text, line.characterSpacing) - drawnWidth(line.text, 0), `shift ${shift}: ${line.text}`).toBeLessThanOrEqual(2 * size + 1e-6);
      }
      if (lines.slice(0, -1).some((l) => Math.abs(l.characterSpacing + condense) < 1e-9)) ragged++;
    }
    expect(ragged).toBeGreaterThan(0);
  });

  it('breaks a long agency name between its words only, when asked (title, 落款)', () => {
    const name = '湖北省恩施土家族苗族自治州巴东县沿渡河镇人民政府办公室政务公开科';
    for (let width = 8 * size; width <= 20 * size; width += size / 2) {
      const lines = setLines(name, body, size, width, { words: true });
      expect(lines.map((l) => l.text).join('')).toBe(name);
      const boundaries = wordBoundaries(name);
      let at = 0;
      for (const line of lines.slice(0, -1)) {
        at += line.text.length;
        expect(boundaries.has(at), `width ${width}: ${line.text}|`).toBe(true);
      }
    }
    // without the option the same name is cut inside a word somewhere
    const cuts = Array.from({ length: 25 }, (_, k) => setLines(name, body, size, (8 + k / 2) * size)).some((lines) => {
      let at = 0;
      return lines.slice(0, -1).some((line) => !wordBoundaries(name).has((at += line.text.length)));
    });
    expect(cuts).toBe(true);
  });

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    // every position of the punctuation relative to the line end is tried by shifting the text
    for (let shift = 0; shift < 30; shift++) {
      const text = `${'甲'.repeat(shift)}（一）主动公开，“政府信息”。《条例》规定：${sentence}`;
      const lines = breakLines(text, body, size, TEXT_WIDTH_PT);
      for (const line of lines.slice(1)) expect('，。、：；）”》！？'.includes(line[0]), `shift ${shift}: ${line}`).toBe(false);
      for (const line of lines.slice(0, -1)) expect('（“《'.includes(line.at(-1)!), `shift ${shift}: ${line}`).toBe(false);
    }
  });

  it('breaks between a closing ” and an opening “ (CLREQ), never after “ nor before ”, and fills the line before', () => {
    const titles = '全文由“总体情况”“主动公开政府信息情况”“收到和处理政府信息公开申请情况”“政府信息公开行政复议、行政诉讼情况”“存在的主要问题及改进情况”“其他需要报告的事项”六个部分组成。';
    let brokenAtQuotes = 0;
    for (let shift = 0; shift < 28; shift++) {
      const lines = setLines(`${'甲'.repeat(shift)}${titles}`, body, size, TEXT_WIDTH_PT, grid);
      for (const [i, line] of lines.entries()) {
        if (i > 0) expect(line.text[0], `shift ${shift}: ${line.text}`).not.toBe('”');
        if (i < lines.length - 1) {
          expect(line.text.at(-1), `shift ${shift}: ${line.text}`).not.toBe('“');
          // justified, not left ragged: a break next to a quotation mark is near where the line is full
          expect(drawnWidth(line.text, line.characterSpacing), `shift ${shift}: ${line.text}`).toBeCloseTo(TEXT_WIDTH_PT, 3);
          if (line.text.endsWith('”') && lines[i + 1].text.startsWith('“')) brokenAtQuotes++;
        }
      }
    }
    expect(brokenAtQuotes).toBeGreaterThan(0);
    // an opening mark before Latin text keeps UAX #14's rule and stays with it (the tailoring is for Chinese text)
    for (let shift = 20; shift < 28; shift++) {
      const lines = breakLines(`${'甲'.repeat(shift)}见 “ISO 9001”标准`, body, size, TEXT_WIDTH_PT);
      expect(lines.some((l) => l.includes('ISO') && l.includes('“')), `shift ${shift}`).toBe(true);
    }
  });

  it('keeps a number whole, and cuts a web address longer than a line where it fills the line', () => {
    for (let shift = 20; shift < 30; shift++) {
      const lines = breakLines(`${'甲'.repeat(shift)}20211231乙`, body, size, TEXT_WIDTH_PT);
      expect(lines.some((l) => l.includes('20211231')), `shift ${shift}`).toBe(true);
    }
    const url = `https://www.example.gov.cn/${'zwgk/public/column/'.repeat(4)}`;
    const lines = setLines(url, body, size, 200);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(drawnWidth(line.text, 0)).toBeLessThanOrEqual(200 + 1e-6);
    expect(lines.map((l) => l.text).join('')).toBe(url);
  });

  it('ends a line at every newline, and does not count the space a line breaks at', () => {
    expect(breakLines('第一行\n第二行', body, size, TEXT_WIDTH_PT)).toEqual(['第一行', '第二行']);
    const lines = breakLines('word '.repeat(30).trim(), body, size, 150);
    expect(lines.length).toBeGreaterThan(3);
    // the space stays at the end of its line (drawn past the edge, where it is not seen), the words fit
    for (const line of lines.slice(0, -1)) expect(line.endsWith('word ')).toBe(true);
    for (const line of lines) expect(drawnWidth(line.trimEnd(), 0)).toBeLessThanOrEqual(150 + 1e-6);
    expect(lines.join('')).toBe('word '.repeat(30).trim());
  });
});

describe('lines as pdfmake text', () => {
  const style = { font: 'body', fontSize: 16, alignment: 'left', leadingIndent: 0 };
  it('gives a table cell one unbreakable fragment per line with the whole style, each but the last ending its line', () => {
    expect(lineInlines(['甲乙', '丙'], style) as unknown).toEqual([
      { ...style, text: '甲乙', characterSpacing: 0, noWrap: true, lineEnd: true },
      { ...style, text: '丙', characterSpacing: 0, noWrap: true },
    ]);
  });

  it('gives a paragraph one text node per line, the indent on the first only', () => {
    const nodes = lineNodes([{ text: '甲乙', characterSpacing: 0.5 }, { text: '丙', characterSpacing: -0.2 }], style, { leadingIndent: 32 });
    expect(nodes as unknown).toEqual([
      { ...style, leadingIndent: 32, text: '甲乙', characterSpacing: 0.5, noWrap: true },
      { ...style, text: '丙', characterSpacing: -0.2, noWrap: true },
    ]);
  });
});

describe('justified body text in the PDF', () => {
  it('prints every character of a web address cut to fit and of text with spaces, inside the 版心', async () => {
    const url = `https://www.example.gov.cn/${'a'.repeat(70)}`;
    const text = `本年度信息处理费。<img src=x onerror=alert(1)><table ref="t"/>{{#each this}}{{@key}}{{/each}}见${url}。word word word`;
    const doc = blocksDocument('断行测试', [{ kind: 'paragraph', indent: true, text }]);
    const pdf = await readPdf(await renderPdf(doc));
    const area = textArea();
    const items = pdf.items.filter((i) => i.page === 1 && i.y < area.bottom);
    expect(items.map((i) => i.str).join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    // (pdfjs counts the character spacing after a line's last glyph too: up to a point and a half here)
    for (const item of items) expect(item.x + item.width, item.str).toBeLessThanOrEqual(area.right + 1.5);
  });

  it('ends every line of a paragraph but its last at the right edge of the 版心, at most 28 Chinese characters to a line', async () => {
    const text = '本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，回应社会关切。2024年主动公开信息1234条。'.repeat(6);
    const doc = blocksDocument('对齐测试', [{ kind: 'paragraph', indent: true, text }]);
    const pdf = await readPdf(await renderPdf(doc));
    const area = textArea();
    const lines = visualLines(pdf.items.filter((i) => i.page === 1 && i.y < area.bottom));
    expect(lines.length).toBeGreaterThan(5);
    const right = (l: (typeof lines)[number]) => Math.max(...l.items.map((i) => i.x + i.width));
    const left = (l: (typeof lines)[number]) => Math.min(...l.items.map((i) => i.x));
    expect(left(lines[0]) - area.left).toBeCloseTo(2 * GRID_CHAR_PT, 0);
    for (const line of lines.slice(0, -1)) {
      expect(Math.abs(right(line) - area.right), line.text).toBeLessThan(0.5);
      // 28 full-width characters; half-width digits take less room
      if (!/[0-9A-Za-z]/.test(line.text)) expect([...line.text.replace(/\s+/g, '')].length).toBeLessThanOrEqual(PAGE.charsPerLine);
    }
    for (const line of lines.slice(1)) expect(Math.abs(left(line) - area.left)).toBeLessThan(0.5);
    expect(right(lines.at(-1)!)).toBeLessThan(area.right - 1);
  });
});

/**
 * Issue 13, consistency: the vertical 三、本年度办理结果 label, table 二's block titles (centred) and the 落款
 * are set the same way in every
 * report and every format, from one place (src/render/layout.ts: verticalLabelLines, signatureIndents).
 * Read back from the PDF's text items, the docx XML and the HTML DOM, for both editions and reports of
 * different sizes (as published, all figures 0, six-digit figures with a long agency name, the narrative
 * grown so that table 三 starts at other page positions).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/model/document.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { GRID_CHAR_PT, MM, PAGE, signatureIndents, TEXT_AREA_MM, verticalLabelLines, widthInChars } from '../../src/render/layout.js';
import { signatureLines } from '../../src/render/words.js';
import { all, attr, child, readDocx, rebuildTable, resolver, textOf } from '../helpers/docx-read.js';
import { parseHtml } from '../helpers/html-grid.js';
import { readPdf } from '../helpers/pdf-read.js';
import { TABLE_PITCH_EM } from '../../src/render/pdf/table.js';
import { stressVariants } from '../helpers/stress.js';

const LABEL = '三、本年度办理结果';
const BLOCK_TITLE = /^第二十条第（[一二三四五六七八九十]+）项$/;
/** The centre of the 版心, pt from the page's left. */
const TEXT_CENTRE_PT = (PAGE.marginMm.left + TEXT_AREA_MM.width / 2) * MM;
/** The right edge of the 版心, pt from the page's left. */
const TEXT_RIGHT_PT = (PAGE.marginMm.left + TEXT_AREA_MM.width) * MM;

// both editions; as published, all zero and scaled; table 三 and the 落款 at three page positions each
const variants = stressVariants({ examples: ['红椿', '渠沟'], zero: true, step: 9, startStep: 9 });

it('the sweep has both editions, three report sizes and several positions', () => {
  for (const kind of ['as published', 'all zero', '6-digit']) {
    for (const file of ['红椿', '渠沟']) expect(variants.filter((v) => v.name.includes(kind) && v.name.includes(file)).length).toBeGreaterThanOrEqual(4);
  }
});

/** Variants whose table 三 group runs over a page break with its label (the sweep must include some). */
const runOver: string[] = [];
afterAll(() => {
  expect(runOver.length, 'no variant split the label over a page break').toBeGreaterThan(0);
});

describe('the layout rules', () => {
  it('stacks the label one character a line, the 、 on a line of its own', () => {
    expect(verticalLabelLines(LABEL)).toEqual(['三', '、', '本', '年', '度', '办', '理', '结', '果']);
    expect(verticalLabelLines('三、本年度\n办理结果')).toHaveLength(9);
  });

  it('sets the 落款 as GB/T 9704 7.3.5.2 has it: agency 右空二字, the date two characters further right', () => {
    // a long agency: 右空二字, the date's first character two to the right of the agency's
    expect(signatureIndents(['湖北省恩施州巴东县人民政府办公室', '2021年1月20日'])).toEqual([2, 2 + 16 - 2 - 6.5]);
    // a date longer than the agency less two: the date 右空二字, the agency moved left to keep the two
    expect(signatureIndents(['红椿镇人民政府', '2021年1月20日'])).toEqual([2 + 6.5 + 2 - 7, 2]);
    // a name filling the line, or another shape: 右空二字 each line
    expect(signatureIndents(['很'.repeat(27), '2021年1月20日'])).toEqual([2, 2]);
    expect(signatureIndents(['某某局'])).toEqual([2]);
    expect(widthInChars('2021年1月20日')).toBe(6.5);
  });
});

function signatureOf(doc: ReportDocument): readonly string[] {
  const block = doc.blocks.find((b) => b.kind === 'signature');
  if (block?.kind !== 'signature') throw new Error('no signature');
  // as printed: a long agency name broken between its words (words.ts), in every format
  return signatureLines(block.lines);
}

describe.each(variants.map((v) => [v.name, v.doc] as const))('%s', (_name, doc) => {
  it('PDF: the label one character a line, centred on one axis in its column, where its group is; the 落款 at its indents', async () => {
    const pdf = await readPdf(await renderPdf(doc));
    const chars = verticalLabelLines(LABEL);
    // each character is an item of its own (三 and 、 are not one line), stacked at one pitch on one page
    const items = chars.map((ch, i) => {
      const found = pdf.items.filter((item) => item.str === ch && item.size < 12);
      expect(found.length, ch).toBeGreaterThan(0);
      return found;
    });
    // the label's characters: for each, the candidate below the one before it (本 and 年 also print elsewhere),
    // or, where the group runs over a page break, the topmost one in the label's column on the next page
    const centre = (item: (typeof items)[number][number]) => item.x + item.width / 2;
    const placed = [items[0][0]];
    for (let i = 1; i < chars.length; i++) {
      const prev = placed[i - 1];
      const below = items[i].find((item) => item.page === prev.page && item.y > prev.y && item.y - prev.y < 20);
      const over = items[i].filter((item) => item.page === prev.page + 1 && Math.abs(centre(item) - centre(placed[0])) < 0.01).sort((a, b) => a.y - b.y)[0];
      const next = below ?? over;
      expect(next, chars[i]).toBeDefined();
      placed.push(next!);
    }
    // one table line apart on a page, plus a row's padding and rule where the next character sits in the next row
    const pitch = placed[0].size * TABLE_PITCH_EM;
    for (let i = 1; i < placed.length; i++) {
      if (placed[i].page !== placed[i - 1].page) continue;
      const step = placed[i].y - placed[i - 1].y;
      expect(step).toBeGreaterThan(pitch - 0.01);
      expect(step).toBeLessThan(pitch + 3.5 + 0.01);
    }
    // 三 alone on its line: one character wide; every character centred on the column's axis
    expect(placed[0].width).toBeLessThan(11);
    for (const item of placed) expect(Math.abs(centre(item) - centre(placed[0]))).toBeLessThan(0.01);
    // where the group starts: 三 on the page of the group's first row (（一）予以公开), above the group's last row
    const first = pdf.items.find((item) => item.str.trim().startsWith('（一）予以公开'))!;
    expect(placed[0].page).toBe(first.page);
    if (placed.at(-1)!.page !== placed[0].page) runOver.push(doc.meta.title);

    // table 二's block titles (第二十条第（X）项) centred on the 版心, as in the docx and the HTML
    const titles = pdf.items.filter((item) => BLOCK_TITLE.test(item.str.trim()));
    expect(titles.length).toBeGreaterThanOrEqual(4);
    for (const title of titles) expect(Math.abs(title.x + title.width / 2 - TEXT_CENTRE_PT)).toBeLessThan(0.5);

    // 落款: each line's right edge at its indent from the right of the 版心 (the last glyph's condensing
    // aside); a name longer than a line ends its last row there
    const lines = signatureOf(doc);
    const indents = signatureIndents(lines);
    const last = pdf.pages.length;
    lines.forEach((line, i) => {
      const item = pdf.items.filter((it) => it.page === last && it.str.length > 1 && line.endsWith(it.str)).at(-1);
      expect(item, line).toBeDefined();
      expect(Math.abs(item!.x + item!.width - (TEXT_RIGHT_PT - indents[i] * GRID_CHAR_PT))).toBeLessThan(1);
    });
  });

  it('docx: the label one character a line in the merged cell that starts the group; the 落款 at its indents', async () => {
    const parts = readDocx(await renderDocx(doc));
    const docXml = parts.xml('word/document.xml');
    const tables = all(docXml, 'tbl');
    const table3 = tables.map(rebuildTable).find((t) => t.rows.flat().some((c) => c.text.replace(/\n/g, '') === LABEL))!;
    const cell = table3.rows.flat().find((c) => c.text.replace(/\n/g, '') === LABEL)!;
    expect(cell.text).toBe(verticalLabelLines(LABEL).join('\n'));
    // its merge starts on the row of （一）予以公开 and covers the group
    expect(table3.slots[cell.row][cell.col + 1].text).toBe('（一）予以公开');
    expect(cell.rowSpan).toBe(doc.meta.edition === '2019' ? 20 : 22);
    const res = resolver(parts);
    const p = all(docXml, 'p').find((el) => textOf(el) === cell.text)!;
    expect(res.pAttr(p, 'jc', 'val')).toBe('center');

    // table 二's block titles centred across the table
    const blockTitles = all(docXml, 'p').filter((el) => BLOCK_TITLE.test(textOf(el)));
    expect(blockTitles.length).toBeGreaterThanOrEqual(4);
    for (const title of blockTitles) {
      expect(res.pAttr(title, 'jc', 'val')).toBe('center');
      expect(Number(attr(child(child(title.parentNode as never, 'tcPr')!, 'gridSpan'), 'val'))).toBeGreaterThan(1);
    }

    const lines = signatureOf(doc);
    const indents = signatureIndents(lines);
    lines.forEach((line, i) => {
      // (the last paragraph of that text: the title may print the agency too)
      const para = all(docXml, 'p').filter((el) => textOf(el) === line).at(-1)!;
      expect(res.pAttr(para, 'jc', 'val')).toBe('right');
      expect(Number(attr(child(child(para, 'pPr')!, 'ind'), 'right'))).toBe(Math.round(indents[i] * GRID_CHAR_PT * 20));
    });
  });

  it('HTML: the label one character a line in the cell that starts the group; the 落款 at its indents', () => {
    const dom = parseHtml(renderHtml(doc));
    const th = dom.querySelector('table.table3 th.vertical')!;
    expect(th.innerHTML.split('<br>')).toEqual(verticalLabelLines(LABEL));
    expect(th.getAttribute('aria-label')).toBe(LABEL);
    expect(th.getAttribute('rowspan')).toBe(doc.meta.edition === '2019' ? '20' : '22');
    expect(th.nextElementSibling?.textContent).toBe('（一）予以公开');
    // table 二's block titles: header cells across the table, centred as every header (no rule sets them otherwise)
    const blockTitles = [...dom.querySelectorAll('table.table2 th.block')];
    expect(blockTitles.length).toBeGreaterThanOrEqual(4);
    for (const title of blockTitles) expect(Number(title.getAttribute('colspan'))).toBeGreaterThan(1);
    const css = dom.querySelector('style')!.textContent!;
    expect(css).toMatch(/th, td \{[^}]*text-align: center/);
    expect(css).not.toMatch(/\.block[^{]*\{[^}]*text-align/);
    const lines = signatureOf(doc);
    const indents = signatureIndents(lines);
    const ps = [...dom.querySelectorAll('.signature p')] as HTMLElement[];
    expect(ps.map((p) => p.textContent)).toEqual(lines);
    ps.forEach((p, i) => expect(p.style.paddingRight).toBe(`${indents[i]}em`));
  });
});

/**
 * Issue 13, read back from our PDF: the stress variants of the example reports (test/helpers/stress.ts,
 * the narrative grown a line at a time over a full page, as published and with 6-digit figures and a
 * long agency name, both editions). At every position the 落款 shares its last page with body text and
 * its lines stay together, a table 二 block title never ends a page without its column headers and a
 * row, and the layout is laid out once, as predicted.
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../src/render/pdf/index.js';
import { MM, PAGE, TEXT_AREA_MM } from '../src/render/layout.js';
import { stressVariants } from './helpers/stress.js';
import { readPdf, type ReadPdf } from './helpers/pdf-read.js';


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

describe('the 落款 and table 二 blocks at every page position (PDF)', () => {
  it('the sweep covers the signature at the top of a page', () => {
    expect(variants.length).toBeGreaterThan(2 * 2 * PAGE.linesPerPage);
  });

  it.each(variants)('%s', async (_name, doc) => {
    const kinds: string[] = [];
    const bytes = await renderPdf(doc, { onLayout: (kind) => kinds.push(kind) });
    expect(kinds).toEqual(['predicted']);
    const pdf = await readPdf(bytes);
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

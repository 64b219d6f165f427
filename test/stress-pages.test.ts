/**
 * Issue 13, read back from our PDF: the stress variants of the example reports (test/helpers/stress.ts,
 * the narrative grown a line at a time over a full page, as published and with 6-digit figures and a
 * long agency name, both editions). At every position the 落款 shares its last page with body text and
 * its lines stay together, and the predicted layout is still exact (the same bytes as the iterative one).
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../src/render/pdf/index.js';
import { MM, PAGE, TEXT_AREA_MM } from '../src/render/layout.js';
import { stressVariants } from './helpers/stress.js';
import { readPdf, type ReadPdf } from './helpers/pdf-read.js';


/** y below which the page number sits (outside the 版心). */
const TEXT_BOTTOM_PT = (PAGE.marginMm.top + TEXT_AREA_MM.height) * MM;

const variants = stressVariants({ examples: ['红椿', '渠沟'], startStep: 5 }).map((v) => [v.name, v.doc] as const);

function signatureLines(doc: (typeof variants)[number][1]): readonly string[] {
  const block = doc.blocks.find((b) => b.kind === 'signature');
  if (block?.kind !== 'signature') throw new Error('no signature');
  return block.lines;
}

/** The text items of the 版心 (the page number left out), by page. */
function textOf(pdf: ReadPdf, page: number) {
  return pdf.items.filter((i) => i.page === page && i.str.trim() !== '' && i.y < TEXT_BOTTOM_PT);
}

describe('the 落款 at every page position (PDF)', () => {
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
    // body text above it on the same page
    expect(from).toBeGreaterThan(0);
    expect(last[from - 1].y).toBeLessThan(last[from].y);
  });
});

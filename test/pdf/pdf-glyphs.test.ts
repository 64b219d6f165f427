/**
 * Every glyph present: all official labels (both editions' grids, the section and topic headings) and
 * every character the five seed reports use are printed, in every role's face, and the PDF's text
 * (through the embedded fonts' ToUnicode maps) reads back equal to the input. A missing glyph would fail
 * the emitter's coverage check; a wrong mapping or a dropped character fails the comparison.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/index.js';
import { EDITION_IDS, OVERVIEW_TOPICS, SECTIONS, TABLE_IDS, TITLE_SUFFIX, officialGrid } from '../../src/format/official.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import { readPdf, textArea, visualLines } from '../helpers/pdf-read.js';

/** Distinct characters of the seed reports (kept in the repository: the seeds themselves are not). */
const seedCharacters = readFileSync(new URL('../fixtures/pdf-seed-characters.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => !line.startsWith('#'))
  .join('');

const officialLabels = [
  ...new Set(
    EDITION_IDS.flatMap((edition) =>
      TABLE_IDS.flatMap((table) =>
        officialGrid(edition, table)
          .rows.flat()
          .flatMap((cell) => (cell.text ? [cell.text] : [])),
      ),
    ),
  ),
];

const chunks = (text: string, size: number) => Array.from({ length: Math.ceil([...text].length / size) }, (_, i) => [...text].slice(i * size, (i + 1) * size).join(''));

describe('every glyph present', () => {
  it('has the seed character set', () => {
    expect([...seedCharacters].length).toBeGreaterThan(700);
  });

  it('prints every official label and every seed character in the title, heading and body faces (tables and page numbers share the body face) and reads them back unchanged', async () => {
    // Each role gets the full set: paragraphs (body), headings of both levels, title lines, a signature.
    const seedLines = chunks(seedCharacters, 20);
    const blocks: Block[] = [
      { kind: 'title', lines: seedLines.slice(0, 3) },
      { kind: 'title', lines: seedLines.slice(3) },
      { kind: 'title', lines: [TITLE_SUFFIX] },
      ...SECTIONS.map((s): Block => ({ kind: 'heading', level: 1, text: s.heading })),
      ...OVERVIEW_TOPICS.map((t): Block => ({ kind: 'heading', level: 2, text: t.heading })),
      ...officialLabels.map((text): Block => ({ kind: 'paragraph', indent: false, text })),
      ...seedLines.map((text): Block => ({ kind: 'heading', level: 1, text })),
      ...seedLines.map((text): Block => ({ kind: 'heading', level: 2, text })),
      ...seedLines.map((text): Block => ({ kind: 'paragraph', indent: true, text })),
      { kind: 'signature', lines: seedLines.slice(0, 2) },
    ];
    const doc: ReportDocument = { meta: { title: '字形测试', author: '测试', year: 2024, edition: '2021', lang: 'zh-CN' }, blocks };
    const expected = blocks
      .map((b) => (b.kind === 'title' || b.kind === 'signature' ? b.lines.join('') : b.kind === 'heading' || b.kind === 'paragraph' ? b.text : ''))
      .join('')
      .replace(/\s+/g, '');
    const pdf = await readPdf(await renderPdf(doc));
    const area = textArea();
    const read = visualLines(pdf.items.filter((i) => i.y < area.bottom))
      .map((line) => line.text)
      .join('')
      .replace(/\s+/g, '');
    expect(read.length).toBe(expected.length);
    expect(read).toBe(expected);
  });
});

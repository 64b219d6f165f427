/**
 * poppler reads our PDFs as a reader's viewer would: every font embedded and subset (`pdffonts`), a sane
 * page count (`pdfinfo`), every word inside the 版心 and `— n —` odd right / even left (`pdftotext
 * -bbox`), every figure of tables 三 and 四 once and in table order, the labels present. Cases: the
 * distinct-figure sample of each edition, a long-narrative report, every example report. Page images go
 * to out/screenshots/pdf/ for a person to look at; a county font from a TrueType collection (Debian's
 * fonts-noto-cjk) is embedded as a subset too.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/render/pdf/index.js';
import { buildDocument } from '../../src/model/build-document.js';
import { checkFile } from '../../src/validate/index.js';
import { EDITION_IDS } from '../../src/format/official.js';
import type { Block, FilledTable, ReportDocument } from '../../src/model/document.js';
import { MM, PAGE } from '../../src/render/layout.js';
import { distinctReport, sampleDocument } from '../helpers/sample.js';
import { hasCommand } from './helpers/run.js';
import { pdfFonts, pdfPageCount, pdfText, pdfToPng, pdfWords, type PdfWord } from './helpers/poppler.js';
import { exampleFiles } from './helpers/examples.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(root, 'out/screenshots/pdf');
const AREA = {
  left: PAGE.marginMm.left * MM,
  top: PAGE.marginMm.top * MM,
  right: (PAGE.widthMm - PAGE.marginMm.right) * MM,
  bottom: (PAGE.heightMm - PAGE.marginMm.bottom) * MM,
};
const NOTO_CJK_TTC = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';


interface Case {
  readonly name: string;
  readonly doc: ReportDocument;
  file?: string;
  words?: PdfWord[];
  text?: string;
  pages?: number;
  fonts?: { name: string; embedded: boolean; subset: boolean }[];
}


const cases: Case[] = [];
let work = '';
const squash = (s: string) => s.replace(/\s+/g, '');
const isPageNumber = (w: PdfWord) => w.yMin > AREA.bottom;
const tables = (doc: ReportDocument) => doc.blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');

beforeAll(async () => {
  for (const tool of ['pdffonts', 'pdftotext', 'pdfinfo', 'pdftoppm']) {
    if (!(await hasCommand(tool))) throw new Error(`${tool} is missing: install poppler-utils (see .ci/run)`);
  }
  for (const edition of EDITION_IDS) cases.push({ name: `distinct-${edition}`, doc: sampleDocument(distinctReport(edition)) });
  cases.push({ name: 'long-narrative-2021', doc: sampleDocument(distinctReport('2021'), 7) });
  for (const file of exampleFiles()) {
    const checked = await checkFile(file);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (!checked.report || errors.length > 0) throw new Error(`example ${file} does not pass its check:\n${errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n')}`);
    cases.push({ name: `example-${path.basename(file).replace(/\.ya?ml$/, '')}`, doc: buildDocument(checked.report) });
  }
  work = mkdtempSync(path.join(tmpdir(), 'nianbao-pdf-poppler-'));
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const c of cases) {
    c.file = path.join(work, `${c.name}.pdf`);
    writeFileSync(c.file, await renderPdf(c.doc));
    c.words = await pdfWords(c.file);
    c.text = await pdfText(c.file);
    c.pages = await pdfPageCount(c.file);
    c.fonts = await pdfFonts(c.file);
    await pdfToPng(c.file, path.join(SCREENSHOTS, c.name), 60);
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('PDF in poppler', () => {
  it('has both editions, a long narrative and the example reports', () => {
    expect(cases.filter((c) => c.name.startsWith('example-')).length, 'examples/reports/*.yaml').toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it('embeds every font as a subset', () => {
    for (const c of cases) {
      expect(c.fonts!.length, c.name).toBeGreaterThanOrEqual(3);
      for (const f of c.fonts!) {
        expect(f.embedded, `${c.name} ${f.name} embedded`).toBe(true);
        expect(f.subset, `${c.name} ${f.name} subset`).toBe(true);
        expect(f.name, c.name).toMatch(/^[A-Z]{6}\+Noto(Serif|Sans)SC-/);
      }
    }
  });

  it('has a sane page count, numbered — n — on every page, odd pages right and even pages left', () => {
    for (const c of cases) {
      expect(c.pages, c.name).toBeGreaterThanOrEqual(3);
      expect(c.pages, c.name).toBeLessThanOrEqual(30);
      for (let page = 1; page <= c.pages!; page++) {
        const number = c.words!.filter((w) => w.page === page && isPageNumber(w)).sort((a, b) => a.xMin - b.xMin);
        expect(number.map((w) => w.text).join(' '), `${c.name} page ${page}`).toBe(`— ${page} —`);
        const middle = (number[0].xMin + number.at(-1)!.xMax) / 2;
        if (page % 2 === 1) expect(middle, `${c.name} page ${page} right`).toBeGreaterThan(AREA.right - 60);
        else expect(middle, `${c.name} page ${page} left`).toBeLessThan(AREA.left + 60);
      }
    }
  });

  it('keeps every word inside the 版心', () => {
    for (const c of cases) {
      for (const w of c.words!.filter((x) => !isPageNumber(x))) {
        const where = `${c.name} page ${w.page} "${w.text}"`;
        expect(w.xMin, where).toBeGreaterThanOrEqual(AREA.left - 0.5);
        expect(w.xMax, where).toBeLessThanOrEqual(AREA.right + 0.5);
        expect(w.yMin, where).toBeGreaterThanOrEqual(AREA.top - 1);
        expect(w.yMax, where).toBeLessThanOrEqual(AREA.bottom + 1);
      }
    }
  });

  it('prints every title line, heading and paragraph', () => {
    for (const c of cases) {
      const text = squash(c.text!.replace(/^\s*—\s*\d+\s*—\s*$/gm, ''));
      for (const block of c.doc.blocks) {
        const expected = block.kind === 'title' || block.kind === 'signature' ? block.lines.join('') : block.kind === 'heading' || block.kind === 'paragraph' ? block.text : '';
        if (expected) expect(text, `${c.name}: ${expected.slice(0, 20)}`).toContain(squash(expected));
      }
    }
  });

  it('prints every figure of tables 三 and 四 once, in table order, and every row label', () => {
    for (const c of cases) {
      for (const block of tables(c.doc).filter((t) => t.table !== 'table2')) {
        const grid: FilledTable = block.grid;
        const figures = grid.dataCells().map((cell) => cell.display);
        // In reading order: page, then line (words of one line share a baseline within a point), then x.
        const read = c
          .words!.filter((w) => !isPageNumber(w) && figures.includes(w.text))
          .sort((a, b) => a.page - b.page || (Math.abs(a.yMax - b.yMax) > 1 ? a.yMax - b.yMax : a.xMin - b.xMin))
          .map((w) => w.text);
        // distinctReport figures are all different; an example may repeat a figure (e.g. 0), so compare
        // as a sequence of this table's figures in order, with the same length.
        if (new Set(figures).size === figures.length) expect(read, `${c.name} ${block.table}`).toEqual(figures);
        else expect(read.filter((t) => figures.includes(t)).length, `${c.name} ${block.table}`).toBeGreaterThanOrEqual(figures.length);
        const text = squash(c.text!);
        for (const cell of grid.rows.flat().filter((x) => x.role !== 'data' && x.rowSpan === 1)) expect(text, `${c.name} ${block.table}: ${cell.display}`).toContain(squash(cell.display));
      }
    }
  });

  it('embeds a county font from a TrueType collection as a subset, and names the faces when none is chosen', async () => {
    expect(existsSync(NOTO_CJK_TTC), `${NOTO_CJK_TTC} (Debian fonts-noto-cjk)`).toBe(true);
    const doc = sampleDocument(distinctReport('2021'));
    const file = path.join(work, 'ttc.pdf');
    writeFileSync(file, await renderPdf(doc, { fonts: { body: { file: NOTO_CJK_TTC, face: 'NotoSerifCJKsc-Regular' } } }));
    const found = await pdfFonts(file);
    const body = found.find((f) => f.name.endsWith('+NotoSerifCJKsc-Regular'));
    expect(body, found.map((f) => f.name).join(', ')).toBeDefined();
    expect(body!.embedded && body!.subset).toBe(true);
    await expect(renderPdf(doc, { fonts: { body: NOTO_CJK_TTC } })).rejects.toThrow(/是字体集，须指定字形名称（face）。可用的字形：.*NotoSerifCJKsc-Regular/);
  });
});

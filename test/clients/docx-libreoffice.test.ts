/**
 * LibreOffice reads our docx as a county clerk's Word would: every example report and the
 * distinct-figure sample of each edition is converted to PDF in one soffice call (fonts mapped by
 * test/clients/fontconfig/fonts.conf), then read back with poppler: every label and figure in table
 * order, a sane page count, nothing outside the 版心 columns, `— n —` odd right / even left. Page images
 * go to out/screenshots/docx/ for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../src/render/docx/index.js';
import { buildDocument } from '../../src/model/build-document.js';
import { checkFile } from '../../src/validate/index.js';
import { EDITION_IDS } from '../../src/format/official.js';
import type { ReportDocument } from '../../src/model/document.js';
import { distinctReport, sampleDocument } from '../helpers/sample.js';
import { hasCommand, run } from './helpers/run.js';
import { sofficeConvert } from './helpers/soffice.js';
import { exampleFiles } from './helpers/examples.js';
import { pdfFonts, pdfPageCount, pdfText, pdfToPng, pdfWords, type PdfWord } from './helpers/poppler.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FONTS_CONF = path.join(root, 'test/clients/fontconfig/fonts.conf');
const SCREENSHOTS = path.join(root, 'out/screenshots/docx');
const PT_PER_MM = 72 / 25.4;
const MARGIN_PT = { left: 28 * PT_PER_MM, right: 26 * PT_PER_MM, top: 37 * PT_PER_MM, bottom: 35 * PT_PER_MM };


interface Case {
  readonly name: string;
  readonly doc: ReportDocument;
  pdf?: string;
  text?: string;
  words?: PdfWord[];
  pages?: number;
}

const cases: Case[] = [];
let work = '';

/** Whitespace-free text: LibreOffice wraps cell text and pdftotext puts the breaks in. */
const squash = (s: string) => s.replace(/\s+/g, '');
const PAGE_NUMBER_LINE = /^—\s*\d+\s*—$/;

/** The raw text without the page-number lines, which interrupt a paragraph that crosses a page. */
function bodyText(raw: string): string {
  return squash(
    raw
      .split('\n')
      .filter((line) => !PAGE_NUMBER_LINE.test(line.trim()))
      .join('\n'),
  );
}

beforeAll(async () => {
  for (const tool of ['soffice', 'pdftotext', 'pdfinfo', 'pdftoppm', 'fc-match']) {
    if (!(await hasCommand(tool))) throw new Error(`${tool} is missing: install libreoffice-writer-nogui, poppler-utils, fontconfig (see .ci/run)`);
  }
  for (const edition of EDITION_IDS) cases.push({ name: `distinct-${edition}`, doc: sampleDocument(distinctReport(edition)) });
  for (const file of exampleFiles()) {
    const checked = await checkFile(file);
    const errors = checked.diagnostics.filter((d) => d.severity === 'error');
    if (!checked.report || errors.length > 0) throw new Error(`example ${file} does not pass its check:\n${errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n')}`);
    cases.push({ name: `example-${path.relative(path.join(root, 'examples/reports'), file).replace(/\.ya?ml$/, '').replace(/[\\/]/g, '-')}`, doc: buildDocument(checked.report) });
  }
  work = mkdtempSync(path.join(tmpdir(), 'nianbao-docx-lo-'));
  const inputs: string[] = [];
  for (const c of cases) {
    const file = path.join(work, `${c.name}.docx`);
    writeFileSync(file, await renderDocx(c.doc));
    inputs.push(file);
  }
  const { converted } = await sofficeConvert(inputs, work, { fontconfigFile: FONTS_CONF });
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [i, c] of cases.entries()) {
    c.pdf = converted[i].output;
    c.text = await pdfText(c.pdf);
    c.words = await pdfWords(c.pdf);
    c.pages = await pdfPageCount(c.pdf);
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('fonts.conf', () => {
  it('maps every Word face name the docx asks for to a Simplified Chinese Noto face', async () => {
    const env = { ...process.env, FONTCONFIG_FILE: FONTS_CONF };
    const expected: Record<string, RegExp> = {
      仿宋_GB2312: /^Noto Serif CJK SC$/,
      方正小标宋简体: /^Noto Serif CJK SC$/,
      黑体: /^Noto Sans CJK SC$/,
      楷体_GB2312: /^Noto Serif CJK SC$/,
      宋体: /^Noto Serif CJK SC$/,
      'Times New Roman': /^Noto Serif CJK SC$/,
    };
    for (const [name, family] of Object.entries(expected)) {
      const { stdout } = await run('fc-match', ['-f', '%{family[0]}', name], { env });
      expect(stdout, name).toMatch(family);
    }
  });
});

describe('docx in LibreOffice', () => {
  it('has the example reports and both editions to convert', () => {
    expect(cases.filter((c) => c.name.startsWith('example-')).length, 'examples/reports/*.yaml').toBeGreaterThan(0);
    expect(cases.filter((c) => c.name.startsWith('distinct-'))).toHaveLength(2);
  });

  it('converts every document to a PDF of a sane length', () => {
    for (const c of cases) {
      expect(c.pages, c.name).toBeGreaterThanOrEqual(3);
      expect(c.pages, c.name).toBeLessThanOrEqual(25);
    }
  });

  it('prints the title, every heading, paragraph and 落款 line', () => {
    for (const c of cases) {
      const text = bodyText(c.text!);
      for (const block of c.doc.blocks) {
        const wanted = block.kind === 'title' || block.kind === 'signature' ? block.lines : block.kind === 'heading' || block.kind === 'paragraph' ? [block.text] : [];
        for (const w of wanted) expect(text.includes(squash(w)), `${c.name}: ${w}`).toBe(true);
      }
    }
  });

  it('prints every official label and every figure, table by table in reading order', () => {
    for (const c of cases) {
      const text = bodyText(c.text!);
      let at = 0;
      for (const block of c.doc.blocks) {
        if (block.kind !== 'table') continue;
        for (const cell of block.grid.rows.flat()) {
          const wanted = squash(cell.display);
          if (!wanted) continue;
          const found = text.indexOf(wanted, at);
          expect(found, `${c.name} ${block.table} row ${cell.row + 1} col ${cell.col + 1}: "${cell.display}" after offset ${at}`).toBeGreaterThanOrEqual(0);
          at = found + wanted.length;
        }
      }
    }
  });

  it('keeps every word inside the 版心 columns (nothing past the right margin)', () => {
    for (const c of cases) {
      const outside = c.words!.filter((w) => w.xMin < MARGIN_PT.left - 1.5 || w.xMax > w.pageWidth - MARGIN_PT.right + 1.5);
      expect(outside.map((w) => `p${w.page} "${w.text}" ${w.xMin.toFixed(1)}–${w.xMax.toFixed(1)}`), c.name).toEqual([]);
    }
  });

  it('numbers every page `— n —` below the 版心, odd pages right and even pages left', () => {
    for (const c of cases) {
      for (let page = 1; page <= c.pages!; page++) {
        const below = c.words!.filter((w) => w.page === page && w.yMin > w.pageHeight - MARGIN_PT.bottom);
        const digits = below.find((w) => w.text === String(page));
        expect(digits, `${c.name} page ${page}: ${below.map((w) => w.text).join(' ')}`).toBeDefined();
        const line = below.filter((w) => Math.abs(w.yMin - digits!.yMin) < 2);
        expect(line.map((w) => w.text).join(' '), `${c.name} page ${page}`).toMatch(/^—\s*\d+\s*—$/);
        const left = Math.min(...line.map((w) => w.xMin));
        const right = Math.max(...line.map((w) => w.xMax));
        const mid = digits!.pageWidth / 2;
        if (page % 2 === 1) expect(left, `${c.name} page ${page} (odd) on the right`).toBeGreaterThan(mid);
        else expect(right, `${c.name} page ${page} (even) on the left`).toBeLessThan(mid);
        // 7 mm below the 版心: between the text bottom and the paper edge, not in the text
        expect(digits!.yMin).toBeGreaterThan(digits!.pageHeight - MARGIN_PT.bottom + 3 * PT_PER_MM);
        expect(digits!.yMax).toBeLessThan(digits!.pageHeight - 15 * PT_PER_MM);
      }
    }
  });

  it('sets body text at 28 characters a line and 22 lines a page', () => {
    // The distinct sample's first page: title, then body paragraphs (long ones, so lines run full width).
    const c = cases.find((x) => x.name === 'distinct-2021')!;
    const first = c.words!.filter((w) => w.page === 1 && w.yMax < w.pageHeight - MARGIN_PT.bottom);
    const lineTops = [...new Set(first.map((w) => Math.round(w.yMin)))].sort((a, b) => a - b);
    // the 22-line grid: 225 mm / 22 ≈ 28.95 pt between the tops of consecutive body lines
    const gaps = lineTops.slice(1).map((y, i) => y - lineTops[i]);
    const bodyGaps = gaps.filter((g) => g > 20 && g < 40);
    expect(bodyGaps.length).toBeGreaterThan(10);
    for (const g of bodyGaps) expect(Math.abs(g - 28.95)).toBeLessThan(1.5);
    // a full line of hanzi (the second line of a paragraph) holds 28 characters
    const layout = first.filter((w) => /^[\u4e00-\u9fff，。《》：]+$/.test(w.text) && w.xMin < MARGIN_PT.left + 2 && w.xMax > w.pageWidth - MARGIN_PT.right - 20);
    expect(layout.length).toBeGreaterThan(0);
    for (const w of layout) expect([...w.text].length, w.text).toBe(28);
  });

  it('draws every character with the mapped Noto CJK faces (Latin: Liberation Serif when installed), embedded (no other fallback face)', async () => {
    for (const c of cases) {
      const fonts = await pdfFonts(c.pdf!);
      expect(fonts.length, c.name).toBeGreaterThan(0);
      for (const f of fonts) {
        // Latin runs ask for Times New Roman: with fonts-liberation installed, fontconfig gives its
        // metric-compatible Liberation Serif (as a Windows reader gets Times New Roman), else the Noto face
        expect(f.name, c.name).toMatch(/^[A-Z]{6}\+(Noto(Serif|Sans)CJK|LiberationSerif)/);
        expect(f.embedded, `${c.name} ${f.name}`).toBe(true);
      }
      // 黑体 headings come out in the sans face, the rest in the serif face
      expect(fonts.some((f) => /NotoSansCJK/.test(f.name)), c.name).toBe(true);
      expect(fonts.some((f) => /NotoSerifCJK/.test(f.name)), c.name).toBe(true);
    }
  });

  it('renders every page to PNG for a person to look at', async () => {
    for (const c of cases) {
      const files = await pdfToPng(c.pdf!, path.join(SCREENSHOTS, c.name), 60);
      expect(files, c.name).toHaveLength(c.pages!);
    }
  });
});

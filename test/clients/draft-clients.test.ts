/**
 * Real clients on a draft (`nianbao build --draft`): Chromium prints the draft HTML and LibreOffice
 * converts the draft docx to PDF; poppler reads every page of both, which must carry the 草稿 mark
 * (HTML: the print watermark, a fixed element repeated on each printed page; docx: the header band), and
 * the problem list must be there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/build.js';
import { pdfPageCount } from './helpers/poppler.js';
import { run } from './helpers/run.js';
import { sofficeConvert } from './helpers/soffice.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEFECT = path.join(ROOT, 'examples/defects/2020-红椿镇人民政府.yaml');
const FONTS_CONF = path.join(ROOT, 'test/clients/fontconfig/fonts.conf');

let out: string;
let html: string;
let docx: string;
let problems: number;

async function pageTexts(pdf: string): Promise<string[]> {
  const pages = await pdfPageCount(pdf);
  const texts: string[] = [];
  for (let n = 1; n <= pages; n++) texts.push((await run('pdftotext', ['-f', String(n), '-l', String(n), '-enc', 'UTF-8', pdf, '-'])).stdout);
  return texts;
}

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'nianbao-draft-clients-'));
  const result = await buildReport(DEFECT, { formats: ['html', 'docx'], outDir: out, draft: true });
  expect(result.ok).toBe(true);
  [html, docx] = result.outputs;
  problems = result.diagnostics.length;
});

describe('a draft in real clients', () => {
  it('Chromium prints 草稿 on every page of the draft HTML, and the problem list', async () => {
    const profile = mkdtempSync(path.join(tmpdir(), 'nianbao-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href);
      // the diagonal mark: hidden on screen, a fixed element in print (repeated on every printed page)
      const mark = () => page.locator('.draft-watermark').evaluate((el) => ({ display: getComputedStyle(el).display, position: getComputedStyle(el).position, text: el.textContent }));
      await expect(mark()).resolves.toMatchObject({ display: 'none' });
      await page.emulateMedia({ media: 'print' });
      await expect(mark()).resolves.toEqual({ display: 'block', position: 'fixed', text: '草稿' });
      const pdf = path.join(out, 'printed.pdf');
      writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true }));
      const texts = await pageTexts(pdf);
      expect(texts.length).toBeGreaterThan(3);
      // the band in every page's top margin
      texts.forEach((text, i) => expect(text.replace(/\s+/g, ''), `printed page ${i + 1}`).toContain('草稿未经审核，不得发布'));
      const all = texts.join('');
      expect(all).toContain('附：草稿中尚未解决的问题');
      expect(all).toContain('905万');
      expect(all).toContain(`校验发现以下 ${problems} 个问题`);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('LibreOffice shows the 草稿 header band on every page of the draft docx, and the problem page', async () => {
    const { converted } = await sofficeConvert([docx], out, { fontconfigFile: FONTS_CONF });
    const texts = await pageTexts(converted[0].output);
    expect(texts.length).toBeGreaterThan(3);
    // (pdftotext gives the band's two halves apart, the page number sometimes between them)
    texts.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain('草稿');
      expect(text, `page ${i + 1}`).toContain('未经审核，不得发布');
      // no blank page: every page has something besides the band and its number
      expect(text.replace(/草稿|未经审核，不得发布|—\s*\d+\s*—|\s/g, '').length, `page ${i + 1}`).toBeGreaterThan(0);
    });
    const all = texts.join('').replace(/\s+/g, '');
    expect(all).toContain('附：草稿中尚未解决的问题');
    expect(all).toContain('905万');
  });
});

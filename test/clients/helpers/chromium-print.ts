/**
 * HTML printed to PDF by Debian's Chromium on A4, as a county's browser prints a published report: one
 * browser for a list of pages, in print media, with the page size the style sheet asks for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Prints each HTML text to `${dir}/${name(i)}` and returns the files, in order. */
export async function printHtmlPages(htmls: readonly string[], dir: string, name: (i: number) => string): Promise<string[]> {
  const profile = mkdtempSync(path.join(tmpdir(), 'nianbao-chromium-print-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    const files: string[] = [];
    for (const [i, html] of htmls.entries()) {
      await page.setContent(html);
      const file = path.join(dir, name(i));
      writeFileSync(file, await page.pdf({ preferCSSPageSize: true }));
      files.push(file);
    }
    return files;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

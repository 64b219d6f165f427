/**
 * Real client: Debian's Chromium (through playwright-core) on `nianbao preview`. The page is opened
 * once; the YAML is edited on disk and the page must update by itself (server-sent events) to show the
 * new figure with its new problem, then a YAML syntax error at its line, then the report again. A
 * traversal attempt and a page reached under a foreign host name (DNS rebinding, simulated with
 * Chromium's host resolver rules) are refused. A screenshot goes to out/screenshots/preview.png.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type PreviewServer } from '../../src/preview/server.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/reports/2021-渠沟镇人民政府.yaml');
const SHOTS = path.join(ROOT, 'out/screenshots');
const RECEIVED = 'received: [0, 0, 0, 0, 0, 0, 0]';

let server: PreviewServer;
let context: BrowserContext;
let profile: string;
let file: string;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-preview-chromium-'));
  file = path.join(dir, '渠沟镇.yaml');
  cpSync(EXAMPLE, file);
  server = await startPreview({ target: file, port: 0 });
  profile = mkdtempSync(path.join(tmpdir(), 'nianbao-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // a name that resolves to this machine, as a rebinding attacker's would
      '--host-resolver-rules=MAP rebind.example 127.0.0.1',
    ],
  });
  page = await context.newPage();
  page.on('request', (req) => requests.push(req.url()));
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('nianbao preview in Chromium', () => {
  it('shows the draft, and follows edits of the YAML on disk by itself', async () => {
    await page.goto(server.url);
    await expect(page.locator('h1.title').textContent()).resolves.toContain('渠沟镇人民政府');
    await page.locator('#preview-status', { hasText: '实时预览：保存文件后自动更新' }).waitFor({ timeout: 10_000 });

    // a new figure that breaks the row sum: the page reloads itself and shows it with its problem
    const text = readFileSync(file, 'utf8');
    // how soon is measured by `npm run bench` (bench/lib/preview.ts): here, that the page follows by itself
    writeFileSync(file, text.replace(RECEIVED, 'received: [4321, 0, 0, 0, 0, 0, 0]'));
    await page.locator('td', { hasText: /^4321$/ }).waitFor({ timeout: 30_000 });
    const problem = page.locator('.draft-problems li[data-rule="T3-ROW"]');
    await expect(problem.textContent()).resolves.toContain('4321');
    const id = await problem.getAttribute('id');
    const cell = page.locator(`td[aria-describedby~="${id}"]`);
    await expect(cell.getAttribute('class')).resolves.toBe('draft-problem');
    await expect(cell.locator('.draft-marker').textContent()).resolves.toMatch(/^※\d+/);
    // the link to the cell scrolls to it; the editor link names the file and line
    await problem.locator('a.cell').click();
    expect(new URL(page.url()).hash).toBe(`#${await cell.getAttribute('id')}`);
    const line = text.split('\n').findIndex((l) => l.includes(RECEIVED)) + 1;
    await expect(problem.locator('a.editor').getAttribute('href')).resolves.toMatch(new RegExp(`^vscode://file/.+:${line}:\\d+$`));

    mkdirSync(SHOTS, { recursive: true });
    await cell.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'preview.png') });

    // a YAML syntax error: its message at its line, not a blank page
    writeFileSync(file, text.replace(/^year: .*$/m, 'year: [2021'));
    await page.locator('.problem[data-rule="YAML-SYNTAX"]').waitFor({ timeout: 10_000 });
    // the line highlighted, and in it the span blamed: the bracket never closed; under them the hint
    await expect(page.locator('.problem .hit').first().textContent()).resolves.toContain('year: [2021');
    await expect(page.locator('.problem mark').first().textContent()).resolves.toBe('[');
    await expect(page.locator('.problem .hint').first().textContent()).resolves.toMatch(/^提示：.+/);
    await page.screenshot({ path: path.join(SHOTS, 'preview-syntax-error.png') });

    // fixed: the report is back
    writeFileSync(file, text);
    await page.locator('h1.title').waitFor({ timeout: 10_000 });
    await expect(page.locator('.draft-problems').textContent()).resolves.toContain('校验未发现问题');

    // nothing was fetched from anywhere but the preview itself
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
  });

  it('refuses a traversal attempt and a page reached under a foreign host name', async () => {
    for (const p of ['..%2f..%2f..%2fetc%2fpasswd', 'report/0/..%2f..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd']) {
      const response = await page.goto(`${server.url}${p}`);
      expect(response?.status(), p).toBe(404);
      await expect(page.content()).resolves.not.toContain('root:');
    }
    const rebound = await page.goto(`http://rebind.example:${server.port}/`);
    expect(rebound?.status()).toBe(403);
    await expect(page.content()).resolves.not.toContain('渠沟镇');
  });
});

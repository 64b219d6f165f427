/**
 * Real client: Debian's Chromium (driven by playwright-core, never a downloaded browser) loads each
 * example's HTML, takes full-page screenshots (out/screenshots/, for a person to look at) and
 * measures the rendered tables through the browser: the 三、本年度办理结果 cell covers exactly the
 * result rows, table 四 fits an A4-wide page, tables scroll inside their own box on a phone, the page
 * makes no request, and the printed PDF repeats table headers.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/build.js';
import { buildDocument } from '../../src/model/build-document.js';
import type { Report } from '../../src/format/report.js';
import { renderHtml } from '../../src/render/html/index.js';
import { checkFile } from '../../src/validate/index.js';
import { buildWorkspace, indexWorkspace } from '../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';
import { distinctReport } from '../helpers/sample.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples/reports');
const SHOTS = path.join(ROOT, 'out/screenshots');
const A4_WIDTH_PX = 794; // 210 mm at 96 px/in
const PHONE = { width: 375, height: 812 };

interface Case {
  name: string;
  report: Report;
}

async function cases(): Promise<Case[]> {
  const list: Case[] = [
    { name: 'distinct-2019', report: distinctReport('2019') },
    { name: 'distinct-2021', report: distinctReport('2021') },
  ];
  const files = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  for (const file of files) {
    const checked = await checkFile(path.join(EXAMPLES, file));
    if (!checked.report) throw new Error(`example ${file} does not pass its check: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
    list.push({ name: file.replace(/\.ya?ml$/, ''), report: checked.report });
  }
  return list;
}

let context: BrowserContext;
let profile: string;
let all: Case[];
const pages = new Map<string, string>();

beforeAll(async () => {
  all = await cases();
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-html-'));
  for (const c of all) {
    const file = path.join(dir, `${c.name}.html`);
    writeFileSync(file, renderHtml(buildDocument(c.report)));
    pages.set(c.name, file);
  }
  profile = mkdtempSync(path.join(tmpdir(), 'nianbao-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens a page, recording every request that is not the file itself. */
async function open(name: string, viewport: { width: number; height: number }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const file = pages.get(name)!;
  const foreign: string[] = [];
  page.on('request', (req) => {
    if (req.url() !== pathToFileURL(file).href) foreign.push(req.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.evaluate(() => document.fonts.ready);
  return { page, foreign };
}

describe('HTML in Chromium', () => {
  it('has examples to look at', () => {
    expect(all.length).toBeGreaterThan(2);
  });

  it('loads every page without any request, script or console error, and takes screenshots', async () => {
    for (const c of all) {
      const { page, foreign } = await open(c.name, { width: A4_WIDTH_PX, height: 1123 });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      expect(foreign, c.name).toEqual([]);
      expect(await page.locator('script').count()).toBe(0);
      expect(await page.title()).toBe(`${c.report.agency.name}${c.report.year}年政府信息公开工作年度报告`);
      await page.screenshot({ path: path.join(SHOTS, `${c.name}.png`), fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: path.join(SHOTS, `${c.name}-phone.png`), fullPage: true });
      expect(errors, c.name).toEqual([]);
      await page.close();
    }
  });

  it('spans 三、本年度办理结果 over exactly the result rows (20 in 2019, 22 in 2021)', async () => {
    for (const c of all) {
      const { page } = await open(c.name, { width: A4_WIDTH_PX, height: 1123 });
      const geometry = await page.evaluate(() => {
        const table = document.querySelector('table.table3') as HTMLTableElement;
        const cell = [...table.querySelectorAll('th')].find((th) => th.textContent === '三、本年度办理结果')!;
        const box = cell.getBoundingClientRect();
        const rows = [...table.tBodies[0].rows].map((tr) => ({ top: tr.getBoundingClientRect().top, bottom: tr.getBoundingClientRect().bottom, label: tr.querySelector('th:not(.vertical)')?.textContent ?? '' }));
        const inside = rows.filter((r) => r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5);
        return { top: box.top, bottom: box.bottom, width: box.width, height: box.height, inside: inside.map((r) => r.label), first: inside[0], last: inside.at(-1), all: rows.length };
      });
      const expected = c.report.format === '2019' ? 20 : 22;
      expect(geometry.inside, c.name).toHaveLength(expected);
      expect(geometry.inside[0]).toBe('（一）予以公开');
      expect(geometry.inside.at(-1)).toBe('（七）总计');
      expect(Math.abs(geometry.first!.top - geometry.top)).toBeLessThan(1);
      expect(Math.abs(geometry.last!.bottom - geometry.bottom)).toBeLessThan(1);
      // set one character per line: a narrow column, much taller than wide
      expect(geometry.height).toBeGreaterThan(geometry.width * 5);
      await page.close();
    }
  });

  it('fits table 四 in an A4-wide page, and makes tables scroll in their own box on a phone', async () => {
    for (const c of all) {
      const { page } = await open(c.name, { width: A4_WIDTH_PX, height: 1123 });
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('div.table-wrap')].map((w) => ({ cls: w.querySelector('table')!.className, scroll: w.scrollWidth, client: w.clientWidth, right: w.querySelector('table')!.getBoundingClientRect().right })),
      );
      for (const w of wide) {
        expect(w.scroll, `${c.name} ${w.cls}`).toBeLessThanOrEqual(w.client);
        expect(w.right).toBeLessThanOrEqual(A4_WIDTH_PX);
      }
      await page.setViewportSize(PHONE);
      const phone = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        table3: (() => {
          const w = document.querySelector('table.table3')!.parentElement!;
          return { scroll: w.scrollWidth, client: w.clientWidth, overflow: getComputedStyle(w).overflowX };
        })(),
      }));
      expect(phone.page, c.name).toBeLessThanOrEqual(PHONE.width);
      expect(phone.table3.overflow).toBe('auto');
      expect(phone.table3.scroll).toBeGreaterThan(phone.table3.client);
      await page.close();
    }
  });

  it('does not stretch the justified line before a web address (it breaks where the line is full)', async () => {
    const withAddress = all.filter((c) => /https?:\/\//.test(readFileSync(pages.get(c.name)!, 'utf8')));
    expect(withAddress.map((c) => c.name)).toContain('2021-渠沟镇人民政府');
    for (const c of withAddress) {
      for (const viewport of [{ width: A4_WIDTH_PX, height: 1123 }, PHONE]) {
        const { page } = await open(c.name, viewport);
        // The line where each address starts, and the line before it: how much wider than 1 em their widest
        // Chinese character is drawn (justification adds what is left of a line to its characters' boxes).
        // A paragraph's last line is not justified.
        const stretch = await page.evaluate(() =>
          [...document.querySelectorAll('p')]
            .filter((p) => /https?:\/\//.test(p.textContent!))
            .flatMap((p) => {
              const em = parseFloat(getComputedStyle(p).fontSize);
              const starts = [...p.textContent!.matchAll(/https?:\/\//g)].map((m) => m.index);
              const boxes: { top: number; width: number; han: boolean; at: number }[] = [];
              const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
              let offset = 0;
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent!;
                for (let i = 0; i < text.length; i++) {
                  const range = document.createRange();
                  range.setStart(node, i);
                  range.setEnd(node, i + 1);
                  const box = range.getClientRects()[0];
                  if (box && box.width > 0) boxes.push({ top: box.top, width: box.width, han: /\p{Script=Han}/u.test(text[i]), at: offset + i });
                }
                offset += text.length;
              }
              const lines: (typeof boxes)[] = [];
              for (const box of boxes) {
                const line = lines.at(-1);
                if (line && Math.abs(line[0].top - box.top) < em / 2) line.push(box);
                else lines.push([box]);
              }
              const widest = (line: typeof boxes) => Math.max(0, ...line.filter((box) => box.han).map((box) => box.width / em - 1));
              return starts.flatMap((start) => {
                const n = lines.findIndex((line) => line.some((box) => box.at === start));
                return [n - 1, n].filter((i) => i >= 0 && i < lines.length - 1).map((i) => widest(lines[i]));
              });
            }),
        );
        expect(stretch.length, c.name).toBeGreaterThan(0);
        for (const extra of stretch) expect(extra, `${c.name} ${viewport.width}px`).toBeLessThan(0.3);
        await page.close();
      }
    }
  });

  it('prints on A4 with the table header repeated on every page a table continues on', async () => {
    const c = all.find((x) => x.name === 'distinct-2021')!;
    const { page } = await open(c.name, { width: A4_WIDTH_PX, height: 1123 });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true });
    await page.close();
    const file = path.join(SHOTS, `${c.name}-print.pdf`);
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    const pagesCount = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    const texts = Array.from({ length: pagesCount }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ''));
    // pages showing table 三's body rows also show its header (申请人情况), because <thead> repeats
    const table3Pages = texts.map((t, i) => ({ i, t })).filter(({ t }) => /本年度办理结果|予以公开|结转下年度继续办理/.test(t));
    expect(table3Pages.length).toBeGreaterThan(0);
    for (const { i, t } of table3Pages) expect(t, `page ${i + 1}`).toContain('申请人情况');
    // GB/T 9704 page numbers from the CSS margin boxes: — 1 —, — 2 —, …
    texts.forEach((t, i) => expect(t, `page ${i + 1}`).toContain(`—${i + 1}—`));
    for (const label of ['（一）予以公开', '8.属于行政查询事项', '3.其他', '（七）总计', '四、结转下年度继续办理']) {
      expect(texts.join(''), label).toContain(label);
    }
  });
});

/**
 * axe-core (Deque's accessibility engine) run inside Chromium on every page nianbao writes for people
 * to read: each example report and the generated ones, a draft (its banner, marked figures and problem
 * list), and a workspace's index.html. All of axe's rules for WCAG 2.x A/AA and its best practices run;
 * none is turned off.
 */
describe('HTML accessibility (axe-core in Chromium)', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const extra = new Map<string, string>();
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nianbao-axe-'));
    const draft = await buildReport(path.join(ROOT, 'examples/defects/2020-红椿镇人民政府.yaml'), { formats: ['html'], outDir: dir, draft: true });
    expect(draft.ok).toBe(true);
    extra.set('draft', draft.outputs[0]);
    // a workspace built (HTML only), then indexed again with one report's file gone: rows built, with
    // warnings and not built, each with its links or its missing-file message
    const ws = path.join(dir, 'workspace');
    cpSync(path.join(ROOT, 'examples/workspace'), ws, { recursive: true, filter: (src) => path.basename(src) !== 'out' });
    const config = { ...loadWorkspaceConfig(ws), formats: ['html' as const] };
    const built = await buildWorkspace(config);
    extra.set('index', built.indexFile);
    const gone = built.reports.find((r) => r.outputs.html)!.outputs.html!;
    rmSync(gone);
    const indexed = await indexWorkspace(config);
    expect(indexed.reports.some((r) => r.status === 'render-failed')).toBe(true);
    const second = path.join(dir, 'index-partial.html');
    cpSync(indexed.indexFile, second);
    extra.set('index-partial', second);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function violations(file: string, viewport: { width: number; height: number }) {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]; passes: unknown[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return { passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) };
    });
    await page.close();
    return result;
  }

  it('finds no violation in any example report, on an A4-wide screen and on a phone', async () => {
    for (const c of all) {
      for (const viewport of [{ width: A4_WIDTH_PX, height: 1123 }, PHONE]) {
        const result = await violations(pages.get(c.name)!, viewport);
        expect(result.passes, c.name).toBeGreaterThan(10); // axe ran its rules
        expect(result.violations, `${c.name} ${viewport.width}px`).toEqual([]);
      }
    }
  });

  it('finds no violation in a draft and in the workspace index pages', async () => {
    for (const [name, file] of extra) {
      const result = await violations(file, { width: A4_WIDTH_PX, height: 1123 });
      expect(result.passes, name).toBeGreaterThan(10);
      expect(result.violations, name).toEqual([]);
    }
  });
});

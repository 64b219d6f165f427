/**
 * `nianbao build --draft`: a report with errors is built as a draft (报审稿) whose every page says 草稿
 * and which lists its open problems; read back from the files themselves (HTML DOM, docx XML, PDF
 * text through pdfjs). Unusable input still builds nothing; a final build is untouched by all this.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, composeReport, renderFormat } from '../../src/build.js';
import { main } from '../../src/cli/main.js';
import { buildDocument } from '../../src/model/build-document.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { checkFile } from '../../src/validate/index.js';
import type { Diagnostic } from '../../src/validate/types.js';
import { all, attr, readDocx, textOf } from '../helpers/docx-read.js';
import { encodeGbk } from '../helpers/gbk.js';
import { parseHtml } from '../helpers/html-grid.js';
import { readPdf, type ReadPdf } from '../helpers/pdf-read.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Seed 000 as published: 905万 in a cell, blank cells, broken sums. */
const DEFECT = path.join(ROOT, 'examples/defects/2020-红椿镇人民政府.yaml');
const TITLE = '红椿镇人民政府2020年政府信息公开工作年度报告';

const workdir = () => mkdtempSync(path.join(tmpdir(), 'nianbao-draft-'));

/** Runs the CLI in process, capturing what it prints. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

/** `第56行第13列 错误 UNIT-NAME`: how every printed problem line starts after its number. */
const lineStart = (d: Diagnostic) => `第${d.line}行第${d.col}列 ${d.severity === 'error' ? '错误' : '警告'} ${d.rule}`;

describe('nianbao build --draft on a report with errors', () => {
  let out: string;
  let diagnostics: Diagnostic[];
  let run: { code: number; out: string; err: string };
  let pdf: ReadPdf;

  beforeAll(async () => {
    out = workdir();
    diagnostics = [...(await checkFile(DEFECT)).diagnostics];
    run = await cli(['build', DEFECT, '--draft', '-o', out]);
    pdf = await readPdf(readFileSync(path.join(out, `${TITLE}（草稿）.pdf`)));
  });

  it('builds all three formats, named （草稿）, and exits 0', () => {
    expect(diagnostics.filter((d) => d.severity === 'error').length).toBeGreaterThan(10);
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([`${TITLE}（草稿）.docx`, `${TITLE}（草稿）.html`, `${TITLE}（草稿）.pdf`]);
    expect(run.out).toContain(`已生成草稿 ${path.join(out, `${TITLE}（草稿）.pdf`)}（${diagnostics.length} 个问题未解决`);
  });

  it('HTML: a banner, a print watermark, every offending cell described by its problem, the full list', () => {
    const html = readFileSync(path.join(out, `${TITLE}（草稿）.html`), 'utf8');
    const dom = parseHtml(html);
    expect(dom.querySelector('.draft-banner')?.textContent).toContain('草稿');
    expect(dom.querySelector('.draft-watermark')?.textContent).toBe('草稿');
    // the watermark is hidden on screen and fixed on every printed page
    expect(html).toMatch(/@media print \{\s*\.draft-watermark \{ display: block; position: fixed;/);
    const items = [...dom.querySelectorAll('.draft-problems li')];
    expect(items.map((li) => li.getAttribute('data-rule'))).toEqual(diagnostics.map((d) => d.rule));
    items.forEach((li, i) => {
      expect(li.textContent).toContain(diagnostics[i].message);
      expect(li.textContent).toContain(`第${diagnostics[i].line}行第${diagnostics[i].col}列`);
    });
    // the figure written as 905万 is shown as written, in a highlighted cell whose description is its problem
    const cell = [...dom.querySelectorAll('td')].find((td) => td.textContent?.startsWith('905万'))!;
    expect(cell).toBeDefined();
    expect(cell.classList.contains('draft-problem')).toBe(true);
    const described = cell.getAttribute('aria-describedby')!.split(' ').map((id) => dom.getElementById(id)!);
    expect(described.map((li) => li.getAttribute('data-rule'))).toContain('UNIT-NAME');
    // not colour alone: a visible marker with the problem's number
    const number = described[0].id.replace('problem-', '');
    expect(cell.querySelector('.draft-marker')?.textContent).toBe(`※${number}`);
    // every highlighted cell points at existing problems, and each problem with a cell links back to it
    const highlighted = [...dom.querySelectorAll('td.draft-problem')];
    expect(highlighted.length).toBeGreaterThan(10);
    for (const td of highlighted) for (const id of td.getAttribute('aria-describedby')!.split(' ')) expect(dom.getElementById(id)?.tagName).toBe('LI');
    for (const a of dom.querySelectorAll('.draft-problems a.cell')) expect(dom.getElementById(a.getAttribute('href')!.slice(1))?.tagName).toBe('TD');
    // a build file carries no local path (editor links are for the preview only)
    expect(html).not.toContain('vscode://');
  });

  it('PDF: 草稿 drawn on every page, the problems listed at the end, figures shown as written', () => {
    expect(pdf.pages.length).toBeGreaterThan(3);
    for (const page of pdf.pages) {
      const mark = page.items.filter((item) => item.str === '草稿');
      expect(mark.length, `page ${page.number}`).toBe(1);
    }
    const text = pdf.items.map((item) => item.str).join('');
    const appendix = text.indexOf('附：草稿中尚未解决的问题');
    expect(appendix).toBeGreaterThan(0);
    let from = appendix;
    diagnostics.forEach((d, i) => {
      const at = text.indexOf(`${i + 1}. ${lineStart(d)}`, from);
      expect(at, `problem ${i + 1}`).toBeGreaterThan(from);
      from = at;
    });
    expect(text.slice(0, appendix)).toContain('905万');
  });

  it('docx: a 草稿 header band on odd and even pages, the problems listed at the end', () => {
    const docx = readDocx(readFileSync(path.join(out, `${TITLE}（草稿）.docx`)));
    const document = docx.xml('word/document.xml');
    const references = all(document, 'headerReference');
    expect(references.map((r) => attr(r, 'type')).sort()).toEqual(['default', 'even']);
    const rels = docx.text('word/_rels/document.xml.rels');
    for (const ref of references) {
      const id = ref.getAttribute('r:id');
      const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)?.[1];
      expect(target).toBeDefined();
      expect(textOf(docx.xml(`word/${target}`).documentElement as never)).toContain('草稿');
    }
    const paragraphs = all(document, 'p').map((p) => textOf(p));
    const heading = paragraphs.indexOf('附：草稿中尚未解决的问题');
    expect(heading).toBeGreaterThan(0);
    const listed = paragraphs.slice(heading + 2);
    expect(listed).toHaveLength(diagnostics.length);
    listed.forEach((p, i) => {
      expect(p.startsWith(`${i + 1}. ${lineStart(diagnostics[i])}`)).toBe(true);
      expect(p).toContain(diagnostics[i].message);
    });
    expect(paragraphs.slice(0, heading).join('')).toContain('905万');
  });
});

describe('what a draft never does', () => {
  it('unusable input (YAML syntax, GBK) still exits 2 and writes nothing', async () => {
    const dir = workdir();
    const out = path.join(dir, 'out');
    writeFileSync(path.join(dir, 'syntax.yaml'), 'format: "2021"\nyear: [2024\nagency: { name: 某镇人民政府 }\n');
    writeFileSync(path.join(dir, 'gbk.yaml'), encodeGbk('format: "2021"\nyear: 2024\nagency:\n  name: 红椿镇人民政府\n'));
    for (const name of ['syntax.yaml', 'gbk.yaml']) {
      const run = await cli(['build', path.join(dir, name), '--draft', '-o', out]);
      expect(run.code, name).toBe(2);
      expect(run.err).toContain('未生成');
    }
    expect(() => readdirSync(out)).toThrow();
  });

  it('a final build of a passing report is the same bytes as before drafts existed, and says nothing of 草稿', async () => {
    const dir = workdir();
    const file = path.join(dir, 'ok.yaml');
    writeFileSync(file, readFileSync(path.join(ROOT, 'examples/reports/2021-渠沟镇人民政府.yaml')));
    const result = await buildReport(file, { formats: ['html', 'docx', 'pdf'], outDir: dir });
    expect(result.ok).toBe(true);
    expect(result.outputs.every((o) => !o.includes('草稿'))).toBe(true);
    // the emitters of the unchanged document model, called directly, give the files' bytes
    const doc = buildDocument((await checkFile(file)).report!);
    expect(doc.draft).toBeUndefined();
    const [html, docx, pdf] = result.outputs.map((o) => readFileSync(o));
    expect(html.equals(Buffer.from(renderHtml(doc)))).toBe(true);
    expect(docx.equals(Buffer.from(await renderDocx(doc)))).toBe(true);
    expect(pdf.equals(Buffer.from(await renderPdf(doc)))).toBe(true);
    expect(html.toString('utf8')).not.toMatch(/草稿|draft/);
    expect(readDocx(docx).names.some((n) => n.startsWith('word/header'))).toBe(false);
    expect((await readPdf(pdf)).items.some((i) => i.str.includes('草稿'))).toBe(false);

    // a draft of the same report sits beside it under its own name, and leaves the final files alone
    const draft = await buildReport(file, { formats: ['html', 'docx', 'pdf'], outDir: dir, draft: true });
    expect(draft.outputs.map((o) => path.basename(o))).toEqual(['html', 'docx', 'pdf'].map((f) => `${path.basename(result.outputs[0], '.html')}（草稿）.${f}`));
    expect(readFileSync(result.outputs[0]).equals(html)).toBe(true);
    expect(readFileSync(draft.outputs[0], 'utf8')).toContain('校验未发现问题');
  });

  it('the workspace batch build writes drafts only when asked, named by file_name with （草稿）', async () => {
    const dir = workdir();
    expect((await cli(['init', '--workspace', dir])).code).toBe(0);
    const reports = path.join(dir, 'reports/2021');
    const first = readdirSync(reports).find((f) => f.endsWith('.yaml'))!;
    const text = readFileSync(path.join(reports, first), 'utf8');
    const broken = text.replace(/received: \[[^\]]*\]/, 'received: [1, 2, 3, 4, 5, 6, 7]');
    expect(broken).not.toBe(text);
    writeFileSync(path.join(reports, first), broken);
    const drafts = () => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('草稿')).sort();
    // the batch build (the workspace folder named): the failing report is not built, and not as a draft either
    const batch = await cli(['build', dir, '--html']);
    expect(batch.code).toBe(1);
    expect(batch.out).toContain(`未生成：reports/2021/${first}`);
    expect(drafts()).toEqual([]);
    expect((readdirSync(path.join(dir, 'out'), { recursive: true }) as string[]).some((f) => f.endsWith('.html'))).toBe(true);
    // asked: the same build, plus a draft of the failing report listing the workspace check's problems
    const asked = await cli(['build', dir, '--html', '--pdf', '--draft']);
    expect(asked.code, asked.err).toBe(0);
    const stem = first.replace(/\.yaml$/, '');
    expect(drafts()).toEqual([`out${path.sep}2021${path.sep}${stem}（草稿）.html`, `out${path.sep}2021${path.sep}${stem}（草稿）.pdf`]);
    expect(asked.err).toContain(`已生成草稿 out/2021/${stem}（草稿）.pdf`);
    const dom = parseHtml(readFileSync(path.join(dir, 'out/2021', `${stem}（草稿）.html`), 'utf8'));
    const rules = [...dom.querySelectorAll('.draft-problems li')].map((li) => li.getAttribute('data-rule'));
    expect(rules).toContain('T3-ROW');
    // --draft outside a workspace and without naming reports is refused
    const nothing = await cli(['build', '--draft']);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain('草稿须指定报告');
  });

  it('every readable file of the bad-input corpus drafts in all three formats; every unreadable one drafts nothing', async () => {
    const cases = path.join(ROOT, 'test/input/bad-input/cases');
    let drafted = 0;
    for (const name of readdirSync(cases).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const expected = JSON.parse(readFileSync(path.join(cases, name.replace(/\.ya?ml$/, '.expect.json')), 'utf8')) as { exit: number };
      const composed = await composeReport(path.join(cases, name), { draft: true });
      expect(composed.doc === undefined, name).toBe(expected.exit === 2);
      if (!composed.doc) continue;
      expect(composed.doc.draft?.problems.map((p) => p.rule), name).toEqual(composed.diagnostics.map((d) => d.rule));
      for (const format of ['html', 'docx', 'pdf'] as const) expect((await renderFormat(composed.doc, format)).byteLength, `${name} ${format}`).toBeGreaterThan(0);
      drafted++;
    }
    expect(drafted).toBeGreaterThan(50);
  });
});

/**
 * Security of what a report (or a county workspace) can make nianbao do: narrative and agency text
 * never execute, never inject markup and are never compiled as templates; keys such as `__proto__`
 * pollute nothing; workspace paths cannot leave the workspace; pdfmake may neither fetch URLs nor
 * read local files. Every test runs the real code path (check → document → each emitter).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import pdfmake from 'pdfmake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { buildDocument } from '../../src/model/build-document.js';
import type { ReportDocument } from '../../src/model/document.js';
import type { Report } from '../../src/format/report.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { bundledFontFile } from '../../src/render/pdf/fonts.js';
import { checkText } from '../../src/validate/index.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';
import { readDocx } from '../helpers/docx-read.js';
import { readPdf } from '../helpers/pdf-read.js';

const root = path.resolve(import.meta.dirname, '..', '..');
/** A valid 2021-edition report from the corpus (a copy of a committed example). */
const BASE = readFileSync(path.join(import.meta.dirname, 'bad-input', 'cases', '02-ok-crlf.yaml'), 'utf8').replace(/\r\n/g, '\n');

/** Text that tries to be markup, script, entity or template in each place text can go. */
const HOSTILE = {
  script: '<script>alert("xss")</script>',
  img: '<img src=x onerror=alert(1)>',
  closeTag: '</p><h1>伪造标题</h1><p>',
  markupTable: '<table ref="table3"/>',
  cdata: ']]><!-- 注释 -->',
  entity: '&lt;b&gt;&amp;',
  hbsCall: '{{constructor.constructor("return process")()}}',
  hbsBlock: '{{#each this}}{{@key}}{{/each}}',
  hbsPartial: '{{> report}}',
  hbsRaw: '{{{agency.name}}}',
  hbsLookup: '{{lookup this "constructor"}}',
} as const;

/** The base report with texts replaced (or, for keys ending in `+`, appended to the last line). */
function withText(edits: Record<string, string>, drop: string[] = []): string {
  const doc = parseDocument(BASE);
  for (const [key, value] of Object.entries(edits)) {
    const dotted = key.replace(/\+$/, '').split('.');
    doc.setIn(dotted, key.endsWith('+') ? `${String(doc.getIn(dotted))}${value}` : value);
  }
  for (const dotted of drop) doc.deleteIn(dotted.split('.'));
  return doc.toString({ lineWidth: 0 });
}

function validReport(text: string): Report {
  const checked = checkText(text, 'hostile.yaml');
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.rule} ${d.line}:${d.col} ${d.message}`)).toEqual([]);
  return checked.report!;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe('narrative and agency text cannot execute, inject or be compiled', () => {
  const values = Object.values(HOSTILE);
  const narrative = {
    'narrative.problems+': `${HOSTILE.script}${HOSTILE.closeTag}${HOSTILE.hbsCall}`,
    'narrative.other+': `${HOSTILE.img}${HOSTILE.markupTable}${HOSTILE.hbsBlock}${HOSTILE.entity}`,
    'narrative.overview.active+': `${HOSTILE.cdata}${HOSTILE.hbsPartial}${HOSTILE.hbsRaw}${HOSTILE.hbsLookup}`,
    'agency.office': `党政办${HOSTILE.script}`,
    // shown in the preface nianbao writes when the report has none
    'agency.website': 'javascript:alert(1)',
  };
  const dropPreface = ['narrative.preface'];
  let report: Report;
  let doc: ReportDocument;
  let html: string;
  let dom: Document;

  beforeAll(() => {
    report = validReport(withText(narrative, dropPreface));
    doc = buildDocument(report);
    html = renderHtml(doc);
    // a silent console: jsdom's CSS parser does not know every print rule, which is not what is tested here
    dom = new JSDOM(html, { virtualConsole: new VirtualConsole() }).window.document;
  });

  it('keeps the document structure: no block added or changed by the text', () => {
    const original = buildDocument(validReport(withText({}, dropPreface)));
    expect(doc.blocks.map((b) => b.kind)).toEqual(original.blocks.map((b) => b.kind));
    expect(doc.blocks.filter((b) => b.kind === 'table')).toHaveLength(3);
    const headings = doc.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
    expect(headings).toEqual(original.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text));
  });

  it('prints every hostile string literally in the document model (templates never see it as code)', () => {
    const text = doc.blocks.map((b) => ('text' in b ? b.text : 'lines' in b ? b.lines.join('') : '')).join('\n');
    for (const v of values) expect(text).toContain(v);
  });

  it('HTML: nothing executable, no injected element, every string shown as text', () => {
    expect(dom.querySelectorAll('script, img, svg, iframe, object, embed, link[rel=import]')).toHaveLength(0);
    for (const el of Array.from(dom.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false);
    }
    for (const a of Array.from(dom.querySelectorAll('a[href]'))) expect(a.getAttribute('href')!.trim().toLowerCase().startsWith('javascript:')).toBe(false);
    expect(Array.from(dom.querySelectorAll('h1, h2, h3, h4')).some((h) => h.textContent?.includes('伪造标题'))).toBe(false);
    expect(dom.querySelectorAll('table')).toHaveLength(3);
    const shown = dom.body.textContent ?? '';
    for (const v of values) expect(shown).toContain(v);
    expect(shown).toContain('javascript:alert(1)');
  });

  it('docx: the text is XML-escaped, shown literally, and adds no table', async () => {
    const xml = readDocx(await renderDocx(doc)).text('word/document.xml');
    expect(xml.match(/<w:tbl>/g)).toHaveLength(3);
    // raw markup never reaches the XML unescaped
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<h1>');
    const decode = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join('');
    for (const v of values) expect(text).toContain(v);
  });

  it('PDF: the template-looking text is printed as typed', async () => {
    const pdf = await readPdf(await renderPdf(doc));
    const text = squeeze(pdf.items.map((i) => i.str).join(''));
    for (const v of [HOSTILE.hbsCall, HOSTILE.hbsBlock, HOSTILE.script]) expect(text).toContain(squeeze(v));
  }, 60_000);

  it('a placeholder naming a prototype property is an unknown figure, not a lookup', () => {
    for (const name of ['{{三.constructor.总计}}', '{{三.__proto__.总计}}', '{{二.toString.本年制发件数}}', '{{四.行政复议.constructor}}']) {
      const checked = checkText(withText({ 'narrative.problems': `问题：${name}` }), 'ref.yaml');
      expect(checked.report).toBeUndefined();
      expect(checked.diagnostics.some((d) => d.severity === 'error' && d.message.includes(name))).toBe(true);
    }
  });
});

describe('county templates cannot reach prototypes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-tpl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a template asking for constructor or __proto__ gets nothing from the prototype', () => {
    const report = validReport(BASE);
    for (const expr of ['agency.name.constructor.name', 'agency.constructor', 'agency.__proto__', '[constructor]']) {
      const tpl = path.join(dir, expr.replace(/\W/g, '_'));
      mkdirSync(tpl, { recursive: true });
      writeFileSync(path.join(tpl, 'title.hbs'), `<title><line>标题{{${expr}}}</line></title>\n`);
      let built: ReportDocument | undefined;
      try {
        built = buildDocument(report, { templateDirs: [tpl] });
      } catch (error) {
        // refusing the template (strict mode: no such field) is a correct answer
        expect((error as Error).name).toBe('TemplateError');
        continue;
      }
      const title = built.blocks.find((b) => b.kind === 'title') as unknown as { lines: string[] };
      expect(title.lines.join('')).toBe('标题');
    }
  });
});

describe('keys such as __proto__ and constructor pollute nothing', () => {
  const inserts = [
    '__proto__:\n  polluted: true\n',
    'constructor:\n  prototype:\n    polluted: true\n',
    'agency2: &x {polluted: true}\n__proto__: *x\n',
  ];
  const nested = [
    ['\n  office:', '\n  __proto__: {polluted: true}\n  office:'],
    ['\n  results:', '\n  results:\n    __proto__: {polluted: true}'],
    ['\n  received: [0, 0, 0, 0, 0, 0, 0]', '\n  received: {__proto__: [0, 0, 0, 0, 0, 0, 0], polluted: true}'],
    ['\nnarrative:', '\nnarrative:\n  constructor: {prototype: {polluted: true}}'],
  ];
  const files = [...inserts.map((i) => `${i}${BASE}`), ...nested.map(([from, to]) => BASE.replace(from, to))];

  it.each(files.map((f, i) => [i, f] as const))('variant %i is rejected and pollutes no prototype', (_i, text) => {
    expect(text).not.toBe(BASE);
    const checked = checkText(text, 'proto.yaml');
    expect(checked.report).toBeUndefined();
    expect(checked.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    // the parsed data itself must not have had its prototype swapped
    const data = checked.data as Record<string, unknown> | undefined;
    if (data) {
      expect([Object.prototype, null]).toContain(Object.getPrototypeOf(data));
      expect(data.polluted).toBeUndefined();
    }
  });
});

describe('workspace paths cannot leave the workspace', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'nianbao-ws-'));
  const outside = path.join(base, 'outside');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function workspace(name: string, config: string): string {
    const dir = path.join(base, name);
    mkdirSync(path.join(dir, 'reports'), { recursive: true });
    mkdirSync(path.join(dir, 'tpl'), { recursive: true });
    writeFileSync(path.join(dir, 'nianbao.yaml'), config);
    writeFileSync(path.join(dir, 'reports', 'a.yaml'), BASE);
    return dir;
  }

  beforeAll(() => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'font.ttf'), 'not a font');
  });

  const refused: [string, string, string][] = [
    ['templates-dotdot', 'templates: ../../../../../etc\n', '超出了工作区文件夹'],
    ['templates-absolute', 'templates: /etc\n', '是绝对路径'],
    ['font-dotdot', 'fonts:\n  body: ../../../../../etc/passwd\n', '超出了工作区文件夹'],
    ['font-absolute', 'fonts:\n  body: {file: /etc/passwd}\n', '是绝对路径'],
    ['font-sibling', 'fonts:\n  body: ../outside/font.ttf\n', '超出了工作区文件夹'],
    ['output-dotdot', 'output: ../outside\n', '超出了工作区文件夹'],
    ['reports-dotdot', 'reports: [../..]\n', '超出了工作区文件夹'],
  ];
  it.each(refused)('%s is refused, naming the key and the path', (name, config, why) => {
    const dir = workspace(name, config);
    expect(() => loadWorkspaceConfig(dir)).toThrow(why);
    try {
      loadWorkspaceConfig(dir);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/nianbao\.yaml:\d+:\d+ 错误/);
      expect(message).toContain(config.split('\n')[0].replace(/:.*$/, ''));
    }
  });

  it('a symbolic link inside the workspace that points outside is refused', () => {
    const dir = workspace('symlink', 'templates: tpl-link\n');
    symlinkSync(outside, path.join(dir, 'tpl-link'));
    expect(() => loadWorkspaceConfig(dir)).toThrow('经符号链接指向了工作区之外');
  });

  it('the same paths inside the workspace are accepted (the refusals above are about escaping)', () => {
    const dir = workspace('inside', 'templates: tpl\noutput: out\n');
    const config = loadWorkspaceConfig(dir);
    expect(config.templates).toBe(path.join(config.root, 'tpl'));
    expect(config.output).toBe(path.join(config.root, 'out'));
  });

  it('nianbao build in an escaping workspace exits 2 and writes nothing', async () => {
    const dir = workspace('cli', 'templates: ../../../../../etc\noutput: out\n');
    const result = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [path.join(root, 'bin', 'nianbao.js'), 'build'], { cwd: dir, encoding: 'utf8' }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, out: stdout + stderr }),
      ),
    );
    expect(result.code).toBe(2);
    expect(result.out).toContain('超出了工作区文件夹');
    expect(result.out).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);
});

describe('pdfmake may neither fetch URLs nor read local files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-pdfpolicy-'));
  // a valid 1×1 PNG, so the only possible reason to refuse it is the access policy
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const file = path.join(dir, 'dot.png');
  writeFileSync(file, png);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // importing the PDF emitter (done above) is what sets the policies on the process-wide pdfmake;
  // the font comes from pdfmake's virtual file system, which no policy governs
  const vfs = (pdfmake as unknown as { virtualfs: { writeFileSync(name: string, data: Uint8Array): void } }).virtualfs;
  beforeAll(() => {
    vfs.writeFileSync('security-test.ttf', readFileSync(bundledFontFile('body')));
    pdfmake.setFonts({ SecurityTest: { normal: 'security-test.ttf', bold: 'security-test.ttf', italics: 'security-test.ttf', bolditalics: 'security-test.ttf' } });
  });
  const definition = (image: string) => ({ content: [{ text: 'x' }, { image, width: 10 }], defaultStyle: { font: 'SecurityTest' } });

  it('refuses a local image path', async () => {
    await expect(pdfmake.createPdf(definition(file)).getBuffer()).rejects.toThrow('denied by resource access policy');
  });

  it('refuses a URL without fetching it', async () => {
    await expect(pdfmake.createPdf(definition('http://127.0.0.1:9/dot.png')).getBuffer()).rejects.toThrow('denied by resource access policy');
  });

  it('control: with local access allowed the same image is read (so the refusal above is the policy)', async () => {
    pdfmake.setLocalAccessPolicy(() => true);
    try {
      const pdf = await pdfmake.createPdf(definition(file)).getBuffer();
      expect(pdf.byteLength).toBeGreaterThan(500);
    } finally {
      pdfmake.setLocalAccessPolicy(() => false);
    }
  });
});

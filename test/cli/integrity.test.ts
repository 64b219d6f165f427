/**
 * Issue 18 part A: what `check` accepts is what is published. A report that passes `check` builds in
 * all three formats, and one that fails is not built by `build` either, for figures in every written
 * form and text with every kind of troublesome character; the published figure is its written text
 * (`12.50` stays `12.50` in HTML, docx and PDF); the size limit states the size exactly; plain
 * diagnostics never hand a control character to the terminal.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/build.js';
import { main } from '../../src/cli/main.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { terminalSafe } from '../../src/diagnostics/errors.js';
import { formatForStyle } from '../../src/diagnostics/ci-format.js';
import { pdfGlyphCoverage } from '../../src/render/pdf/coverage.js';
import { checkText, MAX_REPORT_BYTES } from '../../src/validate/index.js';
import { buildWorkspace } from '../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';
import { initWorkspace } from '../../src/workspace/scaffold/scaffold.js';
import { readDocx } from '../helpers/docx-read.js';
import { readPdf } from '../helpers/pdf-read.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const BASE = readFileSync(path.join(root, 'examples/reports/2021-渠沟镇人民政府.yaml'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-integrity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAME = '\n  name: "渠沟镇人民政府"';
const ON_REQUEST = '2021年度我镇未收到依申请公开政府信息。';
const replaceOnce = (text: string, from: string | RegExp, to: string) => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`not found: ${String(from)}`);
  return out;
};

/** Variants of a valid report: each puts one written form or one character where a clerk might. */
const variants: { name: string; text: string }[] = [];
const inName = (ch: string) => replaceOnce(BASE, NAME, `\n  name: "渠沟镇${ch}人民政府"`);
const inNarrative = (ch: string) => replaceOnce(BASE, ON_REQUEST, `2021年度我镇${ch}未收到依申请公开政府信息。`);
const CHARACTERS = [
  // refused: invisible, bidi, control, no glyph in the bundled fonts
  '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u200E', '\u202A', '\u202E', '\u2066', '\u2069', '\u0007', '\u007F', '\u0090',
  '😀', '👍🏽', '𠀀', '𠮷', '\uE000', '\uFFFF',
  // accepted when the fonts draw them
  '·', '—', '〇', '①', '™', 'é', 'Ω', '㎡', '\u3000', '\u00A0', '“引号”', '囧',
];
for (const ch of CHARACTERS) {
  const label = [...ch].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ');
  variants.push({ name: `name ${label}`, text: inName(ch) }, { name: `narrative ${label}`, text: inNarrative(ch) });
}
for (const escape of ['\\u200b', '\\ud800', '\\udc00', '\\x1b', '\\u202e', '\\U0001F600', '\\t'])
  variants.push({ name: `name escape ${escape}`, text: replaceOnce(BASE, NAME, `\n  name: "渠沟镇${escape}人民政府"`) });
const licensing = (raw: string) => replaceOnce(BASE, /\n  licensing: +# [^\n]*\n    decisions: 0/, `\n  licensing:\n    decisions: ${raw}`);
for (const raw of ['0x10', '0o10', '1e2', '.5e1', '+5', '3.0', '5.', '010', '4.999999999999999999', '1e-400', '-0', '0', '17', '9007199254740991', '!!float 3', '!!int 3'])
  variants.push({ name: `count ${raw}`, text: licensing(raw) });
const fees = (raw: string) => replaceOnce(BASE, /\n    amount: 0 /, `\n    amount: ${raw} `);
for (const raw of ['0.0000001', '1e-7', '12.3456789012345678', '12.50', '0.000001', '12.5', '100', '99999999.999999', '999999999.999999', '1234567890123.123', '0.10'])
  variants.push({ name: `money ${raw}`, text: fees(raw) });
for (const date of ['2022-02-30', '2022-13-45', '2022-02-28', '2024-02-29', '2100-02-29', '2000-02-29'])
  variants.push({ name: `date ${date}`, text: replaceOnce(BASE, '\nyear: 2021\n', `\nyear: 2021\ndate: "${date}"\n`) });
for (const year of ['20224', '2098', '2099'])
  variants.push({ name: `year ${year}`, text: replaceOnce(BASE, '\nyear: 2021\n', `\nyear: ${year}\n`) });

async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const saved = [process.stdout.write, process.stderr.write];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await run();
  } finally {
    [process.stdout.write, process.stderr.write] = saved;
  }
}

describe('check and build agree', () => {
  for (const [i, v] of variants.entries()) {
    it(`${v.name}: passes check and builds in html, docx and PDF, or fails both`, async () => {
      const file = path.join(dir, `v${i}.yaml`);
      writeFileSync(file, v.text);
      const out = path.join(dir, `out${i}`);
      const code = await quietly(() => main(['check', file]));
      const built = await buildReport(file, { formats: ['html', 'docx', 'pdf'], outDir: out });
      if (code === 0) {
        expect(built.ok, built.diagnostics.map((d) => d.message).join('\n')).toBe(true);
        expect(built.outputs.map((f) => path.extname(f))).toEqual(['.html', '.docx', '.pdf']);
      } else {
        expect([1, 2]).toContain(code);
        expect(built.ok).toBe(false);
        expect(built.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(() => readdirSync(out)).toThrow(); // nothing written, not even the folder
      }
    }, 60_000);
  }
  it('refuses every form and character the rule refuses, and accepts the rest', () => {
    const glyphs = pdfGlyphCoverage();
    const refusedByCheck = (text: string) => checkText(text, 'v.yaml', { glyphs }).diagnostics.some((d) => d.severity === 'error');
    const refused = variants.filter((v) => refusedByCheck(v.text)).map((v) => v.name);
    const accepted = variants.map((v) => v.name).filter((name) => !refused.includes(name));
    const expectRefused = [
      ...['U+200B', 'U+200C', 'U+200D', 'U+2060', 'U+FEFF', 'U+200E', 'U+202A', 'U+202E', 'U+2066', 'U+2069', 'U+7', 'U+7F', 'U+90', 'U+1F600', 'U+20000', 'U+FFFF'].flatMap((l) => [`name ${l}`, `narrative ${l}`]),
      ...['\\u200b', '\\ud800', '\\udc00', '\\x1b', '\\u202e', '\\U0001F600'].map((e) => `name escape ${e}`),
      ...['0x10', '0o10', '1e2', '.5e1', '+5', '3.0', '5.', '010', '4.999999999999999999', '1e-400', '-0', '!!float 3', '!!int 3'].map((r) => `count ${r}`),
      ...['0.0000001', '1e-7', '12.3456789012345678', '1234567890123.123'].map((r) => `money ${r}`),
      'date 2022-02-30', 'date 2022-13-45', 'year 20224', 'year 2099',
    ];
    for (const name of expectRefused) expect(refused, name).toContain(name);
    for (const name of ['name U+B7', 'narrative U+3007', 'name escape \\t', 'count 17', 'count 9007199254740991', 'money 12.50', 'money 0.000001', 'money 0.10', 'money 99999999.999999', 'money 999999999.999999', 'date 2024-02-29', 'date 2000-02-29', 'year 2098'])
      expect(accepted, name).toContain(name);
  });
});

describe('the published figure is the written text', () => {
  it('an amount written 12.50 is 12.50 in HTML, docx and PDF (not 12.5), and 0.000001 is not 1e-6', async () => {
    const file = path.join(dir, 'money.yaml');
    writeFileSync(file, fees('12.50'));
    const built = await buildReport(file, { formats: ['html', 'docx', 'pdf'], outDir: path.join(dir, 'money') });
    expect(built.ok).toBe(true);
    const [html, docx, pdf] = built.outputs.map((f) => readFileSync(f));
    expect(html.toString('utf8')).toMatch(/>12\.50</);
    const body = readDocx(docx).text('word/document.xml');
    expect(body).toMatch(/>12\.50</);
    expect(body).not.toMatch(/>12\.5</);
    const items = (await readPdf(pdf)).items.map((i) => i.str.trim());
    expect(items).toContain('12.50');
    expect(items).not.toContain('12.5');

    const small = checkText(fees('0.000001'), 'small.yaml');
    expect(small.report?.figureText ?? {}).toEqual({});
    expect(String(0.000001)).toBe('0.000001'); // the plain rendering: no figure text needed
  }, 60_000);
});

describe('in a workspace batch build', () => {
  it('publishes the written amount through the check thread and the render workers, and refuses a character the fonts lack', async () => {
    const ws = path.join(dir, '工作区');
    await initWorkspace(ws, '0.1.0');
    const edit = (rel: string, from: string, to: string) => {
      const file = path.join(ws, rel);
      writeFileSync(file, replaceOnce(readFileSync(file, 'utf8'), from, to));
    };
    edit('reports/2021/红椿镇.yaml', 'fees: {amount: 1.2}', 'fees: {amount: 1.20}');
    edit('reports/2021/青石镇.yaml', '\n  name: 青石镇人民政府', '\n  name: 青石镇😀人民政府');
    const config = { ...loadWorkspaceConfig(ws), formats: ['html' as const] };
    const result = await quietly(() => buildWorkspace(config, { jobs: 1 }));
    const status = Object.fromEntries(result.reports.map((r) => [r.entry.rel, r.status]));
    expect(status['reports/2021/红椿镇.yaml']).toBe('built');
    expect(status['reports/2021/青石镇.yaml']).toBe('failed');
    const refused = result.reports.find((r) => r.entry.rel === 'reports/2021/青石镇.yaml')!;
    expect(refused.diagnostics.map((d) => [d.rule, d.line, d.col])).toContainEqual(['TEXT-GLYPH', 7, 12]);
    expect(readFileSync(path.join(ws, 'out', '2021', '红椿镇.html'), 'utf8')).toMatch(/>1\.20</);
  }, 120_000);
});

describe('nianbao.yaml agency defaults, printed in every report', () => {
  it('are held to the same character rule: an invisible character or an emoji stops with the place named', async () => {
    for (const [i, [text, rule, shown]] of ([
      ['云溪县\u200B人民政府', 'TEXT-INVISIBLE', 'U+200B（零宽空格）'],
      ['云溪县😀人民政府', 'TEXT-GLYPH', '「😀」（U+1F600）'],
    ] as const).entries()) {
      const ws = path.join(dir, `defaults${i}`);
      await initWorkspace(ws, '0.1.0');
      const file = path.join(ws, 'nianbao.yaml');
      writeFileSync(file, replaceOnce(readFileSync(file, 'utf8'), '  parent: 云溪县人民政府', `  parent: ${text}`));
      expect(() => loadWorkspaceConfig(ws)).toThrow(new RegExp(`nianbao\\.yaml:6:11 错误 WS-CONFIG ${rule}：「agency\\.parent」.*${shown.replace(/[()（）+]/g, '.')}`));
    }
  }, 60_000);
});

describe('messages', () => {
  it('states the real size of a file over the limit, in bytes, never rounded onto the limit', () => {
    const result = checkText('#'.repeat(MAX_REPORT_BYTES + 1), 'big.yaml');
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['FILE-TOO-LARGE']);
    expect(result.diagnostics[0].message).toContain('5.00 MB（5,242,881 字节），超过 5 MB（5,242,880 字节）的上限');
    const bigger = checkText('#'.repeat(5_526_020), 'big.yaml');
    expect(bigger.diagnostics[0].message).toContain('5.27 MB（5,526,020 字节）');
  });

  it('plain diagnostics write control, bidi and zero-width characters as code points, one line each', () => {
    const line = formatDiagnostic(
      { file: 'a\u001b[2J.yaml', line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error', rule: 'UNKNOWN-KEY', message: '没有「x\n::error file=a::forged\u001b[31m\u202e12\u200b」这一项', hint: '删去\u001b[2J它' },
      { color: false },
    );
    expect(line).toBe('a<U+001B>[2J.yaml:1:1 错误 UNKNOWN-KEY 没有「x<U+000A>::error file=a::forged<U+001B>[31m<U+202E>12<U+200B>」这一项\n  = 提示：删去<U+001B>[2J它');
    // the one line break is the hint's own
    expect(line.replace('\n  = 提示：', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u200b]/);
    // CLI error messages keep their own line breaks, nothing else
    expect(terminalSafe('第一行\n第二行\r\u001b', true)).toBe('第一行\n第二行<U+000D><U+001B>');
  });

  it('GitHub annotations show the same characters as code points: no raw ESC, no forged workflow command', () => {
    const out = formatForStyle([{ file: 'a.yaml', line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error', rule: 'UNKNOWN-KEY', message: '没有「x\n::error file=a::forged\u001b[31m\u202e12」这一项', hint: '删去' }], 'github');
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('<U+001B>[31m<U+202E>12');
    expect(out).toContain('x%0A::error');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('the glyph coverage is the PDF renderer\'s: a character the bundled body font lacks is named with the font', () => {
    const glyphs = pdfGlyphCoverage();
    expect(glyphs.missing('body', '年报😀𠀀')).toEqual(['😀', '𠀀']);
    expect(glyphs.missing('title', '政府信息公开')).toEqual([]);
    expect(glyphs.fontName('body')).toBe('NotoSerifSC_400Regular.ttf（nianbao 自带）');
  });
});

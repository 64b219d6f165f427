/**
 * The HTML page: self-contained, script-free, semantic, and safe: narrative and agency text is shown
 * exactly as typed, never as markup, never as a template. Deterministic bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/model/build-document.js';
import type { Report } from '../../src/format/report.js';
import { escapeHtml, renderHtml } from '../../src/render/html/index.js';
import { styleSheet } from '../../src/render/html/css.js';
import { GRID_CHAR_PT, LINE_PITCH_PT, PAGE } from '../../src/render/layout.js';
import { distinctReport, sampleDocument } from '../helpers/sample.js';
import { parseHtml } from '../helpers/html-grid.js';

const HOSTILE = [
  '<script>alert(1)</script>',
  '</p><h1>伪造标题</h1><p>',
  '<table ref="table3"/>',
  '<img src=x onerror=alert(1)>',
  '{{agency.name}}',
  '{{> title}}',
  '{{{agency.name}}}',
  '}}',
  '{{',
  'A&B &amp; &lt;',
  '"双引号" \'单引号\' `反引号` =等号',
  '<![CDATA[x]]>',
  '<!-- 注释 -->',
];

describe('escaping and injection', () => {
  const base = distinctReport('2021');

  it.each(HOSTILE)('narrative %j is shown as typed text', (hostile) => {
    const text = `前${hostile}后`;
    const report = { ...base, narrative: { overview: { active: text }, problems: text, other: text } } as Report;
    const doc = buildDocument(report);
    // the document model holds the text unchanged, as three paragraphs (no structure was added)
    expect(doc.blocks.filter((b) => b.kind === 'paragraph' && b.text === text)).toHaveLength(3);
    expect(doc.blocks.filter((b) => b.kind === 'heading')).toHaveLength(7);
    expect(doc.blocks.filter((b) => b.kind === 'table')).toHaveLength(3);
    const page = parseHtml(renderHtml(doc));
    expect(page.querySelectorAll('script, img, iframe')).toHaveLength(0);
    expect(page.querySelectorAll('h1')).toHaveLength(1);
    expect(page.querySelectorAll('table')).toHaveLength(3);
    expect([...page.querySelectorAll('p')].filter((p) => p.textContent === text)).toHaveLength(3);
  });

  it.each(HOSTILE)('agency name %j is shown as typed in title, preface, 落款 and <title>', (hostile) => {
    const name = `测试${hostile}镇`;
    const doc = buildDocument({ ...base, agency: { ...base.agency, name, office: `办${hostile}` } } as Report);
    const page = parseHtml(renderHtml(doc));
    expect(page.querySelectorAll('script, img')).toHaveLength(0);
    expect(page.title).toBe(`${name}2024年政府信息公开工作年度报告`);
    expect(page.querySelector('h1.title')!.innerHTML.split('<br>').map((s) => parseHtml(`<p>${s}</p>`).querySelector('p')!.textContent)).toEqual([
      name,
      '2024年政府信息公开工作年度报告',
    ]);
    expect(page.querySelector('meta[name="author"]')!.getAttribute('content')).toBe(name);
    expect(page.querySelector('p.indent')!.textContent).toContain(`请与${name}办${hostile}联系`);
    expect([...page.querySelectorAll('.signature p')].map((p) => p.textContent)).toEqual([name, '2025年1月20日']);
  });

  const special = fc.constantFrom('<', '>', '&', '"', "'", '`', '=', '{{', '}}', '{', '}', '/', '<p>', '</p>', '<table ref="table3"/>', '&amp;', '&#x27;', ']]>', '\u3000', ' ', '\t', '中', '文');
  const anyText = fc.array(fc.oneof(special, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(''));

  it('shows any one-line narrative exactly as typed (property)', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const text = raw.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/g, '').trim();
        fc.pre(text !== '' && !/\{\{\s*[一二三四五六七八九十]+\./.test(text));
        const doc = buildDocument({ ...base, narrative: { other: text } } as Report);
        const page = parseHtml(renderHtml(doc));
        const paragraphs = [...page.querySelectorAll('p.indent')];
        expect(paragraphs.at(-1)!.textContent).toBe(text);
        expect(page.querySelectorAll('h1')).toHaveLength(1);
        expect(page.querySelectorAll('table')).toHaveLength(3);
      }),
      { numRuns: 150 },
    );
  });

  it('never breaks on control characters, lone surrogates or odd line breaks: they never reach an emitter', () => {
    fc.assert(
      fc.property(anyText, fc.string({ unit: 'binary', maxLength: 8 }), (narrative, name) => {
        const doc = buildDocument({ ...base, agency: { ...base.agency, name: `镇${name}` }, narrative: { problems: narrative } } as Report);
        for (const block of doc.blocks) {
          const texts = block.kind === 'paragraph' || block.kind === 'heading' ? [block.text] : block.kind === 'title' || block.kind === 'signature' ? block.lines : [];
          for (const t of texts) expect(t).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0085\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('treats CR LF, CR, NEL, LS and PS in narrative as paragraph breaks', () => {
    const doc = buildDocument({ ...base, narrative: { other: '甲\r\n乙\r丙\u0085丁\u2028戊\u2029己' } } as Report);
    const i = doc.blocks.findIndex((b) => b.kind === 'heading' && b.text === '六、其他需要报告的事项');
    expect(doc.blocks.slice(i + 1, i + 7).map((b) => (b.kind === 'paragraph' ? b.text : b.kind))).toEqual(['甲', '乙', '丙', '丁', '戊', '己']);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('marks each web address in running text so that it may break anywhere, the text unchanged', () => {
    const text = '年报在“某某区门户网站”（https://www.example.gov.cn/zwgk/list?type=2&id=3）公布，另见www.example.gov.cn/nb. 或http://a.cn/"x"；https:// 后无地址。';
    const doc = buildDocument({ ...base, narrative: { other: text } } as Report);
    const page = parseHtml(renderHtml(doc));
    const paragraph = [...page.querySelectorAll('p.indent')].at(-1)!;
    expect(paragraph.textContent).toBe(text);
    // the sentence's own full stop, quote marks and brackets stay outside; a scheme alone is no address
    expect([...paragraph.querySelectorAll('span.url')].map((s) => s.textContent)).toEqual([
      'https://www.example.gov.cn/zwgk/list?type=2&id=3',
      'www.example.gov.cn/nb',
      'http://a.cn/',
    ]);
    expect(styleSheet()).toMatch(/\.url \{ word-break: break-all; \}/);
  });
});

describe('HTML page', () => {
  const report = distinctReport('2021');
  const html = renderHtml(buildDocument(report));
  const page = parseHtml(html);

  it('is self-contained and script-free: no external request of any kind', () => {
    expect(page.documentElement.getAttribute('lang')).toBe('zh-CN');
    expect(page.querySelector('meta[charset]')!.getAttribute('charset')).toBe('utf-8');
    expect(page.querySelectorAll('script, link, img, iframe, object, embed')).toHaveLength(0);
    expect(html).not.toMatch(/\bon[a-z]+=|javascript:|url\(|@import|https?:\/\//i);
    expect(page.querySelectorAll('style')).toHaveLength(1);
  });

  it('uses semantic headings: the title h1, 一、 h2, （一） h3', () => {
    const overview = { ...report, narrative: { overview: { active: '甲', on_request: '乙' } } } as Report;
    const p = parseHtml(renderHtml(buildDocument(overview)));
    expect([...p.querySelectorAll('h1, h2, h3')].map((h) => `${h.tagName}:${h.textContent}`)).toEqual([
      'H1:测试镇人民政府2024年政府信息公开工作年度报告',
      'H2:一、总体情况',
      'H3:（一）主动公开',
      'H3:（二）依申请公开',
      'H2:二、主动公开政府信息情况',
      'H2:三、收到和处理政府信息公开申请情况',
      'H2:四、政府信息公开行政复议、行政诉讼情况',
      'H2:五、存在的主要问题及改进情况',
      'H2:六、其他需要报告的事项',
    ]);
  });

  it('wraps every table in its own horizontally scrolling, labelled box', () => {
    const wraps = [...page.querySelectorAll('div.table-wrap')];
    expect(wraps.map((w) => w.getAttribute('aria-label'))).toEqual(['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况']);
    expect(wraps.every((w) => w.children.length === 1 && w.children[0].tagName === 'TABLE')).toBe(true);
    expect(html).toMatch(/\.table-wrap \{[^}]*overflow-x: auto/);
  });

  it('keeps its tables ruled when pasted into a CMS that drops the style sheet', () => {
    expect([...page.querySelectorAll('table')].map((t) => t.getAttribute('border'))).toEqual(['1', '1', '1']);
  });

  it('names the official faces first in its font stacks', () => {
    const css = page.querySelector('style')!.textContent!;
    expect(css).toMatch(/body \{[^}]*font-family: "仿宋_GB2312"/);
    expect(css).toMatch(/h1\.title \{[^}]*font-family: "方正小标宋简体"/);
    expect(css).toMatch(/h2 \{[^}]*font-family: "黑体"/);
    expect(css).toMatch(/h3 \{[^}]*font-family: "楷体_GB2312"/);
  });

  it('prints on A4 with the GB/T 9704 margins, repeating header rows and unsplit rows', () => {
    const css = page.querySelector('style')!.textContent!;
    const m = PAGE.marginMm;
    expect(css).toContain(`@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }`);
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toMatch(/thead \{ display: table-header-group; \}/);
    // rows whole through their cells; a cell spanning rows may break between them (not the whole group moved)
    expect(print).toMatch(/\n  th, td \{ break-inside: avoid;/);
    expect(print).toMatch(/th\[rowspan\], td\[rowspan\] \{ break-inside: auto;/);
    expect(print).not.toMatch(/\btr[^{]*\{ break-inside: avoid/);
    // 28 characters a line as the docx and PDF: 3号 condensed to the 版心's 28th
    expect(print).toContain(`letter-spacing: ${Math.round((GRID_CHAR_PT - 16) * 100) / 100}pt`);
    expect(print).toContain(`line-height: ${Math.round(LINE_PITCH_PT * 100) / 100}pt`);
    expect(print).toMatch(/font-size: 16pt/);
  });

  it('has one <main> landmark and names every table by a <caption> (its section heading)', () => {
    const page = parseHtml(renderHtml(sampleDocument(distinctReport('2021'))));
    expect(page.querySelectorAll('main')).toHaveLength(1);
    expect(page.querySelector('main')!.querySelectorAll('table')).toHaveLength(3);
    const captions = [...page.querySelectorAll('table')].map((t) => t.querySelector(':scope > caption')?.textContent);
    expect(captions).toEqual(['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况']);
  });

  it('renders a hand-assembled document too (any emitter input, not only template output)', () => {
    const p = parseHtml(renderHtml(sampleDocument(distinctReport('2019'))));
    expect(p.querySelectorAll('table')).toHaveLength(3);
    // the title may break only between words: <wbr> at word boundaries, 人民政府 whole, keep-all in the CSS
    const title = p.querySelector('h1')!.innerHTML;
    expect(title.replace(/<wbr>/g, '')).toBe('测试镇人民政府<br>2020年政府信息公开工作年度报告');
    expect(title.split('<br>')[0].split('<wbr>')).toContain('人民政府');
    expect(styleSheet()).toMatch(/h1\.title, \.signature p \{ word-break: keep-all; \}/);
    // years, phone numbers and names never break inside: only a web address may (.url)
    expect(styleSheet().match(/[^\n]*break-all[^\n]*/g)).toEqual(['.url { word-break: break-all; }']);
  });

  it('is deterministic: the same report gives the same bytes', () => {
    expect(renderHtml(buildDocument(structuredClone(report)))).toBe(html);
  });
});

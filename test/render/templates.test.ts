/** County template folders override the default partials; template mistakes fail with file and line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument, TemplateError } from '../../src/model/build-document.js';
import { DEFAULT_TEMPLATE_DIR } from '../../src/model/compose/templates.js';
import type { Report } from '../../src/format/report.js';
import { renderHtml } from '../../src/render/html/index.js';
import { distinctReport } from '../helpers/sample.js';

const report = distinctReport('2021');

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-tpl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function templateError(files: Record<string, string>): string {
  try {
    buildDocument(report, { templateDirs: [folder(files)] });
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return (error as Error).message;
  }
  throw new Error('expected a TemplateError');
}

describe('template override', () => {
  it('replaces only the overridden partial; the rest stays the default', () => {
    const dir = folder({ 'signature.hbs': '<signature><line>{{agency.name}}（盖章）</line><line>{{date}}</line></signature>\n' });
    const custom = buildDocument(report, { templateDirs: [dir] });
    const standard = buildDocument(report);
    expect(custom.blocks.at(-1)).toEqual({ kind: 'signature', lines: ['测试镇人民政府（盖章）', '2025年1月20日'] });
    expect(custom.blocks.slice(0, -1)).toEqual(standard.blocks.slice(0, -1));
  });

  it('applies the same override to every format through the one document model', () => {
    const dir = folder({ 'title.hbs': '<title><line>{{title}}</line></title>' });
    const doc = buildDocument(report, { templateDirs: [dir] });
    expect(doc.blocks[0]).toEqual({ kind: 'title', lines: ['测试镇人民政府2024年政府信息公开工作年度报告'] });
    // (the title may break only between words: <wbr> between them, <br> between the even lines of a line
    // wider than the 版心, src/render/words.ts)
    expect(renderHtml(doc).replace(/<wbr>|<br>/g, '')).toContain('<h1 class="title">测试镇人民政府2024年政府信息公开工作年度报告</h1>');
  });

  it('searches folders in order: the first folder that has a file wins', () => {
    const first = folder({ 'contact.hbs': '联系电话：{{agency.phone}}。' });
    const second = folder({ 'contact.hbs': '第二个目录。', 'signature.hbs': '<signature><line>第二个目录落款</line></signature>' });
    const doc = buildDocument(report, { templateDirs: [first, second] });
    const preface = doc.blocks[1];
    expect(preface.kind === 'paragraph' && preface.text.endsWith('联系电话：0000-1234567。')).toBe(true);
    expect(doc.blocks.at(-1)).toEqual({ kind: 'signature', lines: ['第二个目录落款'] });
  });

  it('lets a county add its own partial and use extra agency fields', () => {
    const dir = folder({
      'section.hbs': readFileSync(path.join(DEFAULT_TEMPLATE_DIR, 'section.hbs'), 'utf8') + '{{#if table}}{{> table-note}}{{/if}}\n',
      'table-note.hbs': '<p indent="no">注：本表数据由{{@root.agency.统计口径}}提供。</p>\n',
    });
    const r = { ...report, agency: { ...report.agency, 统计口径: '县政务公开办' } } as Report;
    const doc = buildDocument(r, { templateDirs: [dir] });
    const at = doc.blocks.findIndex((b) => b.kind === 'table' && b.table === 'table3');
    expect(doc.blocks[at + 1]).toEqual({ kind: 'paragraph', indent: false, text: '注：本表数据由县政务公开办提供。' });
  });

  it('adds a page break where a template asks for one', () => {
    const dir = folder({ 'title.hbs': '<title><line>{{agency.name}}</line></title>\n<pagebreak/>\n' });
    expect(buildDocument(report, { templateDirs: [dir] }).blocks.slice(0, 2)).toEqual([{ kind: 'title', lines: ['测试镇人民政府'] }, { kind: 'pageBreak' }]);
  });
});

describe('template errors name the file and line', () => {
  it('unknown field (strict mode)', () => {
    const message = templateError({ 'signature.hbs': '<signature>\n  <line>{{agency.nmae}}</line>\n</signature>' });
    expect(message).toMatch(/signature\.hbs 第2行/);
    expect(message).toContain('nmae');
  });

  it('unknown partial', () => {
    const message = templateError({ 'report.hbs': '{{> title}}\n{{> preface}}\n{{> sectoin}}\n' });
    expect(message).toMatch(/report\.hbs 第3行/);
    expect(message).toContain('sectoin');
  });

  it('unclosed, mismatched or unknown elements', () => {
    expect(templateError({ 'signature.hbs': '<signature>\n<line>{{agency.name}}\n</signature>' })).toMatch(/signature\.hbs 第3行.*<\/signature>.*第2行的 <line>/);
    expect(templateError({ 'title.hbs': '<title><line>{{agency.name}}</line>\n' })).toMatch(/title\.hbs 第1行.*<title> 没有结束标记/);
    expect(templateError({ 'title.hbs': '<title><line>x</line></title>\n<div>y</div>' })).toMatch(/title\.hbs 第2行.*未知的元素 <div>/);
    expect(templateError({ 'title.hbs': '<title><line>a < b</line></title>' })).toMatch(/title\.hbs 第1行.*&lt;/);
    expect(templateError({ 'title.hbs': '<title><line>a & b</line></title>' })).toMatch(/title\.hbs 第1行.*&amp;/);
    expect(templateError({ 'title.hbs': '<title><line>x</line></title><table ref="table2"></table>' })).toMatch(/自闭合/);
  });

  it('refuses unescaped output, which could let data add structure', () => {
    expect(templateError({ 'title.hbs': '\n<title><line>{{{agency.name}}}</line></title>' })).toMatch(/title\.hbs 第2行.*\{\{\{/);
  });

  it('Handlebars syntax errors', () => {
    expect(templateError({ 'title.hbs': '<title>\n<line>{{#if agency.name}}x</line>\n</title>' })).toMatch(/title\.hbs 第\d+行.*语法错误/);
  });

  it('markup that is only wrong once assembled (text outside any element, table ref)', () => {
    expect(templateError({ 'title.hbs': '<title><line>x</line></title>散落的文字' })).toContain('散落的文字');
    expect(templateError({ 'section.hbs': '<h1>{{heading}}</h1><table ref="table9"/>' })).toContain('table9');
  });

  it('a missing template folder, or a file where it should be', () => {
    expect(() => buildDocument(report, { templateDirs: ['/nonexistent/templates'] })).toThrow(/模板目录不存在/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nianbao-tpl-')), 'tpl');
    writeFileSync(file, 'x');
    expect(() => buildDocument(report, { templateDirs: [file] })).toThrow(/模板目录不是文件夹（是一个文件）/);
  });

  it('a folder without report.hbs still uses the default entry', () => {
    const dir = folder({});
    mkdirSync(path.join(dir, 'unused'));
    expect(buildDocument(report, { templateDirs: [dir] }).blocks).toEqual(buildDocument(report).blocks);
  });
});

describe('templates cannot escape (issue 18)', () => {
  it('finds unescaped output in the parsed template whatever its spelling', () => {
    for (const spelling of ['{{~{agency.name}~}}', '{{~{agency.name}}}', '{{& agency.name}}', '{{~& agency.name}}', '{{#if title}}{{{ agency.name }}}{{/if}}']) {
      const dir = folder({ 'title.hbs': `\n\n<title><line>${spelling}</line></title>` });
      let message = '';
      try {
        buildDocument(report, { templateDirs: [dir] });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toBe(`模板 ${path.join(dir, 'title.hbs')} 第3行：不允许使用 {{{ }}} 或 {{& }}（不转义输出），请改用 {{ }}`);
    }
  });

  it('a literal {{{ in a comment is not output and is accepted', () => {
    const dir = folder({ 'title.hbs': '{{!-- 不要写 {{{x}}} --}}<title><line>{{title}}</line></title>' });
    expect(buildDocument(report, { templateDirs: [dir] }).blocks[0]).toMatchObject({ kind: 'title' });
  });

  it('refuses a partial that includes itself, directly or through another, with the chain and line', () => {
    const direct = folder({ 'contact.hbs': '<p>联系</p>\n{{> contact}}\n' });
    expect(() => buildDocument(report, { templateDirs: [direct] })).toThrow(`模板 ${path.join(direct, 'contact.hbs')} 第2行：partial 递归引用：contact → contact（模板不能直接或间接引用自身）`);
    const through = folder({ 'title.hbs': '<title><line>{{title}}</line></title>\n{{#if year}}{{> ring}}{{/if}}', 'ring.hbs': '\n\n{{> title}}' });
    expect(() => buildDocument(report, { templateDirs: [through] })).toThrow(`模板 ${path.join(through, 'ring.hbs')} 第3行：partial 递归引用：title → ring → title（模板不能直接或间接引用自身）`);
  });

  it('refuses a template file that is a symbolic link leading out of its folder (templates/leak.hbs → /etc/passwd)', () => {
    const dir = folder({});
    symlinkSync('/etc/passwd', path.join(dir, 'leak.hbs'));
    expect(() => buildDocument(report, { templateDirs: [dir] })).toThrow(`模板 ${path.join(dir, 'leak.hbs')} 是指向模板文件夹之外（/etc/passwd）的符号链接，不能使用；请把模板文件本身放进模板文件夹`);
  });

  it('accepts a symbolic link to another file of the same folder', () => {
    const dir = folder({ 'mytitle.txt': '<title><line>自定义{{title}}</line></title>' });
    symlinkSync(path.join(dir, 'mytitle.txt'), path.join(dir, 'title.hbs'));
    expect(buildDocument(report, { templateDirs: [dir] }).blocks[0]).toMatchObject({ kind: 'title', lines: [expect.stringMatching(/^自定义/)] });
  });

  it('refuses a FIFO as a template instead of waiting on it forever', () => {
    const dir = folder({});
    expect(spawnSync('mkfifo', [path.join(dir, 'title.hbs')]).status).toBe(0);
    expect(() => buildDocument(report, { templateDirs: [dir] })).toThrow(`模板 ${path.join(dir, 'title.hbs')} 不是普通文件（可能是管道或设备），不能读取`);
  });
});

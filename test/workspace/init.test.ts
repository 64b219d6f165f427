/**
 * `nianbao init` writes a complete, commented all-zero report whose check reports exactly its
 * unfilled narrative sections (and nothing once they are filled), and never overwrites a file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initTemplate, writeNew } from '../../src/cli/commands/init.js';
import { officialGrid, TABLE_IDS, EDITION_IDS } from '../../src/format/official.js';
import { figureAt, type Report } from '../../src/format/report.js';
import { checkFile, checkText } from '../../src/validate/index.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { filledTemplate } from '../helpers/filled.js';

describe.each(EDITION_IDS)('init --format %s', (edition) => {
  const year = edition === '2019' ? 2019 : 2025;
  const text = initTemplate({ edition, year, agency: '某某镇人民政府', schemaRef: '../schemas/report.json' });

  it('as written, check reports each unfilled narrative section at its prompt, and nothing else', () => {
    const result = checkText(text, 'new.yaml');
    const lines = text.split('\n');
    const prompts = lines.flatMap((l, i) => (l.includes('请在此填写') && !l.trimStart().startsWith('#') ? [{ line: i + 1, col: l.indexOf('请在此填写') + 1 }] : []));
    expect(prompts).toHaveLength(7);
    expect(result.diagnostics.map((d) => ({ line: d.line, col: d.col, rule: d.rule, severity: d.severity }))).toEqual(
      prompts.map((p) => ({ ...p, rule: 'NARRATIVE-UNFILLED', severity: 'error' })),
    );
    expect(result.diagnostics[0].message).toBe('「一、总体情况（一）主动公开」还是 nianbao init 写入的提示文字「请在此填写…」，提示文字会印进发布的报告');
    expect(result.diagnostics[0].hint).toBe('把提示文字换成本机关本年度的实际情况（每段一行）');
  });

  it('passes check once the prompts are replaced', () => {
    const result = checkText(filledTemplate({ edition, year, agency: '某某镇人民政府', schemaRef: '../schemas/report.json' }), 'new.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.report).toMatchObject({ format: edition, year, agency: { name: '某某镇人民政府' } });
  });

  it('writes narrative as block scalars, where # " and : are plain text', () => {
    const lines = text.split('\n');
    for (const key of ['active', 'on_request', 'management', 'platforms', 'oversight', 'problems', 'other']) {
      const i = lines.findIndex((l) => l.trimStart().startsWith(`${key}: `) && !l.includes('['));
      expect(lines[i], key).toMatch(new RegExp(`^\\s+${key}: \\|- +# `));
    }
    const typed = filledTemplate({ edition, year, agency: '某某镇人民政府', schemaRef: 'x' }).replace('本机关如实报告存在的主要问题', '落实“三审三校” #重点: 未发生"泄密"事件');
    expect((parse(typed) as Report).narrative?.problems).toContain('落实“三审三校” #重点: 未发生"泄密"事件');
    expect(checkText(typed, 'r.yaml').diagnostics).toEqual([]);
  });

  it('has every table cell, each 0', () => {
    const report = parse(text) as Report;
    for (const table of TABLE_IDS) for (const cell of officialGrid(edition, table).dataCells()) expect(figureAt(report, cell.path!), cell.path).toBe(0);
  });

  it('starts with the $schema line and comments every key with its official label', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schemas/report.json');
    const keyLines = lines.filter((l) => /^\s*[a-z_]+:/.test(l));
    expect(keyLines.length).toBeGreaterThan(30);
    for (const line of keyLines) expect(line, line).toMatch(/ # \S/);
    expect(text).toContain('# 一、本年新收政府信息公开申请数量');
    expect(text).toContain(edition === '2019' ? '# 采购总金额，单位：万元' : '# 本年收费金额（单位：万元）');
  });

  it('has narrative placeholders for every section', () => {
    const report = parse(text) as Report;
    expect(Object.keys(report.narrative?.overview as object)).toEqual(['active', 'on_request', 'management', 'platforms', 'oversight']);
    expect(report.narrative?.problems).toBeTruthy();
    expect(report.narrative?.other).toBeTruthy();
  });
});

describe('writing', () => {
  it('writes a new file, then refuses to overwrite it and leaves no temp file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-init-'));
    const file = path.join(dir, '2024-某某镇.yaml');
    const text = filledTemplate({ edition: '2021', year: 2024, agency: '某某镇人民政府', schemaRef: 'x.json' });
    await writeNew(file, text);
    expect((await checkFile(file)).diagnostics).toEqual([]);
    writeFileSync(file, 'mine', 'utf8');
    await expect(writeNew(file, text)).rejects.toThrow(UserError);
    await expect(writeNew(file, text)).rejects.toThrow(/已存在/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['2024-某某镇.yaml']);
  });

  it('creates missing folders (reports/2024/ before the year has any report)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-init-'));
    await writeNew(path.join(dir, 'reports', '2024', 'r.yaml'), 'x');
    expect(readFileSync(path.join(dir, 'reports', '2024', 'r.yaml'), 'utf8')).toBe('x');
    expect(readdirSync(path.join(dir, 'reports', '2024'))).toEqual(['r.yaml']);
  });

  it('a folder that cannot be made is a clear error, not a crash', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-init-'));
    writeFileSync(path.join(dir, 'plain'), 'a file where a folder should be');
    await expect(writeNew(path.join(dir, 'plain', 'r.yaml'), 'x')).rejects.toThrow(/无法写入「.*r\.yaml」：「.*plain」不是文件夹/);
  });

  it('a target that is a folder is said to be one (not "already exists"), and nothing is left beside it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-init-'));
    mkdirSync(path.join(dir, 'r.yaml'));
    await expect(writeNew(path.join(dir, 'r.yaml'), 'x')).rejects.toThrow(/^无法写入「.*r\.yaml」：这是一个已有的文件夹。请换一个文件名。$/);
    expect(readdirSync(dir)).toEqual(['r.yaml']);
  });
});

/**
 * `nianbao init` writes a complete, commented all-zero report that passes `check`, and never
 * overwrites a file.
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initTemplate, writeNew } from '../src/cli/commands/init.js';
import { officialGrid, TABLE_IDS, EDITION_IDS } from '../src/format/official.js';
import { figureAt, type Report } from '../src/model/report.js';
import { checkFile, checkText } from '../src/validate/index.js';
import { CliError } from '../src/cli/errors.js';

describe.each(EDITION_IDS)('init --format %s', (edition) => {
  const year = edition === '2019' ? 2019 : 2025;
  const text = initTemplate({ edition, year, agency: '某某镇人民政府', schemaRef: '../schemas/report.json' });

  it('passes check as written', () => {
    const result = checkText(text, 'new.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.report).toMatchObject({ format: edition, year, agency: { name: '某某镇人民政府' } });
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
    const text = initTemplate({ edition: '2021', year: 2024, agency: '某某镇人民政府', schemaRef: 'x.json' });
    await writeNew(file, text);
    expect((await checkFile(file)).diagnostics).toEqual([]);
    writeFileSync(file, 'mine', 'utf8');
    await expect(writeNew(file, text)).rejects.toThrow(CliError);
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
});

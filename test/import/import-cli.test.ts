/**
 * `nianbao import` and `nianbao audit` end to end, in process: files written where asked and never
 * over an existing one, the workspace layout, the JSON summary, the audit table in its three forms,
 * Chinese errors and exit codes for what cannot be imported.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { renderFormat } from '../../src/build.js';
import { main } from '../../src/cli/main.js';
import { buildDocument } from '../../src/model/build-document.js';
import type { Report } from '../../src/format/report.js';
import { checkFile, checkText } from '../../src/validate/index.js';
import { cmsHtml, type Data } from '../helpers/published.js';

async function nianbao(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const examples = path.join(import.meta.dirname, '..', '..', 'examples');
let dir: string;
let published: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nianbao-import-'));
  published = path.join(dir, 'published');
  mkdirSync(published);
  for (const [file, name] of [
    ['2020-伍桥镇人民政府.yaml', '伍桥镇2020'],
    ['2021-渠沟镇人民政府.yaml', '渠沟镇2021'],
  ]) {
    const report = (await checkFile(path.join(examples, 'reports', file))).report as Report;
    const doc = buildDocument(report, {});
    writeFileSync(path.join(published, `${name}.html`), await renderFormat(doc, 'html'));
    writeFileSync(path.join(published, `${name}.docx`), await renderFormat(doc, 'docx'));
  }
  // a published defect: 增53 and blanks, for audit to name
  const defect = parse(readFileSync(path.join(examples, 'defects', '2020-八道河镇人民政府.yaml'), 'utf8')) as Data;
  writeFileSync(path.join(published, '八道河镇2020.html'), cmsHtml(defect));
});

describe('nianbao import', () => {
  it('one file without -o: the YAML on stdout, passing check', async () => {
    const r = await nianbao(['import', path.join(published, '伍桥镇2020.html')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# yaml-language-server: \$schema=/);
    expect(checkText(r.stdout, 'x.yaml').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((parse(r.stdout) as Data).agency).toEqual({ name: '伍桥镇人民政府' });
  });

  it('-o file: written, then never overwritten', async () => {
    const target = path.join(dir, 'one', '伍桥.yaml');
    expect((await nianbao(['import', path.join(published, '伍桥镇2020.docx'), '-o', target])).code).toBe(0);
    const first = readFileSync(target, 'utf8');
    expect(first).toContain('schemas/report-2019.schema.json');
    const again = await nianbao(['import', path.join(published, '伍桥镇2020.html'), '-o', target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已存在');
    expect(readFileSync(target, 'utf8')).toBe(first);
  });

  it('a folder with --workspace: reports/<year>/<agency>.yaml, JSON summary with what was not read', async () => {
    const ws = path.join(dir, 'ws');
    const r = await nianbao(['import', published, '--workspace', '-o', ws, '--format', 'json']);
    const summary = JSON.parse(r.stdout) as { files: { file: string; usable: boolean; output?: string; unreadable: number }[] };
    expect(summary.files).toHaveLength(5);
    // the two renderings of one report go to one file: the second is refused, not written over the first
    expect(summary.files.filter((f) => f.output).map((f) => path.relative(ws, f.output!)).sort()).toEqual(['reports/2020/伍桥镇人民政府.yaml', 'reports/2020/八道河镇人民政府.yaml', 'reports/2021/渠沟镇人民政府.yaml']);
    expect(summary.files.filter((f) => !f.usable)).toHaveLength(2);
    expect(r.code).toBe(2);
    expect(existsSync(path.join(ws, 'reports', '2021', '渠沟镇人民政府.yaml'))).toBe(true);
  });

  it('a folder with -o DIR: one YAML per file, named after it; a second file of the same name is refused, not written over', async () => {
    const out = path.join(dir, 'each');
    const r = await nianbao(['import', published, '-o', out]);
    for (const name of ['伍桥镇2020', '渠沟镇2021', '八道河镇2020']) expect(existsSync(path.join(out, `${name}.yaml`)), name).toBe(true);
    expect(r.stderr).toContain('导入 5 个文件：3 个完整，0 个有未读出的格，2 个未能导入');
    expect(r.stderr).toMatch(/伍桥镇2020\.html: 错误 .*已存在，nianbao import 不会覆盖它/);
    expect(r.code).toBe(2);
  });

  it('what cannot be imported: named in Chinese, exit 2, no stack trace', async () => {
    const bad = path.join(dir, 'bad.docx');
    writeFileSync(bad, 'not a zip');
    const r1 = await nianbao(['import', bad]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('不是 Word 文档');
    expect(r1.stderr).not.toMatch(/at .*\.ts:\d+/);
    const r2 = await nianbao(['import', path.join(dir, 'missing.pdf')]);
    expect([r2.code, r2.stderr.includes('文件不存在')]).toEqual([2, true]);
    const txt = path.join(dir, 'a.txt');
    writeFileSync(txt, 'x');
    expect((await nianbao(['import', txt])).stderr).toContain('只支持');
    const pdf = path.join(dir, 'bad.pdf');
    writeFileSync(pdf, '%PDF-1.4 garbage');
    const r3 = await nianbao(['import', pdf]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('PDF');
    expect((await nianbao(['import'])).code).toBe(2);
    expect((await nianbao(['import', published])).stderr).toContain('-o');
  });
});

describe('nianbao audit', () => {
  it('imports and checks a folder: the problems of every report as CSV, JSON and an HTML page', async () => {
    const out = path.join(dir, 'audit');
    const r = await nianbao(['audit', published, '-o', out, '--format', 'csv']);
    expect(r.code).toBe(1); // 八道河's published defects
    const csv = readFileSync(path.join(out, 'audit.csv'), 'utf8');
    expect(r.stdout).toBe(csv);
    expect(csv.startsWith('\ufeff文件,机关,年度,格式,严重程度,规则,说明,原文位置')).toBe(true);
    expect(csv).toMatch(/八道河镇2020\.html,八道河镇人民政府,2020,2019,错误,CELL-BLANK,/);
    expect(csv).toContain('增53');
    expect(csv).not.toContain('伍桥镇2020.html');
    const json = JSON.parse(readFileSync(path.join(out, 'audit.json'), 'utf8')) as { reports: { file: string; errors: number }[] };
    expect(json.reports).toHaveLength(5);
    expect(json.reports.filter((x) => x.errors > 0).map((x) => path.basename(x.file))).toEqual(['八道河镇2020.html']);
    const html = readFileSync(path.join(out, 'audit.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('共 5 份报告，1 份有错误');
    expect(html).not.toContain('<script');
  });

  it('on worker threads (--jobs 2) the same table, in file order', async () => {
    const one = await nianbao(['audit', published, '--format', 'json', '--jobs', '1']);
    const two = await nianbao(['audit', published, '--format', 'json', '--jobs', '2']);
    expect(two.code).toBe(one.code);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect((JSON.parse(one.stdout) as { reports: unknown[] }).reports).toHaveLength(5);
    expect((await nianbao(['audit', published, '--jobs', '0'])).code).toBe(2);
  });
});

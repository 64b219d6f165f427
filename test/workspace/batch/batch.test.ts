/**
 * The batch build in-process (as under vitest/tsx: the worker threads load the TypeScript source):
 * every report built, index.html self-contained and correct, a failing report left untouched and
 * listed with its error, byte-identical rebuilds.
 */
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace, indexWorkspace } from '../../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../../src/workspace/config/config.js';
import { linesProgress } from '../../../src/workspace/batch/progress.js';
import { initWorkspace } from '../../../src/workspace/scaffold/scaffold.js';
import { tempDir } from '../../workspace-fixtures.js';
import { treeHashes } from '../../helpers/tree-hashes.js';

let root: string;
let config: WorkspaceConfig;

beforeAll(async () => {
  root = path.join(tempDir(), '县工作区');
  await initWorkspace(root, '0.1.0');
  // HTML only keeps this in-process test quick; all three formats run in the CLI end-to-end test.
  config = { ...loadWorkspaceConfig(root), formats: ['html'] };
});

describe('batch build on worker threads (source mode)', () => {
  it('builds every report, reports progress per report, and writes a self-contained Chinese index', async () => {
    const lines: string[] = [];
    const result = await buildWorkspace(config, { jobs: 2, progress: linesProgress((l) => lines.push(l)) });
    expect(result.ok).toBe(true);
    expect(result.reports.map((r) => [r.entry.rel, r.status])).toEqual([
      ['reports/2020/红椿镇.yaml', 'built'],
      ['reports/2020/青石镇.yaml', 'built'],
      ['reports/2021/红椿镇.yaml', 'built'],
      ['reports/2021/青石镇.yaml', 'built'],
    ]);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.trim().replace(/ reports.*/, '')).sort()).toEqual(['[1/4] 已生成', '[2/4] 已生成', '[3/4] 已生成', '[4/4] 已生成']);
    const out = path.join(root, 'out');
    expect(Object.keys(treeHashes(out)).sort()).toEqual(['.nianbao-build.json', '2020/红椿镇.html', '2020/青石镇.html', '2021/红椿镇.html', '2021/青石镇.html', 'index.html']);

    // the county defaults and the county template reached the document
    const html = readFileSync(path.join(out, '2021', '红椿镇.html'), 'utf8');
    expect(html).toContain('云溪县人民政府门户网站（<span class="url">https://www.yunxi.gov.cn</span>）');
    expect(html).toContain('红椿镇人民政府党政办公室');

    const indexHtml = readFileSync(result.indexFile, 'utf8');
    const { document } = new JSDOM(indexHtml).window;
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(document.querySelectorAll('script, link, img, iframe')).toHaveLength(0);
    const rows = [...document.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('td:nth-child(2)')!.textContent)).toEqual([
      '红椿镇人民政府reports/2021/红椿镇.yaml',
      '青石镇人民政府reports/2021/青石镇.yaml',
      '红椿镇人民政府reports/2020/红椿镇.yaml',
      '青石镇人民政府reports/2020/青石镇.yaml',
    ]);
    for (const row of rows) {
      expect(row.querySelector('.status')!.textContent).toBe('通过');
      const links = [...row.querySelectorAll('a')];
      expect(links.map((a) => a.textContent)).toEqual(['网页']);
      const target = path.join(out, decodeURIComponent(links[0].getAttribute('href')!));
      expect(statSync(target).isFile()).toBe(true);
    }
  });

  it('does not build a report that fails its check, keeps its old outputs, lists its error; the others build', async () => {
    const out = path.join(root, 'out');
    const broken = path.join(root, 'reports', '2021', '青石镇.yaml');
    const original = readFileSync(broken, 'utf8');
    const before = treeHashes(out);
    const oldTime = statSync(path.join(out, '2021', '青石镇.html')).mtimeMs;
    // Internally consistent, but 上年结转 no longer equals the 2020 report's 结转下年度继续办理 (X-T3).
    writeFileSync(
      broken,
      original.replace('received: [2, 1, 0, 0, 0, 0, 3]', 'received: [1, 1, 0, 0, 0, 0, 2]').replace('carried_over: [0, 0, 0, 0, 0, 0, 0]', 'carried_over: [1, 0, 0, 0, 0, 0, 1]'),
    );
    try {
      const result = await buildWorkspace(config, { jobs: 2 });
      expect(result.ok).toBe(false);
      const failed = result.reports.filter((r) => r.status === 'failed');
      expect(failed.map((r) => r.entry.rel)).toEqual(['reports/2021/青石镇.yaml']);
      const errors = failed[0].diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.rule)).toEqual(['X-T3', 'X-T3']);
      expect(errors[0].message).toContain('「自然人」列为 1，但2020年报告（reports/2020/青石镇.yaml）');
      const line = original.split('\n').findIndex((l) => l.includes('carried_over:')) + 1;
      expect(errors.every((d) => d.line === line)).toBe(true);

      const after = treeHashes(out);
      expect(after['2021/青石镇.html']).toBe(before['2021/青石镇.html']);
      expect(statSync(path.join(out, '2021', '青石镇.html')).mtimeMs).toBe(oldTime);
      const { document } = new JSDOM(readFileSync(result.indexFile, 'utf8')).window;
      const row = [...document.querySelectorAll('tbody tr')].find((r) => r.textContent!.includes('reports/2021/青石镇.yaml'))!;
      expect(row.className).toBe('failed');
      expect(row.querySelector('.status')!.textContent).toBe('未通过校验，未生成');
      expect(row.querySelectorAll('a')).toHaveLength(0);
      expect(row.textContent).toContain(`reports/2021/青石镇.yaml:${line}:`);
      expect(row.textContent).toContain('二、上年结转政府信息公开申请数量');
      // one main landmark holding the page (axe-core's check in test/clients/html-chromium.test.ts)
      expect(document.querySelectorAll('main')).toHaveLength(1);
      expect(document.querySelector('main table')).not.toBeNull();
    } finally {
      writeFileSync(broken, original);
    }
  });

  it('builds byte-identical files twice in a row, whatever the number of threads', async () => {
    await buildWorkspace(config, { jobs: 2 });
    const first = treeHashes(path.join(root, 'out'));
    // forced: without it the second build would find every report up to date and render nothing
    const again = await buildWorkspace(config, { jobs: 1, force: true });
    expect(again.reports.filter((r) => r.upToDate)).toEqual([]);
    const second = treeHashes(path.join(root, 'out'));
    expect(Object.keys(second).filter((k) => second[k] !== first[k])).toEqual([]);
    expect(second).toEqual(first);
  });
});

describe('build --index-only: one index over the merged shard folders', () => {
  it('lists every report, links the files the shards made, and names the files a shard did not deliver', async () => {
    const ws = path.join(tempDir(), '县工作区');
    await initWorkspace(ws, '0.1.0');
    const cfg = { ...loadWorkspaceConfig(ws), formats: ['html' as const] };
    // only shard 1 of 2 has delivered its files: 2020/青石镇 alone (shards go by a hash of the path)
    expect((await buildWorkspace(cfg, { jobs: 1, shard: { index: 1, count: 2 } })).ok).toBe(true);
    rmSync(path.join(ws, 'out', 'index.html'));
    const partial = await indexWorkspace(cfg);
    expect(partial.ok).toBe(false);
    expect(partial.reports.map((r) => [r.entry.rel, r.status])).toEqual([
      ['reports/2020/红椿镇.yaml', 'render-failed'],
      ['reports/2020/青石镇.yaml', 'built'],
      ['reports/2021/红椿镇.yaml', 'render-failed'],
      ['reports/2021/青石镇.yaml', 'render-failed'],
    ]);
    const missingText = readFileSync(partial.indexFile, 'utf8');
    expect(missingText).toContain('缺少输出文件：out/2020/红椿镇.html');
    expect(missingText).toContain('缺少输出文件：out/2021/青石镇.html');
    expect(missingText).not.toContain('缺少输出文件：out/2020/青石镇.html');

    // shard 2 arrives: the index links all four reports' files, each of which exists
    expect((await buildWorkspace(cfg, { jobs: 1, shard: { index: 2, count: 2 } })).ok).toBe(true);
    rmSync(path.join(ws, 'out', 'index.html'));
    const before = readdirSync(path.join(ws, 'out', '2021')).sort();
    const whole = await indexWorkspace(cfg);
    expect(whole.ok).toBe(true);
    expect(readdirSync(path.join(ws, 'out', '2021')).sort()).toEqual(before); // nothing rendered
    const { document } = new JSDOM(readFileSync(whole.indexFile, 'utf8')).window;
    const links = [...document.querySelectorAll('a')].map((a) => decodeURIComponent(a.getAttribute('href')!)).sort();
    expect(links).toEqual(['2020/红椿镇.html', '2020/青石镇.html', '2021/红椿镇.html', '2021/青石镇.html']);
    for (const link of links) expect(statSync(path.join(ws, 'out', link)).isFile()).toBe(true);
    // the same index the unsharded build writes
    const fromIndexOnly = readFileSync(whole.indexFile);
    await buildWorkspace(cfg, { jobs: 1 });
    expect(readFileSync(whole.indexFile).equals(fromIndexOnly)).toBe(true);
  });
});

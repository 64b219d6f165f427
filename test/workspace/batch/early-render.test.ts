/**
 * Issue 17: rendering does not wait for the whole workspace check. A report that passes its own checks is
 * rendered into staged files while the cross-report checks still wait for the rest of the workspace; the
 * whole check's verdict publishes them, or discards them (X-T3 against last year's report here), and
 * nothing staged is left behind.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspace } from '../../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../../src/workspace/config/config.js';
import { linesProgress } from '../../../src/workspace/batch/progress.js';
import { initWorkspace } from '../../../src/workspace/scaffold/scaffold.js';
import { checkFile } from '../../../src/validate/index.js';
import type { Checker } from '../../../src/workspace/checks/check.js';
import { tempDir } from '../../workspace-fixtures.js';
import { treeHashes } from '../../helpers/tree-hashes.js';

const TEMP = /^\.nianbao-\d+-[0-9a-f]+\.tmp$/;

const staged = (dir: string) => Object.keys(treeHashes(dir)).filter((f) => TEMP.test(path.basename(f)));

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

let root: string;
let config: WorkspaceConfig;
let out: string;

beforeAll(async () => {
  root = path.join(tempDir(), '县工作区');
  await initWorkspace(root, '0.1.0');
  config = { ...loadWorkspaceConfig(root), formats: ['html', 'docx'] };
  out = config.output;
});

describe('reports rendered while the workspace check runs', () => {
  it('stages a report that passed its own checks before the check ends, and publishes or discards it on the whole verdict', async () => {
    // a first build, so that the failing report has old files to keep
    const first = await buildWorkspace(config, { jobs: 2 });
    expect(first.ok).toBe(true);
    const before = treeHashes(out);
    const failing = path.join(root, 'reports', '2021', '青石镇.yaml');
    const passing = path.join(root, 'reports', '2021', '红椿镇.yaml');
    const original = { failing: readFileSync(failing, 'utf8'), passing: readFileSync(passing, 'utf8') };
    const oldTime = statSync(path.join(out, '2021', '青石镇.html')).mtimeMs;
    // 青石镇 2021: consistent on its own, but its 上年结转 no longer equals 2020's 结转下年度继续办理 (X-T3, a
    // cross-report check); 红椿镇 2021: a changed sentence, so that it must be rendered again
    writeFileSync(failing, original.failing.replace('received: [2, 1, 0, 0, 0, 0, 3]', 'received: [1, 1, 0, 0, 0, 0, 2]').replace('carried_over: [0, 0, 0, 0, 0, 0, 0]', 'carried_over: [1, 0, 0, 0, 0, 0, 1]'));
    writeFileSync(passing, original.passing.replace('active: 全年', 'active: 本年度新增一句。全年'));
    try {
      let sawStaged = false;
      let publishedEarly = true;
      // The 2020 reports' own checks wait until the 2021 ones are staged: the check cannot end (nor its
      // cross-report pass begin) before staged files exist, so they were rendered while it ran.
      const checker: Checker = async (file) => {
        if (file.includes(`${path.sep}2020${path.sep}`) || file.includes('/2020/')) {
          sawStaged = await until(() => staged(out).length >= 4, 30_000);
          publishedEarly = treeHashes(out)['2021/红椿镇.html'] !== before['2021/红椿镇.html'] || statSync(path.join(out, '2021', '青石镇.html')).mtimeMs !== oldTime;
        }
        return checkFile(file);
      };
      const lines: string[] = [];
      const result = await buildWorkspace(config, { jobs: 2, checker, progress: linesProgress((l) => lines.push(l)) });
      expect(sawStaged).toBe(true);
      // staged is not published: until the verdict, the old files stayed in place
      expect(publishedEarly).toBe(false);
      expect(result.renderedWhileChecking).toBe(2);

      expect(result.reports.map((r) => [r.entry.rel, r.status, r.upToDate])).toEqual([
        ['reports/2020/红椿镇.yaml', 'built', true],
        ['reports/2020/青石镇.yaml', 'built', true],
        ['reports/2021/红椿镇.yaml', 'built', false],
        ['reports/2021/青石镇.yaml', 'failed', false],
      ]);
      expect(result.reports[3].diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual(['X-T3', 'X-T3']);
      // the progress counts the published report once, and not the discarded one
      expect(lines).toEqual(['[1/1] 已生成 reports/2021/红椿镇.yaml\n']);

      const after = treeHashes(out);
      expect(staged(out)).toEqual([]);
      expect(after['2021/红椿镇.html']).not.toBe(before['2021/红椿镇.html']);
      expect(readFileSync(path.join(out, '2021', '红椿镇.html'), 'utf8')).toContain('本年度新增一句。');
      expect(after['2021/青石镇.html']).toBe(before['2021/青石镇.html']);
      expect(after['2021/青石镇.docx']).toBe(before['2021/青石镇.docx']);
      expect(statSync(path.join(out, '2021', '青石镇.html')).mtimeMs).toBe(oldTime);

      // the early render is the same file as a render after the check (a forced build renders it again)
      writeFileSync(failing, original.failing);
      const forced = await buildWorkspace(config, { jobs: 1, force: true, checker: (file) => checkFile(file) });
      expect(forced.ok).toBe(true);
      expect(treeHashes(out)['2021/红椿镇.html']).toBe(after['2021/红椿镇.html']);
      expect(treeHashes(out)['2021/红椿镇.docx']).toBe(after['2021/红椿镇.docx']);
    } finally {
      writeFileSync(failing, original.failing);
      writeFileSync(passing, original.passing);
    }
  });

  it('renders nothing early when nothing changed, and only its own shard', async () => {
    await buildWorkspace(config, { jobs: 2 });
    const again = await buildWorkspace(config, { jobs: 2 });
    expect(again.renderedWhileChecking).toBe(0);
    expect(again.reports.every((r) => r.upToDate)).toBe(true);

    const shardOut = treeHashes(out);
    const forced = await buildWorkspace(config, { jobs: 2, force: true, shard: { index: 1, count: 2 } });
    // shard 1/2 is 2020/青石镇 alone (a hash of the path); rendered during the check, the other three not at all
    expect(forced.renderedWhileChecking).toBe(1);
    expect(forced.reports.filter((r) => r.selected).map((r) => r.entry.rel)).toEqual(['reports/2020/青石镇.yaml']);
    expect(forced.ok).toBe(true);
    expect(staged(out)).toEqual([]);
    expect(treeHashes(out)).toEqual(shardOut);
  });

  it('discards the staged files of two reports whose outputs clash, and the folders staging made for them', async () => {
    const ws = path.join(tempDir(), '冲突');
    await initWorkspace(ws, '0.1.0');
    rmSync(path.join(ws, 'reports', '2020'), { recursive: true });
    const configFile = path.join(ws, 'nianbao.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^file_name: .*$/m, 'file_name: "{year}/{name}"'));
    // AB镇: and ab镇*: each passes its own checks, and both would write out/2021/ab镇_.html, which Windows and
    // macOS do not tell apart (WS-OUTPUT)
    for (const [stem, name] of [['红椿镇', 'AB镇:'], ['青石镇', 'ab镇*']]) {
      const file = path.join(ws, 'reports', '2021', `${stem}.yaml`);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}name: .*$/m, `  name: "${name}"`));
    }
    const wsConfig: WorkspaceConfig = { ...loadWorkspaceConfig(ws), formats: ['html'] };
    const result = await buildWorkspace(wsConfig, { jobs: 2 });
    expect(result.renderedWhileChecking).toBe(2);
    expect(result.reports.map((r) => [r.status, r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)])).toEqual([
      ['failed', ['WS-OUTPUT']],
      ['failed', ['WS-OUTPUT']],
    ]);
    expect(Object.keys(treeHashes(wsConfig.output)).sort()).toEqual(['.nianbao-build.json', 'index.html']);
    expect(existsSync(path.join(wsConfig.output, '2021'))).toBe(false);
  });
});

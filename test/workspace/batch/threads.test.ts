/**
 * What the batch build does to keep its memory down: the workspace check on a thread of its own that
 * hands back plain summaries (the same as checking on this thread), and font files read once and
 * shared with the render workers (a worker answers from the shared bytes, not from the disk).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkWorkspace, summarize } from '../../../src/workspace/checks/check.js';
import { checkWorkspaceInThread } from '../../../src/workspace/checks/check-thread.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../../src/workspace/config/config.js';
import { initWorkspace } from '../../../src/workspace/scaffold/scaffold.js';
import { bundledFontFile, fontFileBytes, readSharedFontFiles, useSharedFontFiles } from '../../../src/render/pdf/font-files.js';
import { loadFont } from '../../../src/render/pdf/fonts.js';
import { UserError } from '../../../src/diagnostics/errors.js';
import { tempDir } from '../../workspace-fixtures.js';

let root: string;
let config: WorkspaceConfig;

beforeAll(async () => {
  root = path.join(tempDir(), '县工作区');
  await initWorkspace(root, '0.1.0');
  // One township with a broken sum (an error) and another's name in its text (a warning).
  const file = path.join(root, 'reports', '2021', '青石镇.yaml');
  const text = readFileSync(file, 'utf8').replace(/received: +\[(\d+)/, (m, n) => m.replace(n, String(Number(n) + 5)));
  writeFileSync(file, text.replace(/^( {2}other: .*)$/m, '$1红椿镇的做法值得学习。'));
  config = loadWorkspaceConfig(root);
});

describe('the workspace check on its own thread', () => {
  it('gives exactly the summaries of checking on this thread, errors and warnings with their positions', async () => {
    const here = (await checkWorkspace(config)).reports.map(summarize);
    const there = await checkWorkspaceInThread(config);
    expect(there).toEqual(here);
    expect(there.map((r) => [r.rel, r.ok])).toEqual([
      ['reports/2020/红椿镇.yaml', true],
      ['reports/2020/青石镇.yaml', true],
      ['reports/2021/红椿镇.yaml', true],
      ['reports/2021/青石镇.yaml', false],
    ]);
    const broken = there[3];
    expect(broken.diagnostics.some((d) => d.severity === 'error' && d.rule.startsWith('T3'))).toBe(true);
    expect(broken.namePosition.line).toBeGreaterThan(1);
    expect(broken.report).toBeUndefined();
    expect(there[2].report?.agency.name).toBe('红椿镇人民政府');
  });

  it('brings an error inside the check back as the same error, instead of hanging or crashing', async () => {
    // (checkWorkspace raises no error of its own for bad reports; a broken config is a defect of the caller)
    const broken = { ...config, reports: 42 } as unknown as WorkspaceConfig;
    const here = await checkWorkspace(broken).then(
      () => new Error('no error'),
      (error: Error) => error,
    );
    const there = await checkWorkspaceInThread(broken).then(
      () => new Error('no error'),
      (error: Error) => error,
    );
    expect(here.message).not.toBe('no error');
    expect(there).not.toBeInstanceOf(UserError);
    expect(there.message).toBe(here.message);
  });
});

describe('font files shared between threads', () => {
  it('reads each file once into shared memory and answers from it, even where no file is on disk', () => {
    const real = bundledFontFile('body');
    const shared = readSharedFontFiles([real, real, bundledFontFile('table'), path.join(tempDir(), '不存在.ttf')]);
    // the same file named twice (body and table share a face) is read once; an unreadable one is left out
    expect([...shared.keys()]).toEqual([real]);
    expect(shared.get(real)).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(shared.get(real)!).equals(readFileSync(real))).toBe(true);

    // Under a path that does not exist, the font can only have come from the shared bytes.
    const nowhere = path.join(tempDir(), '共享内存中的正文字体.ttf');
    useSharedFontFiles(new Map([[nowhere, shared.get(real)!]]));
    expect(fontFileBytes(nowhere).buffer).toBe(shared.get(real));
    const loaded = loadFont(nowhere);
    expect(loaded.font.postscriptName).toBe('NotoSerifSC-Regular');
    expect(loaded.font.hasGlyphForCodePoint('政'.codePointAt(0)!)).toBe(true);
  });
});

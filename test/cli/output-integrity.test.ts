/**
 * Issue 18, "nothing escapes or is clobbered": every output path is made safe, stays inside the output
 * folder and is checked for clashes (with other reports and with index.html) before anything is
 * written; nothing is written through a symbolic link; write failures are Chinese messages naming the
 * path and the reason; a report's files are replaced together; one build at a time per output folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capBytes, MAX_EXTENSION_BYTES, MAX_NAME_BYTES, safeSegment, utf8Bytes } from '../../src/render/file-names.js';
import { acquireOutputLock, discardStaged, LOCK_FILE, recoverOutput, stageFiles, WriteError, writeFilesTogether, type WriteIo } from '../../src/render/write.js';
import { buildWorkspace } from '../../src/workspace/batch/batch.js';
import { checkWorkspace } from '../../src/workspace/checks/check.js';
import { CACHE_DIR } from '../../src/workspace/checks/own-cache.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../src/workspace/config/config.js';
import { outputFiles } from '../../src/workspace/config/effective.js';
import { boundJobs, defaultJobs } from '../../src/workspace/batch/pool.js';
import { initWorkspace } from '../../src/workspace/scaffold/scaffold.js';
import { tempDir } from '../workspace-fixtures.js';

/** Every file under `dir`, relative, / separated, sorted. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * A workspace of the 2021 reports of the example (2020 removed: the agency names below change), with
 * `file_name` set and each report's agency name replaced as given (by report file stem).
 */
async function workspace(fileName: string, names: Record<string, string> = {}, renames: Record<string, string> = {}): Promise<{ root: string; config: WorkspaceConfig }> {
  const root = path.join(tempDir(), 'ws');
  await initWorkspace(root, '0.1.0');
  rmSync(path.join(root, 'reports', '2020'), { recursive: true });
  const configFile = path.join(root, 'nianbao.yaml');
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^file_name: .*$/m, `file_name: ${JSON.stringify(fileName)}`));
  for (const [stem, name] of Object.entries(names)) {
    const file = path.join(root, 'reports', '2021', `${stem}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}name: .*$/m, `  name: ${JSON.stringify(name)}`));
  }
  for (const [from, to] of Object.entries(renames)) {
    const dir = path.join(root, 'reports', '2021');
    writeFileSync(path.join(dir, to), readFileSync(path.join(dir, from)));
    rmSync(path.join(dir, from));
  }
  return { root, config: { ...loadWorkspaceConfig(root), formats: ['html'] } };
}

afterEach(() => vi.restoreAllMocks());

describe('safe names', () => {
  it('neutralises Windows device names in any case, with or without an extension', () => {
    for (const name of ['CON', 'con', 'Prn', 'aux', 'NUL', 'com1', 'COM9', 'lpt1', 'LPT9', 'aux.html', 'Con.2021']) expect(safeSegment(name)).toBe(`_${name}`);
    for (const name of ['CONSOLE', 'auxiliary', 'com10', '红椿镇']) expect(safeSegment(name)).toBe(name);
  });

  it('replaces characters Windows refuses and control characters; strips dots and spaces at the ends', () => {
    expect(safeSegment('a:b*c?d"e<f>g|h\\i/j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeSegment('镇\u0000名\u001b')).toBe('镇_名_');
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('. 红椿镇 .. ')).toBe('红椿镇');
    expect(safeSegment('', 'report')).toBe('report');
  });

  it('caps a name by UTF-8 bytes at a character boundary and keeps long names distinct', () => {
    const long = '某'.repeat(74) + '人民政府2021年政府信息公开工作年度报告';
    const a = safeSegment(`${long}甲`);
    const b = safeSegment(`${long}乙`);
    expect(utf8Bytes(a)).toBeLessThanOrEqual(MAX_NAME_BYTES - MAX_EXTENSION_BYTES);
    expect(utf8Bytes(`${a}.docx`)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(a).not.toBe(b);
    expect(a.startsWith('某'.repeat(74))).toBe(true);
    expect(a).toMatch(/~[0-9a-f]{8}$/);
    expect(capBytes('短名', 100)).toBe('短名');
    // never half a character
    expect(Buffer.from(capBytes('镇'.repeat(200), 50)).toString('utf8')).not.toContain('\ufffd');
  });

  it('a placeholder value cannot add a folder or climb out: `..` with file_name "{name}"', () => {
    const files = outputFiles({ output: '/ws/out', fileName: '{name}', formats: ['html'] }, '..', 2021, 'a.yaml');
    expect(files.html).toBe(path.join('/ws/out', '_.html'));
    expect(outputFiles({ output: '/ws/out', fileName: '{year}/{name}', formats: ['pdf'] }, '../../etc/passwd', 2021, 'a.yaml').pdf).toBe(path.join('/ws/out', '2021', '_.._etc_passwd.pdf'));
    expect(outputFiles({ output: '/ws/out', fileName: '{name}', formats: ['pdf'] }, 'CON', 2021, 'a.yaml').pdf).toBe(path.join('/ws/out', '_CON.pdf'));
  });
});

describe('batch build: output paths decided and checked before anything is written', () => {
  it('an agency named `..` with file_name "{name}" is written inside the output folder', async () => {
    const { root, config } = await workspace('{name}', { 红椿镇: '..' });
    const before = readdirSync(root).sort();
    const outside = readdirSync(path.dirname(root)).sort();
    const result = await buildWorkspace(config, { jobs: 1 });
    expect(result.reports.map((r) => r.status)).toEqual(['built', 'built']);
    expect(listFiles(path.join(root, 'out'))).toEqual(['.nianbao-build.json', '_.html', 'index.html', '青石镇人民政府.html']);
    // besides the output folder, only the check's memory (own-cache.ts), which holds nothing else
    expect(readdirSync(root).sort()).toEqual([...new Set([...before, 'out', CACHE_DIR])].sort());
    expect(readdirSync(path.join(root, CACHE_DIR))).toEqual(['check']);
    expect(readdirSync(path.join(root, CACHE_DIR, 'check')).every((f) => /^[0-9a-f]{64}\.bin$/.test(f))).toBe(true);
    expect(readdirSync(path.dirname(root)).sort()).toEqual(outside);
  });

  it('a report file named index.yaml with file_name "{file}" would overwrite index.html: WS-OUTPUT, not built', async () => {
    const { root, config } = await workspace('{file}', {}, { '红椿镇.yaml': 'index.yaml' });
    const result = await buildWorkspace(config, { jobs: 1 });
    const index = result.reports.find((r) => r.entry.rel === 'reports/2021/index.yaml')!;
    expect(index.status).toBe('failed');
    const clash = index.diagnostics.find((d) => d.rule === 'WS-OUTPUT')!;
    expect(clash.message).toBe('输出文件「out/index.html」会覆盖工作区的索引页 out/index.html');
    expect(clash.hint).toBe('修改 nianbao.yaml 的 file_name（例如 {year}/{short}）或报告文件名');
    expect(clash.line).toBe(7);
    expect(listFiles(path.join(root, 'out'))).toEqual(['.nianbao-build.json', 'index.html', '青石镇.html']);
    expect(readFileSync(path.join(root, 'out', 'index.html'), 'utf8')).toContain('政府信息公开工作年度报告一览');
    expect(result.ok).toBe(false);
  });

  it('INDEX.HTML in another case clashes too (Windows and macOS do not tell them apart)', async () => {
    const { config } = await workspace('{file}', {}, { '红椿镇.yaml': 'INDEX.yaml' });
    const result = await buildWorkspace(config, { jobs: 1 });
    expect(result.reports.find((r) => r.entry.rel === 'reports/2021/INDEX.yaml')!.diagnostics.map((d) => d.rule)).toContain('WS-OUTPUT');
  });

  it('two reports whose names differ only in case or in an invalid character clash (WS-OUTPUT on both)', async () => {
    const { root, config } = await workspace('{name}', { 红椿镇: 'AB镇:', 青石镇: 'ab镇*' });
    const result = await buildWorkspace(config, { jobs: 1 });
    expect(result.reports.map((r) => r.status)).toEqual(['failed', 'failed']);
    const messages = result.reports.map((r) => r.diagnostics.find((d) => d.rule === 'WS-OUTPUT')!.message);
    expect(messages[0]).toBe('输出文件「out/AB镇_.html」与 reports/2021/青石镇.yaml 的相同');
    expect(messages[1]).toBe('输出文件「out/ab镇_.html」与 reports/2021/红椿镇.yaml 的相同');
    // the rule's own hint: the fix is the same for every clash of two reports
    for (const r of result.reports) expect(r.diagnostics.find((d) => d.rule === 'WS-OUTPUT')!.hint).toBe('修改 nianbao.yaml 的 file_name，使每份报告的文件名不同（例如加入 {file}）');
    expect(listFiles(path.join(root, 'out'))).toEqual(['.nianbao-build.json', 'index.html']);
  });

  it('`nianbao check` reports the same clashes, at the agency name, before any build', async () => {
    const { root, config } = await workspace('{name}', { 红椿镇: 'AB镇:', 青石镇: 'ab镇*' });
    const check = await checkWorkspace(config);
    const clashes = check.reports.map((r) => r.diagnostics.filter((d) => d.rule === 'WS-OUTPUT'));
    expect(clashes.map((c) => c.length)).toEqual([1, 1]);
    expect(clashes[0][0].message).toBe('输出文件「out/AB镇_.html」与 reports/2021/青石镇.yaml 的相同');
    const text = readFileSync(path.join(root, 'reports/2021/红椿镇.yaml'), 'utf8').split('\n');
    expect(text[clashes[0][0].line - 1]).toContain('AB镇:');
    expect(check.reports.every((r) => !r.ok)).toBe(true);
    // one report of the two, checked alone: still compared with every report's output
    const one = await checkWorkspace(config, { only: [path.join(root, 'reports/2021/红椿镇.yaml')] });
    expect(one.reports.map((r) => r.diagnostics.filter((d) => d.rule === 'WS-OUTPUT').length)).toEqual([1]);
    // and the build says it once, not twice
    const built = await buildWorkspace(config, { jobs: 1 });
    expect(built.reports.map((r) => r.diagnostics.filter((d) => d.rule === 'WS-OUTPUT').length)).toEqual([1, 1]);
    expect(existsSync(path.join(root, 'out', 'AB镇_.html'))).toBe(false);
  });

  it('a 74-character agency name builds (capped by bytes, ENAMETOOLONG before) and stays distinct from its twin', async () => {
    const stem = '某'.repeat(74);
    const { root, config } = await workspace('{name}{year}年政府信息公开工作年度报告', { 红椿镇: `${stem}甲`, 青石镇: `${stem}乙` });
    const result = await buildWorkspace(config, { jobs: 1 });
    expect(result.reports.map((r) => r.status)).toEqual(['warnings', 'warnings'].map(() => expect.stringMatching(/^(built|warnings)$/)));
    const files = listFiles(path.join(root, 'out')).filter((f) => f !== 'index.html' && f !== '.nianbao-build.json');
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f.startsWith(stem)).toBe(true);
      expect(utf8Bytes(f)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    }
  });

  it('a Windows device name as agency name is written as _CON', async () => {
    const { root, config } = await workspace('{name}', { 红椿镇: 'CON' });
    await buildWorkspace(config, { jobs: 1 });
    expect(listFiles(path.join(root, 'out'))).toEqual(['.nianbao-build.json', '_CON.html', 'index.html', '青石镇人民政府.html']);
  });

  it('a report path over the system limit is a WS-OUTPUT error naming its length, not an internal error', async () => {
    const deep = Array.from({ length: 20 }, () => '{name}').join('/');
    const { root, config } = await workspace(deep, { 红椿镇: '长'.repeat(70) });
    const result = await buildWorkspace(config, { jobs: 1 });
    const long = result.reports[0]!;
    expect(long.status).toBe('failed');
    const { message, hint } = long.diagnostics.find((d) => d.rule === 'WS-OUTPUT')!;
    expect(message).toMatch(/^输出路径「out\/长{70}\/.*\.html」长 \d+ 字节，超过系统上限 4095 字节$/);
    expect(hint).toBe('缩短 nianbao.yaml 的 output 或 file_name');
    expect(result.reports[1]!.status).toMatch(/^(built|warnings)$/);
    expect(existsSync(path.join(root, 'out', '长'.repeat(70)))).toBe(false);
  });
});

describe('symbolic links and write failures', () => {
  it('a symlinked folder inside the output folder is not written through; the reason is given per report', async () => {
    const { root, config } = await workspace('{year}/{short}');
    const elsewhere = tempDir('nianbao-elsewhere-');
    mkdirSync(path.join(root, 'out'), { recursive: true });
    symlinkSync(elsewhere, path.join(root, 'out', '2021'));
    const result = await buildWorkspace(config, { jobs: 1 });
    expect(result.reports.map((r) => r.status)).toEqual(['render-failed', 'render-failed']);
    expect(result.reports[0]!.renderError).toBe(`生成失败：无法写入「${path.join(root, 'out', '2021', '红椿镇.html')}」：「${path.join(root, 'out', '2021')}」是符号链接；nianbao 不经符号链接写入输出文件（它可能指向输出文件夹之外）`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a file in the way of a folder: each report\'s reason printed, exit 1, never 内部错误', async () => {
    const { root } = await workspace('{year}/{short}');
    mkdirSync(path.join(root, 'out'), { recursive: true });
    writeFileSync(path.join(root, 'out', '2021'), 'in the way');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    expect(await main(['build', root, '--html', '--jobs', '1'])).toBe(1);
    const text = out.join('');
    for (const town of ['红椿镇', '青石镇']) {
      expect(text).toContain(`reports/2021/${town}.yaml：生成失败：无法写入「${path.join(root, 'out', '2021', `${town}.html`)}」：「${path.join(root, 'out', '2021')}」是一个文件，挡住了要建的文件夹（请移走或改名）\n`);
    }
    expect(text).not.toContain('内部错误');
    expect(readFileSync(path.join(root, 'out', '2021'), 'utf8')).toBe('in the way');
  });

  it('the output folder itself blocked by a file: one message naming it, exit 2', async () => {
    const { root } = await workspace('{year}/{short}');
    writeFileSync(path.join(root, 'out'), 'not a folder');
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    expect(await main(['build', root, '--html'])).toBe(2);
    expect(err.join('')).toBe(`无法写入「${path.join(root, 'out')}」：这是一个文件，不是文件夹（有文件挡在那里）\n`);
    expect(err.join('')).not.toContain('内部错误');
  });

  it('a full disk while writing the second format: nothing replaced, no temporary file, the path and reason in Chinese', async () => {
    const dir = tempDir('nianbao-full-');
    writeFileSync(path.join(dir, 'r.html'), 'old html');
    writeFileSync(path.join(dir, 'r.pdf'), 'old pdf');
    let writes = 0;
    const io: WriteIo = {
      writeFile: async (file, bytes) => {
        if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        writeFileSync(file, bytes, { flag: 'wx' });
      },
      rename: async (from, to) => (await import('node:fs/promises')).rename(from, to),
    };
    const error = await writeFilesTogether(
      [
        { target: path.join(dir, 'r.html'), bytes: 'new html' },
        { target: path.join(dir, 'r.pdf'), bytes: 'new pdf' },
      ],
      { root: dir, io },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toBe(`无法写入「${path.join(dir, 'r.pdf')}」：磁盘空间已满（ENOSPC）`);
    expect(readdirSync(dir).sort()).toEqual(['r.html', 'r.pdf']);
    expect(readFileSync(path.join(dir, 'r.html'), 'utf8')).toBe('old html');
  });
});

describe('write failure reasons', () => {
  it('names each file-system failure in Chinese with its code (EACCES cannot be provoked as root: injected)', async () => {
    const dir = tempDir('nianbao-denied-');
    const failing = (code: string): WriteIo => ({
      writeFile: async () => {
        throw Object.assign(new Error(code), { code });
      },
      rename: async () => {},
    });
    const reasons: Record<string, string> = {
      EACCES: '没有写入权限（EACCES）',
      EROFS: '所在的文件系统是只读的（EROFS）',
      EDQUOT: '超出磁盘配额（EDQUOT）',
      ENAMETOOLONG: '文件名或路径超过了系统的长度上限（ENAMETOOLONG）',
      EWEIRD: '系统错误 EWEIRD',
    };
    for (const [code, reason] of Object.entries(reasons)) {
      await expect(writeFilesTogether([{ target: path.join(dir, 'a.html'), bytes: 'x' }], { io: failing(code) })).rejects.toThrow(`无法写入「${path.join(dir, 'a.html')}」：${reason}`);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a report\'s files replaced together', () => {
  it('a build stopped between two renames leaves a journal; the next build completes the set and removes every temporary file', async () => {
    const dir = tempDir('nianbao-journal-');
    mkdirSync(path.join(dir, '2021'));
    for (const f of ['a.html', 'a.docx', 'a.pdf']) writeFileSync(path.join(dir, '2021', f), 'old');
    let renames = 0;
    const io: WriteIo = {
      writeFile: async (file, bytes) => writeFileSync(file, bytes, { flag: 'wx' }),
      rename: async (from, to) => {
        // the journal's own rename is the first; the process "dies" after the first report file
        if (++renames === 3) throw Object.assign(new Error('killed'), { code: 'EIO' });
        (await import('node:fs')).renameSync(from, to);
      },
    };
    const files = ['a.html', 'a.docx', 'a.pdf'].map((f) => ({ target: path.join(dir, '2021', f), bytes: 'new' }));
    await expect(writeFilesTogether(files, { root: dir, io })).rejects.toThrow(WriteError);
    // mixed on disk for now: html new, docx and pdf old, their new bytes in temporary files
    expect(['a.html', 'a.docx', 'a.pdf'].map((f) => readFileSync(path.join(dir, '2021', f), 'utf8'))).toEqual(['new', 'old', 'old']);
    writeFileSync(path.join(dir, '2021', '.nianbao-999999-abcdef.tmp'), 'stale from a killed build');
    recoverOutput(dir, true);
    expect(['a.html', 'a.docx', 'a.pdf'].map((f) => readFileSync(path.join(dir, '2021', f), 'utf8'))).toEqual(['new', 'new', 'new']);
    expect(listFiles(dir)).toEqual(['2021/a.docx', '2021/a.html', '2021/a.pdf']);
  });

  it('a failure before the renames leaves the old set and no journal', async () => {
    const dir = tempDir('nianbao-journal-');
    writeFileSync(path.join(dir, 'a.html'), 'old');
    const io: WriteIo = {
      writeFile: async (file, bytes) => writeFileSync(file, bytes, { flag: 'wx' }),
      rename: async () => {
        throw Object.assign(new Error('read-only'), { code: 'EROFS' });
      },
    };
    await expect(writeFilesTogether([{ target: path.join(dir, 'a.html'), bytes: 'new' }, { target: path.join(dir, 'a.pdf'), bytes: 'new' }], { root: dir, io })).rejects.toThrow(/所在的文件系统是只读的（EROFS）/);
    expect(listFiles(dir)).toEqual(['a.html']);
    expect(readFileSync(path.join(dir, 'a.html'), 'utf8')).toBe('old');
  });

  it('two reports staged into one new folder and discarded together leave no folder, whichever finished first', async () => {
    // the order two render workers can end in: the report whose mkdir made 2021/ is discarded while the other's
    // file is still there (CI saw out/2021 left behind when each report was discarded on its own)
    for (const order of [[0, 1], [1, 0]]) {
      const dir = tempDir('nianbao-discard-');
      const a = await stageFiles([{ target: path.join(dir, '2021', 'a.html'), bytes: 'a' }], { root: dir });
      const b = await stageFiles([{ target: path.join(dir, '2021', 'b.html'), bytes: 'b' }], { root: dir });
      expect([a.folders, b.folders]).toEqual([[path.join(dir, '2021')], undefined]);
      expect(listFiles(dir)).toHaveLength(2);
      await discardStaged(order.map((i) => [a, b][i]));
      expect(readdirSync(dir)).toEqual([]);
    }
    // and when one report's new folder lies inside the other's
    for (const order of [[0, 1], [1, 0]]) {
      const dir = tempDir('nianbao-discard-');
      const a = await stageFiles([{ target: path.join(dir, '2021', 'a.html'), bytes: 'a' }], { root: dir });
      const b = await stageFiles([{ target: path.join(dir, '2021', 'sub', 'b.html'), bytes: 'b' }], { root: dir });
      expect([a.folders, b.folders]).toEqual([[path.join(dir, '2021')], [path.join(dir, '2021', 'sub')]]);
      await discardStaged(order.map((i) => [a, b][i]));
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('a discarded report leaves a folder that holds something else', async () => {
    const dir = tempDir('nianbao-discard-');
    const a = await stageFiles([{ target: path.join(dir, '2021', 'sub', 'a.html'), bytes: 'a' }], { root: dir });
    writeFileSync(path.join(dir, '2021', 'kept.html'), 'kept');
    await discardStaged(a);
    expect(listFiles(dir)).toEqual(['2021/kept.html']);
  });
});

describe('one build at a time per output folder', () => {
  it('a second build of the same folder is refused while the first holds it, naming the pid', async () => {
    const dir = tempDir('nianbao-lock-');
    const first = await acquireOutputLock(dir);
    await expect(acquireOutputLock(dir)).rejects.toThrow(`另一个 nianbao 生成进程（pid ${process.pid}）正在写入这个输出文件夹；请等它结束后再试（若确认没有其他生成进程，可删除 ${path.join(dir, LOCK_FILE)}）`);
    first.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    (await acquireOutputLock(dir)).release();
  });

  it('waits for the holder when asked to', async () => {
    const dir = tempDir('nianbao-lock-');
    const first = await acquireOutputLock(dir);
    setTimeout(() => first.release(), 300);
    const second = await acquireOutputLock(dir, 5000);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    second.release();
  });

  it('the lock of a process that no longer exists is taken over', async () => {
    const dir = tempDir('nianbao-lock-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, LOCK_FILE), `${dead.stdout}\n`);
    const lock = await acquireOutputLock(dir);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('a batch build into a folder another build holds is refused with exit 2', async () => {
    const { root } = await workspace('{year}/{short}');
    const held = await acquireOutputLock(path.join(root, 'out'));
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(await main(['build', root, '--html'])).toBe(2);
    } finally {
      held.release();
    }
    expect(err.join('')).toContain(`无法写入「${path.join(root, 'out')}」：另一个 nianbao 生成进程（pid ${process.pid}）正在写入这个输出文件夹`);
    expect(listFiles(path.join(root, 'out'))).toEqual([]);
  });
});

describe('--jobs', () => {
  it('is bounded by the CPU count, and the command says so', async () => {
    expect(boundJobs(1e9)).toBe(defaultJobs());
    expect(boundJobs(1)).toBe(1);
    const { root } = await workspace('{year}/{short}');
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    expect(await main(['build', root, '--html', '--jobs', '1e9'])).toBe(0);
    expect(err.join('')).toContain(`--jobs 1e9 超过本机的 CPU 核心数 ${defaultJobs()}：按 ${defaultJobs()} 个线程生成`);
    expect(listFiles(path.join(root, 'out'))).toEqual(['.nianbao-build.json', '2021/红椿镇.html', '2021/青石镇.html', 'index.html']);
  });
});

describe('font files are checked before they are read', () => {
  async function withFonts(fontsYaml: string, extra: (root: string) => void = () => {}): Promise<string> {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    rmSync(path.join(root, 'reports', '2020'), { recursive: true });
    mkdirSync(path.join(root, 'fonts'));
    extra(root);
    writeFileSync(path.join(root, 'nianbao.yaml'), `${readFileSync(path.join(root, 'nianbao.yaml'), 'utf8')}fonts:\n${fontsYaml}`);
    return root;
  }
  const configError = (root: string): string => {
    try {
      loadWorkspaceConfig(root);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a config error');
  };

  it('a FIFO as a font: refused at its line:col at once (reading it would block forever)', async () => {
    const root = await withFonts('  body: fonts/pipe.ttf\n', (r) => expect(spawnSync('mkfifo', [path.join(r, 'fonts', 'pipe.ttf')]).status).toBe(0));
    const line = readFileSync(path.join(root, 'nianbao.yaml'), 'utf8').split('\n').indexOf('  body: fonts/pipe.ttf') + 1;
    expect(configError(root)).toMatch(new RegExp(`nianbao\\.yaml:${line}:9 错误 WS-CONFIG 字体文件「fonts/pipe\\.ttf」不是普通文件（是管道（FIFO）），不能作为字体文件读取$`));
  });

  it('a 1 GB file as a font: refused from its size without being read', async () => {
    const root = await withFonts('  title: fonts/huge.ttf\n', (r) => {
      writeFileSync(path.join(r, 'fonts', 'huge.ttf'), '');
      truncateSync(path.join(r, 'fonts', 'huge.ttf'), 1024 ** 3);
    });
    const started = Date.now();
    expect(configError(root)).toMatch(/ 错误 WS-CONFIG 字体文件「fonts\/huge\.ttf」大小 1024 MB，超过字体文件的上限 128 MB，不像字体文件$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a device as a font file is refused by the PDF font loader too', async () => {
    const { loadFont } = await import('../../src/render/pdf/fonts.js');
    expect(() => loadFont('/dev/zero')).toThrow('字体文件 /dev/zero 不是普通文件（是设备），不能作为字体文件读取');
  });

  it('a file that is not a font: reported once for the whole batch, exit 2, nothing built', async () => {
    const root = await withFonts('  body: fonts/bad.ttf\n', (r) => writeFileSync(path.join(r, 'fonts', 'bad.ttf'), 'not a font at all'));
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    expect(await main(['build', root, '--pdf'])).toBe(2);
    const text = out.join('');
    const message = `无法识别字体文件：${path.join(root, 'fonts', 'bad.ttf')}。`;
    expect(text.split(message)).toHaveLength(2);
    expect(text).toContain(`无法生成：${message}请使用 TrueType（.ttf）、OpenType（.otf）或字体集（.ttc）文件。（未生成任何报告）`);
    expect(listFiles(path.join(root, 'out'))).toEqual([]);
  }, 60_000);
});

describe('file_name', () => {
  it('a NUL in file_name is named by its code point and position', async () => {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    const configFile = path.join(root, 'nianbao.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^file_name: .*$/m, 'file_name: "{year}/{short}\\0x"'));
    const line = readFileSync(configFile, 'utf8').split('\n').findIndex((l) => l.startsWith('file_name:')) + 1;
    expect(() => loadWorkspaceConfig(root)).toThrow(`nianbao.yaml:${line}:12 错误 WS-CONFIG 「file_name」在第 15 个字符处含有控制字符 U+0000（空字符 NUL），文件名中不能有控制字符；请删除它`);
  });
});

describe('single-report build', () => {
  async function report(name: string): Promise<string> {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    const dir = tempDir('nianbao-single-');
    const file = path.join(dir, 'r.yaml');
    writeFileSync(file, readFileSync(path.join(root, 'reports', '2021', '红椿镇.yaml'), 'utf8').replace(/^ {2}name: .*$/m, `  name: ${JSON.stringify(name)}`));
    return file;
  }
  const capture = () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true));
    return out;
  };

  it('a 74-character agency name builds (ENAMETOOLONG before): the title is capped by bytes', async () => {
    const name = `${'某'.repeat(70)}人民政府`;
    const file = await report(name);
    const out = path.join(path.dirname(file), 'out');
    capture();
    expect(await main(['build', file, '--html', '--docx', '-o', out])).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f.startsWith('某'.repeat(70))).toBe(true);
      expect(utf8Bytes(f)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    }
    // both formats share the base name
    expect(new Set(files.map((f) => f.replace(/\.(html|docx)$/, ''))).size).toBe(1);
  });

  it('an output folder under a file: a Chinese message naming the path and the reason, exit 1, never 内部错误', async () => {
    const file = await report('红椿镇人民政府');
    const blocker = path.join(path.dirname(file), 'blocker');
    writeFileSync(blocker, 'a file');
    const out = capture();
    expect(await main(['build', file, '--html', '-o', path.join(blocker, 'out')])).toBe(1);
    const text = out.join('');
    expect(text).toContain(`${file}:1:1 错误 OUTPUT-WRITE 无法写入「${path.join(blocker, 'out')}」：路径中有一级是文件，不是文件夹（有文件挡在那里）（ENOTDIR）；本报告未生成，原有输出文件未改动`);
    expect(text).not.toContain('内部错误');
  });

  it('an output file that is a folder: refused before anything is written, the old files kept', async () => {
    const file = await report('红椿镇人民政府');
    const out = path.join(path.dirname(file), 'out');
    mkdirSync(path.join(out, '红椿镇人民政府2021年政府信息公开工作年度报告.html'), { recursive: true });
    writeFileSync(path.join(out, '红椿镇人民政府2021年政府信息公开工作年度报告.docx'), 'old docx');
    const text = capture();
    expect(await main(['build', file, '--html', '--docx', '-o', out])).toBe(1);
    expect(text.join('')).toContain(`无法写入「${path.join(out, '红椿镇人民政府2021年政府信息公开工作年度报告.html')}」：这个路径已是一个文件夹；本报告未生成，原有输出文件未改动`);
    expect(readFileSync(path.join(out, '红椿镇人民政府2021年政府信息公开工作年度报告.docx'), 'utf8')).toBe('old docx');
    expect(readdirSync(out).sort()).toEqual(['红椿镇人民政府2021年政府信息公开工作年度报告.docx', '红椿镇人民政府2021年政府信息公开工作年度报告.html']);
  });
});

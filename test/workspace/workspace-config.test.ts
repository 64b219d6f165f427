/**
 * nianbao.yaml: keys, paths that must stay inside the workspace, the defaults merge, `nianbao config`,
 * --shard slicing and GitHub annotations.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/diagnostics/errors.js';
import { githubAnnotation } from '../../src/diagnostics/ci-format.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';
import { mergeAgency, outputFiles } from '../../src/workspace/config/effective.js';
import { effectiveView, formatEffectiveView } from '../../src/workspace/config/effective-view.js';
import { initWorkspace } from '../../src/workspace/scaffold/scaffold.js';
import { inShard, parseShard, shardOf } from '../../src/workspace/batch/shard.js';
import { tempDir, writeFiles } from '../workspace-fixtures.js';

function workspaceWith(config: string, files: Record<string, string> = {}): string {
  const root = tempDir();
  writeFiles(root, { 'nianbao.yaml': config, ...files });
  return root;
}

function configError(root: string): UserError {
  try {
    loadWorkspaceConfig(root);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('a nianbao.yaml that cannot be read', () => {
  it('is a folder: said in Chinese, exit 2, no system message', () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'nianbao.yaml'));
    const error = configError(root);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^无法读取 .*nianbao\.yaml：这是一个文件夹，不是文件$/);
  });
});

describe('a folder that nianbao.yaml names and that is not there', () => {
  it.each([
    ['reports: nope\n', 1, 10, '报告文件夹「nope」不存在'],
    ['reports: [reports, nope2]\n', 1, 20, '报告文件夹「nope2」不存在'],
    ['templates: 县模板\n', 1, 12, '模板文件夹「县模板」不存在'],
  ])('%j: at its line and column, with how to mend it', (config, line, col, message) => {
    const error = configError(workspaceWith(config, { 'reports/a.yaml': '' }));
    expect(error.exitCode).toBe(2);
    expect(error.message.replace(/^.*nianbao\.yaml/, 'nianbao.yaml')).toBe(`nianbao.yaml:${line}:${col} 错误 WS-CONFIG ${message}\n  = 提示：路径相对于工作区文件夹（nianbao.yaml 所在的文件夹）：核对拼写，或先建好这个文件夹`);
  });
});

describe('paths in nianbao.yaml stay inside the workspace', () => {
  it.each([
    ['templates: ../../etc/passwd\n', 'templates', 1, 12],
    ['output: out\ntemplates: /etc\n', 'templates', 2, 12],
    ['output: ../../elsewhere\n', 'output', 1, 9],
    ['reports: [reports, ../other]\n', 'reports', 1, 20],
    ['fonts:\n  body: ../../usr/share/fonts/x.ttf\n', 'fonts.body', 2, 9],
    // a byte-order mark (Windows Notepad) is not counted: the column an editor shows
    ['\uFEFFtemplates: ../../etc/passwd\n', 'templates', 1, 12],
  ])('refuses %j with a Chinese error at its line:col', (config, key, line, col) => {
    const error = configError(workspaceWith(config));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(new RegExp(`^.*nianbao\\.yaml:${line}:${col} 错误 WS-CONFIG 「${key.replace('.', '\\.')}」的路径`));
    expect(error.message).toMatch(/超出了工作区文件夹|是绝对路径/);
    expect(error.message).toContain('必须是工作区');
  });

  it('refuses a symbolic link that leads out of the workspace', () => {
    const outside = tempDir('nianbao-outside-');
    const root = workspaceWith('templates: county\n');
    symlinkSync(outside, path.join(root, 'county'));
    expect(configError(root).message).toContain('经符号链接指向了工作区之外');
  });

  it('resolves font files for the PDF by role, and names a missing one', () => {
    const root = workspaceWith('fonts:\n  body: fonts/仿宋.ttf\n  title: {file: fonts/song.ttc, face: SongStd}\n', { 'fonts/仿宋.ttf': 'x', 'fonts/song.ttc': 'x' });
    const config = loadWorkspaceConfig(root);
    expect(config.fonts).toEqual({ body: { file: path.join(config.root, 'fonts', '仿宋.ttf') }, title: { file: path.join(config.root, 'fonts', 'song.ttc'), face: 'SongStd' } });
    expect(configError(workspaceWith('fonts:\n  body: fonts/none.ttf\n')).message).toContain('字体文件「fonts/none.ttf」不存在');
    expect(configError(workspaceWith('fonts:\n  bold: a.ttf\n')).message).toContain('未知的字体角色「bold」');
  });

  it('reads the face names the docx writes (`word:`), with or without a PDF font file', () => {
    const root = workspaceWith('fonts:\n  body: {file: fonts/fs.ttf, word: 方正仿宋_GBK}\n  heading1: {word: 方正黑体_GBK}\n  table: {word: {eastAsia: 方正仿宋_GBK, latin: Arial}}\n', { 'fonts/fs.ttf': 'x' });
    const config = loadWorkspaceConfig(root);
    expect(config.fonts).toEqual({ body: { file: path.join(config.root, 'fonts', 'fs.ttf') } });
    expect(config.wordFonts).toEqual({ body: { eastAsia: '方正仿宋_GBK' }, heading1: { eastAsia: '方正黑体_GBK' }, table: { eastAsia: '方正仿宋_GBK', latin: 'Arial' } });
    expect(loadWorkspaceConfig(workspaceWith('output: out\n')).wordFonts).toEqual({});
  });

  it.each([
    ['fonts:\n  body: {file: ../../x.ttf, word: 仿宋}\n', 2, 16, '超出了工作区文件夹'],
    ['fonts:\n  body: {word: ""}\n', 2, 16, '不能为空'],
    ['fonts:\n  body: {wrod: 仿宋}\n', 2, 10, '未知的键「wrod」'],
    ['fonts:\n  body: {face: SongStd}\n', 2, 9, '有 face 而没有 file'],
    ['fonts:\n  body: {word: [仿宋]}\n', 2, 16, 'Word 中的字体名'],
    ['fonts:\n  body: {word: {eastasia: 仿宋}}\n', 2, 17, '未知的键「eastasia」'],
  ])('refuses the font setting %j at its line:col', (text, line, col, why) => {
    const error = configError(workspaceWith(text));
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(new RegExp(`nianbao\\.yaml:${line}:${col} 错误 WS-CONFIG `));
    expect(error.message).toContain(why);
  });

  it('accepts paths inside, and resolves them against the workspace', () => {
    const root = workspaceWith('templates: tpl\noutput: build/out\nreports: [a, b]\n', { 'tpl/title.hbs': '', 'a/.keep': '', 'b/.keep': '' });
    const config = loadWorkspaceConfig(root);
    expect(path.relative(config.root, config.templates!)).toBe('tpl');
    expect(path.relative(config.root, config.output)).toBe(path.join('build', 'out'));
    expect(config.reports.map((r) => path.relative(config.root, r))).toEqual(['a', 'b']);
  });
});

describe('nianbao.yaml keys', () => {
  it('names an unknown key at its line with the list of known ones', () => {
    const error = configError(workspaceWith('output: out\noutptu: x\n'));
    expect(error.message).toContain('nianbao.yaml:2:1');
    expect(error.message).toContain('未知的设置「outptu」');
  });

  it('refuses a default for agency.name and unknown agency keys', () => {
    expect(configError(workspaceWith('agency:\n  name: 某镇\n')).message).toContain('不能设默认值');
    expect(configError(workspaceWith('agency:\n  fax: "1"\n')).message).toContain('未知的键「fax」');
  });

  it('checks formats and the file-name pattern', () => {
    expect(configError(workspaceWith('formats: [pdf, odt]\n')).message).toContain('未知的输出格式「odt」');
    expect(configError(workspaceWith('file_name: "{year}/{county}"\n')).message).toContain('未知的占位符 {county}');
    expect(configError(workspaceWith('file_name: "{year}"\n')).message).toContain('互相覆盖');
    expect(configError(workspaceWith('file_name: "../{short}"\n')).message).toContain('不能含 ..');
  });
});

describe('defaults merge', () => {
  const config = { agency: { parent: '云溪县人民政府', office: '{short}党政办', website: 'https://www.yunxi.gov.cn', phone: '0745-0000000' } };

  it('fills only what the report leaves out or blank; the report always wins', () => {
    const { agency, sources } = mergeAgency(config, { name: '红椿镇人民政府', phone: '0745-6321001', website: '  ' }, 2021, '红椿镇');
    expect(agency).toEqual({ name: '红椿镇人民政府', phone: '0745-6321001', website: 'https://www.yunxi.gov.cn', parent: '云溪县人民政府', office: '红椿镇党政办' });
    expect(sources).toEqual({ name: 'report', phone: 'report', website: 'nianbao.yaml', parent: 'nianbao.yaml', office: 'nianbao.yaml' });
  });

  it('names outputs by the file-name pattern, inside the output folder', () => {
    const files = outputFiles({ output: '/ws/out', fileName: '{year}/{short}-{file}', formats: ['html', 'pdf'] }, '红椿镇人民政府', 2021, '/ws/reports/2021/hc.yaml');
    expect(files).toEqual({ html: path.join('/ws/out', '2021', '红椿镇-hc.html'), pdf: path.join('/ws/out', '2021', '红椿镇-hc.pdf') });
    // a name with a path separator cannot leave the folder
    expect(outputFiles({ output: '/ws/out', fileName: '{name}', formats: ['pdf'] }, '../x/镇', 2021, 'a.yaml').pdf).toBe(path.join('/ws/out', '_x_镇.pdf'));
  });

  it('nianbao config shows each effective value with its source, last year\'s report and the outputs', async () => {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    const config = loadWorkspaceConfig(root);
    const view = effectiveView(config, path.join(root, 'reports/2021/红椿镇.yaml'));
    expect(view.agency).toContainEqual({ key: 'phone', value: '0745-6321001', from: 'report' });
    expect(view.agency).toContainEqual({ key: 'parent', value: '云溪县人民政府', from: 'nianbao.yaml' });
    expect(view.agency).toContainEqual({ key: 'address', value: '云溪县红椿镇人民政府', from: 'nianbao.yaml' });
    expect(view.previous).toEqual({ file: 'reports/2020/红椿镇.yaml', how: 'found' });
    expect(view.outputs).toEqual({ html: 'out/2021/红椿镇.html', docx: 'out/2021/红椿镇.docx', pdf: 'out/2021/红椿镇.pdf' });
    const text = formatEffectiveView(view);
    expect(text).toMatch(/parent\s+云溪县人民政府\s+← nianbao\.yaml 默认值/);
    expect(text).toMatch(/phone\s+0745-6321001\s+← 报告/);
    expect(text).toContain('Word 字体：公文标准字体名');
    const word = formatEffectiveView(effectiveView({ ...config, wordFonts: { body: { eastAsia: '方正仿宋_GBK' } } }, path.join(root, 'reports/2021/红椿镇.yaml')));
    expect(word).toContain('Word 字体：body=方正仿宋_GBK（其余为公文标准字体名）');
  });
});

describe('--shard i/n', () => {
  it('refuses malformed values in Chinese', () => {
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard 的值「.*」无效/);
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
  });

  it('puts every report in exactly one shard, by its path alone: adding or removing reports moves no other', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 40 }), fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 9 }), (paths, added, n) => {
        const shards = Array.from({ length: n }, (_, i) => ({ index: i + 1, count: n }));
        for (const rel of paths) {
          expect(shards.filter((shard) => inShard(rel, shard))).toEqual([{ index: shardOf(rel, n), count: n }]);
        }
        // the slice of a list is its members' shards, whatever else the list holds
        const before = paths.map((rel) => shardOf(rel, n));
        const after = [added, ...paths].map((rel) => shardOf(rel, n)).slice(1);
        expect(after).toEqual(before);
      }),
    );
  });

  it('deals a county-sized workspace evenly enough', () => {
    const towns = Array.from({ length: 600 }, (_, k) => `reports/${2021 + (k % 6)}/镇${k}.yaml`);
    for (const n of [2, 3, 4]) {
      const sizes = Array.from({ length: n }, (_, i) => towns.filter((rel) => inShard(rel, { index: i + 1, count: n })).length);
      expect(sizes.reduce((a, b) => a + b)).toBe(towns.length);
      for (const size of sizes) expect(Math.abs(size - towns.length / n)).toBeLessThan(0.15 * (towns.length / n));
    }
  });
});

describe('GitHub annotations', () => {
  it('escapes the workflow-command syntax in properties and message', () => {
    const line = githubAnnotation({ file: 'reports\\2021\\a,b.yaml', line: 4, col: 7, endLine: 4, endCol: 10, severity: 'error', rule: 'X-T3', message: '100% 不一致\n第二行', hint: '改为 50%' }, '');
    // GitHub's end column is the span's last character (ours is exclusive)
    expect(line).toBe('::error file=reports/2021/a%2Cb.yaml,line=4,endLine=4,col=7,endColumn=9,title=错误 X-T3::100%25 不一致%0A第二行%0A提示：改为 50%25');
    expect(githubAnnotation({ file: 'a.yaml', line: 1, col: 1, endLine: 1, endCol: 2, severity: 'warning', rule: 'R', message: 'm: x', hint: '' }, '')).toBe('::warning file=a.yaml,line=1,endLine=1,col=1,endColumn=1,title=警告 R::m: x');
    // a span over several lines: lines only, as GitHub takes columns on one line alone
    expect(githubAnnotation({ file: 'a.yaml', line: 3, col: 5, endLine: 6, endCol: 2, severity: 'warning', rule: 'R', message: 'm', hint: 'h' }, '')).toBe('::warning file=a.yaml,line=3,endLine=6,title=警告 R::m%0A提示：h');
  });

  it('gives paths from the repository root (GITHUB_WORKSPACE) when the workspace is a subfolder', () => {
    const repo = path.resolve('..');
    const d = { file: 'reports/2021/a.yaml', line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error' as const, rule: 'R', message: 'm', hint: '' };
    expect(githubAnnotation(d, repo)).toBe(`::error file=${path.basename(path.resolve('.'))}/reports/2021/a.yaml,line=1,endLine=1,col=1,endColumn=1,title=错误 R::m`);
  });
});

describe('init --workspace', () => {
  it('never overwrites: refuses a folder that already has the files', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'reports'), { recursive: true });
    writeFileSync(path.join(root, 'nianbao.yaml'), 'output: mine\n');
    await expect(initWorkspace(root, '0.1.0')).rejects.toThrow(/已有以下文件[\s\S]*nianbao\.yaml/);
  });
});
